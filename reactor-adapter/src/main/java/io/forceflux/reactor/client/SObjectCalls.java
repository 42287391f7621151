package io.forceflux.reactor.client;

import static io.forceflux.reactor.client.ResourceCalls.bytes;
import static io.forceflux.reactor.client.ResourceCalls.text;
import static io.forceflux.reactor.client.ResourceCalls.tree;

import io.forceflux.core.error.SalesforceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;

/** Single-record sObject calls (create, read, update, upsert, delete) and the save result they share. */
final class SObjectCalls {
  private final ResourceCalls calls;

  SObjectCalls(ResourceCalls calls) {
    this.calls = calls;
  }

  Mono<SaveResult> create(String type, Object record) {
    Paths.checkName(type, "type");
    byte[] body = bytes(Json.withoutIdAndAttributes(Json.object(Objects.requireNonNull(record, "record"), "record"),
        true));
    return calls.call(HttpMethod.POST, "/sobjects/" + type, body)
        .map(reply -> saveResult(tree(reply.body(), "create result"), true));
  }

  <T> Mono<T> get(String type, String id, Class<T> cls, String... fields) {
    Paths.checkName(type, "type");
    Paths.checkId(id);
    Objects.requireNonNull(cls, "cls");
    StringBuilder path = new StringBuilder("/sobjects/").append(type).append('/').append(id);
    if (fields.length > 0) {
      path.append("?fields=");
      for (int i = 0; i < fields.length; i++) {
        path.append(i == 0 ? "" : ",").append(Paths.checkName(fields[i], "field"));
      }
    }
    ObjectReader reader = Json.MAPPER.readerFor(cls);
    return calls.call(HttpMethod.GET, path.toString(), null).handle((reply, sink) -> {
      try {
        sink.next(reader.readValue(reply.body()));
      } catch (JacksonException e) {
        sink.error(Rest.malformed("the record could not be decoded as " + cls.getSimpleName() + " ("
            + e.getClass().getSimpleName() + ")", null));
      }
    });
  }

  Mono<Void> update(String type, String id, Object fields) {
    Paths.checkName(type, "type");
    Paths.checkId(id);
    byte[] body = bytes(Json.withoutIdAndAttributes(Json.object(Objects.requireNonNull(fields, "fields"), "fields"),
        false));
    return calls.call(HttpMethod.PATCH, "/sobjects/" + type + "/" + id, body).then();
  }

  Mono<UpsertResult> upsert(String type, String externalIdField, String externalId, Object record) {
    Paths.checkName(type, "type");
    Paths.checkName(externalIdField, "externalIdField");
    Objects.requireNonNull(externalId, "externalId");
    if (externalId.isBlank()) {
      throw new IllegalArgumentException("externalId must not be blank");
    }
    byte[] body = bytes(Json.withoutIdAndAttributes(Json.object(Objects.requireNonNull(record, "record"), "record"),
        false));
    // Idempotent by construction (the external id names the record): replayed after a lost reply like a PUT. A
    // replay of an upsert that created the record reports created=false: the record exists once either way.
    return calls.idempotentCall(HttpMethod.PATCH,
            "/sobjects/" + type + "/" + externalIdField + "/" + Paths.segment(externalId), body)
        .map(reply -> {
          if (reply.body().length == 0) {
            return new UpsertResult(null, reply.status() == 201);
          }
          JsonNode node = tree(reply.body(), "upsert result");
          JsonNode created = node.get("created");
          return new UpsertResult(text(node, "id"), created != null ? created.asBoolean() : reply.status() == 201);
        });
  }

  Mono<Void> delete(String type, String id) {
    Paths.checkName(type, "type");
    Paths.checkId(id);
    // A DELETE is replayed after a lost reply; the replay of a delete that ran finds the record in the recycle
    // bin (404 ENTITY_IS_DELETED). The caller asked for the record to be gone, and it is.
    return calls.call(HttpMethod.DELETE, "/sobjects/" + type + "/" + id, null)
        .onErrorResume(e -> e instanceof SalesforceException se && "ENTITY_IS_DELETED".equals(se.errorCode()),
            e -> Mono.empty())
        .then();
  }

  static SaveResult saveResult(JsonNode node, boolean createdOnSuccess) {
    if (!node.isObject()) {
      throw Rest.malformed("a save result is not a JSON object", null);
    }
    JsonNode success = node.get("success");
    List<ApiError> errors = new ArrayList<>();
    JsonNode list = node.get("errors");
    if (list != null && list.isArray()) {
      for (JsonNode e : list) {
        String code = text(e, "statusCode");
        if (code == null) {
          code = text(e, "errorCode");
        }
        List<String> fields = new ArrayList<>();
        JsonNode f = e.get("fields");
        if (f != null && f.isArray()) {
          f.forEach(n -> fields.add(n.asString()));
        }
        String message = text(e, "message");
        errors.add(new ApiError(code == null ? "UNKNOWN" : code, message == null ? "" : message, fields));
      }
    }
    boolean ok = success != null ? success.asBoolean() : errors.isEmpty();
    JsonNode created = node.get("created");
    return new SaveResult(text(node, "id"), ok, errors,
        created != null && created.isBoolean() ? created.booleanValue() : ok && createdOnSuccess);
  }
}
