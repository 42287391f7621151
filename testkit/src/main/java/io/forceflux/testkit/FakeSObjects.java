package io.forceflux.testkit;

import io.forceflux.testkit.DataStore.WriteResult;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * {@code /sobjects/{Type}}: create, and read, update, delete by Id or read and upsert by external Id, one record
 * per call.
 */
final class FakeSObjects {

  private final DataStore data;

  FakeSObjects(DataStore data) {
    this.data = data;
  }

  Reply handle(Request r, String v, List<String> path) {
    if (path.isEmpty() || path.get(0).isEmpty()) {
      return RestBodies.notFound();
    }
    SObjectStore store = data.type(path.get(0));
    if (store == null) {
      return RestBodies.notFound();
    }
    String urlPrefix = "/services/data/v" + v + "/sobjects/" + store.name + "/";
    if (path.size() == 1) {
      if (!r.method.equals("POST")) {
        return RestBodies.methodNotAllowed(r, "POST");
      }
      JsonNode body = FakeJson.parse(r.body);
      if (body == null) {
        return RestBodies.jsonParserError();
      }
      WriteResult result = data.create(store, body);
      return result.error() != null ? RestBodies.writeError(result.error())
          : Reply.json(201, "{\"id\":" + FakeJson.quote(String.valueOf(result.id()))
              + ",\"success\":true,\"errors\":[]}");
    }
    if (path.size() == 2) {
      long seq = store.seq(path.get(1));
      if (seq < 0) {
        return RestBodies.notFound();
      }
      if (!store.live(seq)) {
        // Salesforce names a record in the recycle bin: 404 ENTITY_IS_DELETED, not NOT_FOUND.
        return Reply.json(404, RestBodies.ENTITY_IS_DELETED_BODY);
      }
      switch (r.method) {
        case "GET" -> {
          return readRecord(r, store, seq, urlPrefix);
        }
        case "PATCH" -> {
          JsonNode body = FakeJson.parse(r.body);
          if (body == null) {
            return RestBodies.jsonParserError();
          }
          WriteResult result = data.update(store, seq, body);
          return result.error() != null ? RestBodies.writeError(result.error()) : Reply.noContent();
        }
        case "DELETE" -> {
          return data.delete(store, seq) ? Reply.noContent() : Reply.json(404, RestBodies.ENTITY_IS_DELETED_BODY);
        }
        default -> {
          return RestBodies.methodNotAllowed(r, "GET,PATCH,DELETE");
        }
      }
    }
    if (path.size() == 3) {
      String field = store.field(path.get(1));
      if (field == null || !field.equals(SObjectStore.EXTERNAL_ID)) {
        return Reply.json(404, "[{\"errorCode\":\"NOT_FOUND\",\"message\":\"Provided external ID field does "
            + "not exist or is not accessible: " + path.get(1) + "\"}]");
      }
      String value = path.get(2);
      if (r.method.equals("GET")) {
        long seq = store.findByExternalId(value);
        return seq < 0 ? RestBodies.notFound() : readRecord(r, store, seq, urlPrefix);
      }
      if (!r.method.equals("PATCH")) {
        return RestBodies.methodNotAllowed(r, "GET,PATCH");
      }
      JsonNode body = FakeJson.parse(r.body);
      if (body == null) {
        return RestBodies.jsonParserError();
      }
      WriteResult result = data.upsert(store, value, body);
      if (result.error() != null) {
        return RestBodies.writeError(result.error());
      }
      return Reply.json(result.created() ? 201 : 200, "{\"id\":" + FakeJson.quote(String.valueOf(result.id()))
          + ",\"success\":true,\"errors\":[],\"created\":" + result.created() + "}");
    }
    return RestBodies.notFound();
  }

  private Reply readRecord(Request r, SObjectStore store, long seq, String urlPrefix) {
    List<String> fields = new ArrayList<>();
    String requested = r.query.get("fields");
    if (requested != null && !requested.isBlank()) {
      for (String f : requested.split(",")) {
        String canonical = store.field(f.trim());
        if (canonical == null) {
          return RestBodies.invalidField(f.trim(), store);
        }
        fields.add(canonical);
      }
    } else {
      fields.addAll(store.allFields());
    }
    return Reply.json(200, FakeJson.write(g -> RestBodies.writeRecord(g, store, seq, fields, urlPrefix)));
  }
}
