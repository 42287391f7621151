package io.forceflux.testkit;

import io.forceflux.testkit.DataStore.WriteError;
import io.forceflux.testkit.DataStore.WriteResult;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * sObject Collections: create and update ({@code POST|PATCH /composite/sobjects}), upsert by external Id
 * ({@code PATCH /composite/sobjects/{Type}/{field}}), delete ({@code DELETE /composite/sobjects?ids=&allOrNone=})
 * and retrieve ({@code GET ?ids=&fields=} or {@code POST {ids, fields}} on {@code /composite/sobjects/{Type}}).
 * At most 200 records per call; results in input order; {@code allOrNone} rolls the call back when one record
 * fails.
 */
final class FakeCollections {

  private static final int MAX = 200;

  private final DataStore data;

  FakeCollections(DataStore data) {
    this.data = data;
  }

  /** {@code path}: what follows {@code /composite/sobjects}. */
  Reply handle(Request r, String v, List<String> path) {
    if (path.isEmpty()) {
      return switch (r.method) {
        case "POST", "PATCH" -> save(r);
        case "DELETE" -> delete(r);
        default -> RestBodies.methodNotAllowed(r, "POST,PATCH,DELETE");
      };
    }
    SObjectStore store = data.type(path.get(0));
    if (store == null) {
      return Reply.restError(400, "INVALID_TYPE", "sObject type '" + path.get(0) + "' is not supported.");
    }
    if (path.size() == 1) {
      return r.method.equals("GET") || r.method.equals("POST") ? retrieve(r, v, store)
          : RestBodies.methodNotAllowed(r, "GET,POST");
    }
    if (path.size() == 2) {
      return r.method.equals("PATCH") ? upsert(r, store, path.get(1))
          : RestBodies.methodNotAllowed(r, "PATCH");
    }
    return RestBodies.notFound();
  }

  private record Planned(@Nullable SObjectStore store, long seq, JsonNode body, @Nullable String id,
      @Nullable WriteError error) {
  }

  /** Create ({@code POST}) or update ({@code PATCH}) of up to 200 records of any types. */
  private Reply save(Request r) {
    boolean create = r.method.equals("POST");
    JsonNode body = FakeJson.parse(r.body);
    Reply refused = refusal(body);
    if (refused != null) {
      return refused;
    }
    JsonNode records = body.get("records");
    JsonNode allOrNoneNode = body.get("allOrNone");
    boolean allOrNone = allOrNoneNode != null && allOrNoneNode.isBoolean() && allOrNoneNode.booleanValue();
    List<Planned> plan = new ArrayList<>();
    List<String> results = new ArrayList<>();
    synchronized (data) {
      boolean anyError = false;
      for (JsonNode record : records) {
        Planned p = plan(record, create);
        anyError |= p.error() != null;
        plan.add(p);
      }
      for (Planned p : plan) {
        if (p.error() != null) {
          results.add(RestBodies.failure(p.id(), p.error()));
        } else if (allOrNone && anyError) {
          results.add(RestBodies.failure(p.id(), RestBodies.ROLLED_BACK));
        } else if (create) {
          results.add(RestBodies.success(data.applyCreate(p.store(), p.body())));
        } else {
          data.applyUpdate(p.store(), p.seq(), p.body());
          results.add(RestBodies.success(String.valueOf(p.id())));
        }
      }
    }
    return Reply.json(200, "[" + String.join(",", results) + "]");
  }

  private Planned plan(JsonNode record, boolean create) {
    if (!record.isObject()) {
      return new Planned(null, -1, record, null,
          new WriteError("JSON_PARSER_ERROR", "Each record must be a JSON object.", List.of()));
    }
    JsonNode attributes = record.get("attributes");
    String type = attributes == null ? null : FakeJson.text(attributes, "type");
    SObjectStore store = type == null ? null : data.type(type);
    if (store == null) {
      return new Planned(null, -1, record, null, new WriteError("INVALID_TYPE",
          type == null ? "No SObject Type defined in the record" : "sObject type '" + type
              + "' is not supported.", List.of()));
    }
    if (create) {
      return new Planned(store, -1, record, null, data.validate(store, record, true));
    }
    ObjectNode fields = ((ObjectNode) record).deepCopy();
    String id = null;
    for (String key : List.of("id", "Id", "ID", "iD")) {
      JsonNode value = fields.remove(key);
      if (value != null && value.isString()) {
        id = value.stringValue();
      }
    }
    if (id == null) {
      return new Planned(store, -1, fields, null, new WriteError("MISSING_ARGUMENT",
          "Id not specified in an update call", List.of()));
    }
    long seq = store.seq(id);
    if (seq < 0 || !store.live(seq)) {
      return new Planned(store, -1, fields, id, new WriteError("ENTITY_IS_DELETED",
          "entity is deleted", List.of()));
    }
    return new Planned(store, seq, fields, store.id(seq), data.validate(store, fields, false));
  }

  /**
   * Salesforce's answer to a Collections body that is not {@code {"records": [...]}} with at most 200 records, or
   * null for one that is.
   */
  private static @Nullable Reply refusal(@Nullable JsonNode body) {
    if (body == null || !body.isObject() || body.get("records") == null || !body.get("records").isArray()) {
      return RestBodies.jsonParserError();
    }
    return body.get("records").size() > MAX ? tooMany() : null;
  }

  private static Reply tooMany() {
    return Reply.restError(400, "EXCEEDED_ID_LIMIT",
        "record limit reached. cannot submit more than 200 records into this call");
  }

