package io.forceflux.testkit;

import io.forceflux.testkit.DataStore.WriteError;
import io.forceflux.testkit.DataStore.WriteResult;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * sObject Collections beyond create and update: upsert by external Id ({@code PATCH /composite/sobjects/{Type}/
 * {field}}), delete ({@code DELETE /composite/sobjects?ids=&allOrNone=}) and retrieve ({@code GET ?ids=&fields=}
 * or {@code POST {ids, fields}} on {@code /composite/sobjects/{Type}}). At most 200 records per call; results in
 * input order; {@code allOrNone} rolls the call back when one record fails.
 */
final class FakeCollections {

  private static final int MAX = 200;
  static final WriteError ROLLED_BACK = new WriteError("ALL_OR_NONE_OPERATION_ROLLED_BACK",
      "Record rolled back because not all records were valid and the request was using AllOrNone header",
      List.of());

  private final DataStore data;

  FakeCollections(DataStore data) {
    this.data = data;
  }

  /** {@code path}: what follows {@code /composite/sobjects}. */
  Reply handle(Request r, String v, List<String> path) {
    if (path.isEmpty()) {
      return r.method.equals("DELETE") ? delete(r) : RestEndpoint.methodNotAllowed(r, "POST,PATCH,DELETE");
    }
    SObjectStore store = data.type(path.get(0));
    if (store == null) {
      return Reply.restError(400, "INVALID_TYPE", "sObject type '" + path.get(0) + "' is not supported.");
    }
    if (path.size() == 1) {
      return r.method.equals("GET") || r.method.equals("POST") ? retrieve(r, v, store)
          : RestEndpoint.methodNotAllowed(r, "GET,POST");
    }
    if (path.size() == 2) {
      return r.method.equals("PATCH") ? upsert(r, store, path.get(1))
          : RestEndpoint.methodNotAllowed(r, "PATCH");
    }
    return Reply.json(404, RestEndpoint.NOT_FOUND_BODY);
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
    if (body == null || !body.isObject() || body.get("records") == null || !body.get("records").isArray()) {
      return RestEndpoint.jsonParserError();
    }
    JsonNode records = body.get("records");
    if (records.size() > MAX) {
      return tooMany();
    }
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
        out.add(RestEndpoint.failure(null, w.error()));
      } else if (rolledBack) {
        out.add(RestEndpoint.failure(null, ROLLED_BACK));
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
      out.add(error != null ? RestEndpoint.failure(id, error)
          : rolledBack ? RestEndpoint.failure(id, ROLLED_BACK) : RestEndpoint.success(id));
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
        return RestEndpoint.jsonParserError();
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
          RestEndpoint.writeRecord(g, store, seq, canonical, urlPrefix);
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
