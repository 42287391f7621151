package io.forceflux.testkit;

import io.forceflux.testkit.DataStore.WriteError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * The REST bodies every endpoint shares, in Salesforce's shapes: the error arrays, a collection result entry, and
 * a record with its {@code attributes}.
 */
final class RestBodies {

  static final String NOT_FOUND_BODY =
      "[{\"errorCode\":\"NOT_FOUND\",\"message\":\"The requested resource does not exist\"}]";
  static final String ENTITY_IS_DELETED_BODY =
      "[{\"errorCode\":\"ENTITY_IS_DELETED\",\"message\":\"entity is deleted\",\"fields\":[]}]";
  static final String SESSION_EXPIRED = "Session expired or invalid";
  static final String NOT_VALID_FOR_REST = "This session is not valid for use with the REST API";
  /** What {@code allOrNone} reports for a record that was valid but rolled back with the others. */
  static final WriteError ROLLED_BACK = new WriteError("ALL_OR_NONE_OPERATION_ROLLED_BACK",
      "Record rolled back because not all records were valid and the request was using AllOrNone header",
      List.of());

  private RestBodies() {
  }

  static Reply notFound() {
    return Reply.json(404, NOT_FOUND_BODY);
  }

  static Reply methodNotAllowed(Request r, String allowed) {
    return Reply.restError(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + r.method + "' not allowed. Allowed are "
        + allowed);
  }

  static Reply jsonParserError() {
    return Reply.restError(400, "JSON_PARSER_ERROR", "The request body is not valid JSON.");
  }

  static Reply invalidField(String field, SObjectStore store) {
    return Reply.restError(400, "INVALID_FIELD", "No such column '" + field + "' on sobject of type "
        + store.name);
  }

  /** 400 with a single-record write error, {@code fields} included. */
  static Reply writeError(WriteError error) {
    return Reply.json(400, FakeJson.write(g -> {
      g.writeStartArray();
      g.writeStartObject();
      g.writeStringProperty("message", error.message());
      g.writeStringProperty("errorCode", error.code());
      writeFields(g, error.fields());
      g.writeEndObject();
      g.writeEndArray();
    }));
  }

  /** A one-entry error array as a tree, for bodies nested in Composite results. */
  static JsonNode errorArray(String code, String message) {
    ArrayNode array = FakeJson.MAPPER.createArrayNode();
    array.addObject().put("errorCode", code).put("message", message);
    return array;
  }

  /** One successful entry of an sObject Collections result. */
  static String success(String id) {
    return "{\"id\":" + FakeJson.quote(id) + ",\"success\":true,\"errors\":[]}";
  }

  /** One failed entry of an sObject Collections result. */
  static String failure(@Nullable String id, WriteError error) {
    return new String(FakeJson.write(g -> {
      g.writeStartObject();
      if (id != null) {
        g.writeStringProperty("id", id);
      }
      g.writeBooleanProperty("success", false);
      g.writeName("errors");
      g.writeStartArray();
      g.writeStartObject();
      g.writeStringProperty("statusCode", error.code());
      g.writeStringProperty("message", error.message());
      writeFields(g, error.fields());
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    }), StandardCharsets.UTF_8);
  }

  /** An error's {@code "fields": [...]}, as Salesforce writes it in both of its error shapes. */
  private static void writeFields(JsonGenerator g, List<String> fields) {
    g.writeName("fields");
    g.writeStartArray();
    for (String f : fields) {
      g.writeString(f);
    }
    g.writeEndArray();
  }

  /** A record with its {@code attributes} and the given fields, in that order. */
  static void writeRecord(JsonGenerator g, SObjectStore store, long seq, List<String> fields,
      String urlPrefix) {
    g.writeStartObject();
    g.writeName("attributes");
    g.writeStartObject();
    g.writeStringProperty("type", store.name);
    g.writeStringProperty("url", urlPrefix + store.id(seq));
    g.writeEndObject();
    for (String field : fields) {
      g.writeName(field);
      store.writeField(g, seq, field);
    }
    g.writeEndObject();
  }
}