  private Reply upsert(Request r, SObjectStore store, String field) {
    String canonical = store.field(field);
    if (canonical == null || !canonical.equals(SObjectStore.EXTERNAL_ID)) {
      return Reply.restError(400, "INVALID_FIELD", "Field name provided, " + field + " is not an External ID "
          + "or indexed field for " + store.name);
    }
    JsonNode body = FakeJson.parse(r.body);
    Reply refused = refusal(body);
    if (refused != null) {
      return refused;
    }
    JsonNode records = body.get("records");
    boolean allOrNone = body.path("allOrNone").asBoolean(false);
    List<WriteResult> results = new ArrayList<>();
    data.transaction(() -> {
      boolean anyError = false;
      for (JsonNode record : records) {
        WriteResult result = upsertOne(store, record, canonical);
        anyError |= result.error() != null;
        results.add(result);
      }
      return !(allOrNone && anyError);
    });
    boolean rolledBack = allOrNone && results.stream().anyMatch(w -> w.error() != null);
    List<String> out = new ArrayList<>();
    for (WriteResult w : results) {
      if (w.error() != null) {
        out.add(RestBodies.failure(null, w.error()));
      } else if (rolledBack) {
        out.add(RestBodies.failure(null, RestBodies.ROLLED_BACK));
      } else {
        out.add("{\"id\":" + FakeJson.quote(String.valueOf(w.id())) + ",\"success\":true,\"errors\":[],"
            + "\"created\":" + w.created() + "}");
      }
    }
    return Reply.json(200, "[" + String.join(",", out) + "]");
  }

  private WriteResult upsertOne(SObjectStore store, JsonNode record, String field) {
    if (!record.isObject()) {
      return WriteResult.failed(new WriteError("JSON_PARSER_ERROR", "Each record must be a JSON object.",
          List.of()));
    }
    String type = FakeJson.text(record.path("attributes"), "type");
    if (type != null && !type.equalsIgnoreCase(store.name)) {
      return WriteResult.failed(new WriteError("INVALID_TYPE", "Records must all be of type " + store.name,
          List.of()));
    }
    JsonNode key = null;
    for (var e : record.properties()) {
      if (e.getKey().equalsIgnoreCase(field)) {
        key = e.getValue();
      }
    }
    if (key == null || !key.isString() || key.stringValue().isBlank()) {
      return WriteResult.failed(new WriteError("MISSING_ARGUMENT", field + " not specified", List.of(field)));
    }
    tools.jackson.databind.node.ObjectNode fields = ((tools.jackson.databind.node.ObjectNode) record).deepCopy();
    fields.remove("attributes");
    return data.upsert(store, key.stringValue(), fields);
  }

  private Reply delete(Request r) {
    String ids = r.query.get("ids");
    if (ids == null || ids.isBlank()) {
      return Reply.restError(400, "MISSING_ARGUMENT", "ids parameter is required");
    }
    String[] list = ids.split(",");
    if (list.length > MAX) {
      return tooMany();
    }
    boolean allOrNone = Boolean.parseBoolean(r.query.getOrDefault("allOrNone", "false"));
    List<@Nullable WriteError> errors = new ArrayList<>();
    data.transaction(() -> {
      boolean anyError = false;
      for (String id : list) {
        WriteError error = deleteOne(id.trim());
        anyError |= error != null;
        errors.add(error);
      }
      return !(allOrNone && anyError);
    });
    boolean rolledBack = allOrNone && errors.stream().anyMatch(e -> e != null);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.length; i++) {
      WriteError error = errors.get(i);
      String id = list[i].trim();
      out.add(error != null ? RestBodies.failure(id, error)
          : rolledBack ? RestBodies.failure(id, RestBodies.ROLLED_BACK) : RestBodies.success(id));
    }
    return Reply.json(200, "[" + String.join(",", out) + "]");
  }

  private @Nullable WriteError deleteOne(String id) {
    SObjectStore store = data.typeOfId(id);
    long seq = store == null ? -1 : store.seq(id);
    if (store == null || seq < 0) {
      return new WriteError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", List.of());
    }
    return data.delete(store, seq) ? null : new WriteError("ENTITY_IS_DELETED", "entity is deleted", List.of());
  }

  private Reply retrieve(Request r, String v, SObjectStore store) {
    List<String> ids = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    if (r.method.equals("GET")) {
      split(r.query.get("ids"), ids);
      split(r.query.get("fields"), fields);
    } else {
      JsonNode body = FakeJson.parse(r.body);
      if (body == null || !body.isObject()) {
        return RestBodies.jsonParserError();
      }
      body.path("ids").forEach(n -> ids.add(n.asString("")));
      body.path("fields").forEach(n -> fields.add(n.asString("")));
    }
    if (ids.isEmpty() || fields.isEmpty()) {
      return Reply.restError(400, "MISSING_ARGUMENT", "ids and fields are required");
    }
    if (ids.size() > 2000) {
      return Reply.restError(400, "EXCEEDED_ID_LIMIT", "too many ids");
    }
    List<String> canonical = new ArrayList<>();
    for (String f : fields) {
      String c = store.field(f);
      if (c == null) {
        return Reply.restError(400, "INVALID_FIELD", "No such column '" + f + "' on sobject of type "
            + store.name);
      }
      canonical.add(c);
    }
    String urlPrefix = "/services/data/v" + v + "/sobjects/" + store.name + "/";
    return Reply.json(200, FakeJson.write(g -> {
      g.writeStartArray();
      for (String id : ids) {
        long seq = store.seq(id);
        if (seq < 0 || !store.live(seq)) {
          g.writeNull();
        } else {
          RestBodies.writeRecord(g, store, seq, canonical, urlPrefix);
        }
      }
      g.writeEndArray();
    }));
  }

  private static void split(@Nullable String csv, List<String> into) {
    if (csv != null) {
      for (String s : csv.split(",")) {
        if (!s.isBlank()) {
          into.add(s.trim());
        }
      }
    }
  }

}
