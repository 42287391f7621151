package io.forceflux.reactor.client;

import static io.forceflux.reactor.client.ResourceCalls.bytes;
import static io.forceflux.reactor.client.ResourceCalls.tree;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Flux;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** sObject Collections writes and reads: up to 200 records a request, one request at a time. */
final class CollectionCalls {
  private static final int COLLECTION_SIZE = 200;

  private final ResourceCalls calls;

  CollectionCalls(ResourceCalls calls) {
    this.calls = calls;
  }

  Flux<SaveResult> createAll(String type, Publisher<?> records, boolean allOrNone) {
    return collections(type, records, allOrNone, HttpMethod.POST, "/composite/sobjects", null);
  }

  Flux<SaveResult> updateAll(String type, Publisher<?> recordsWithId, boolean allOrNone) {
    return collections(type, recordsWithId, allOrNone, HttpMethod.PATCH, "/composite/sobjects", null);
  }

  Flux<SaveResult> upsertAll(String type, String externalIdField, Publisher<?> records, boolean allOrNone) {
    Paths.checkName(type, "type");
    Paths.checkName(externalIdField, "externalIdField");
    return collections(type, records, allOrNone, HttpMethod.PATCH,
        "/composite/sobjects/" + type + "/" + externalIdField, externalIdField);
  }

  Flux<SaveResult> deleteAll(Publisher<String> ids, boolean allOrNone) {
    Objects.requireNonNull(ids, "ids");
    return Flux.from(ids)
        .map(Paths::checkId)
        .buffer(COLLECTION_SIZE)
        .concatMap(batch -> calls.call(HttpMethod.DELETE, "/composite/sobjects?ids=" + String.join(",", batch)
                + "&allOrNone=" + allOrNone, null)
            .flatMapIterable(reply -> saveResults(tree(reply.body(), "sObject Collections result"), batch.size(),
                false)), 1);
  }

  <T> Flux<java.util.Optional<T>> retrieveAll(String type, Publisher<String> ids, Class<T> cls,
      String... fields) {
    Paths.checkName(type, "type");
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(cls, "cls");
    if (fields.length == 0) {
      throw new IllegalArgumentException("retrieveAll needs at least one field");
    }
    for (String f : fields) {
      Paths.checkName(f, "field");
    }
    ObjectReader reader = Json.MAPPER.readerFor(cls);
    return Flux.from(ids)
        .map(Paths::checkId)
        .buffer(COLLECTION_SIZE)
        .concatMap(batch -> {
          ObjectNode body = Json.MAPPER.createObjectNode();
          body.putArray("ids").addAll(batch.stream().map(Json.MAPPER.getNodeFactory()::stringNode).toList());
          body.putArray("fields").addAll(java.util.Arrays.stream(fields)
              .map(Json.MAPPER.getNodeFactory()::stringNode).toList());
          return calls.call(HttpMethod.POST, "/composite/sobjects/" + type, bytes(body)).flatMapIterable(reply -> {
            JsonNode root = tree(reply.body(), "sObject Collections retrieve result");
            if (!(root instanceof ArrayNode array) || array.size() != batch.size()) {
              throw Rest.malformed("the sObject Collections retrieve response does not hold one entry per Id", null);
            }
            List<java.util.Optional<T>> out = new ArrayList<>(batch.size());
            for (JsonNode node : array) {
              try {
                out.add(node == null || node.isNull() ? java.util.Optional.empty()
                    : java.util.Optional.of(reader.readValue(node)));
              } catch (JacksonException e) {
                throw Rest.malformed("a record could not be decoded as " + cls.getSimpleName(), null);
              }
            }
            return out;
          });
        }, 1);
  }

  /** sObject Collections writes; {@code externalIdField} non-null for upserts, whose records must carry it. */
  private Flux<SaveResult> collections(String type, Publisher<?> records, boolean allOrNone, HttpMethod method,
      String path, @Nullable String externalIdField) {
    Paths.checkName(type, "type");
    Objects.requireNonNull(records, "records");
    boolean create = method == HttpMethod.POST;
    return Flux.from(records)
        .map(record -> {
          ObjectNode node = Json.object(Objects.requireNonNull(record, "record"), "each record");
          if (create || externalIdField != null) {
            Json.withoutIdAndAttributes(node, true);
          } else {
            node.remove("attributes");
          }
          if (externalIdField != null && node.propertyNames().stream().noneMatch(externalIdField::equalsIgnoreCase)) {
            throw new IllegalArgumentException("each record of an upsert must carry " + externalIdField);
          }
          ObjectNode withType = Json.MAPPER.createObjectNode();
          withType.putObject("attributes").put("type", type);
          withType.setAll(node);
          return withType;
        })
        .buffer(COLLECTION_SIZE)
        .concatMap(batch -> {
          ObjectNode body = Json.MAPPER.createObjectNode();
          body.put("allOrNone", allOrNone);
          body.putArray("records").addAll(batch);
          return calls.call(method, path, bytes(body))
              .flatMapIterable(reply -> saveResults(tree(reply.body(), "sObject Collections result"), batch.size(),
                  create));
        }, 1);
  }

  static List<SaveResult> saveResults(JsonNode root, int expected, boolean createdOnSuccess) {
    if (!(root instanceof ArrayNode array) || array.size() != expected) {
      throw SalesforceException.of(FailureCause.MALFORMED_RESPONSE, "the sObject Collections response does not "
          + "hold one result per record (" + expected + " sent)");
    }
    List<SaveResult> results = new ArrayList<>(expected);
    for (JsonNode node : array) {
      results.add(SObjectCalls.saveResult(node, createdOnSuccess));
    }
    return results;
  }
}
