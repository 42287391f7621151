package io.forceflux.reactor.client;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.reactor.bulk.BulkClient;
import io.forceflux.reactor.bulk.BulkOptions;
import io.forceflux.reactor.governor.ApiGovernor;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The implementation behind {@link SalesforceClient#builder()}, which wires the {@code WebClient} this class
 * requires (one carrying a {@link io.forceflux.reactor.SessionRecoveryFilter} as its innermost filter).
 */
final class DefaultSalesforceClient implements SalesforceClient {
  /**
   * The API version used when none is configured and the instance's list cannot be read; keep
   * {@link SalesforceClient#apiVersion()}'s javadoc in step.
   */
  static final String FALLBACK_API_VERSION = "67.0";

  private static final Logger LOG = LoggerFactory.getLogger(DefaultSalesforceClient.class);
  private static final int COLLECTION_SIZE = 200;
  private static final Consumer<HttpHeaders> NO_HEADERS = h -> { };

  /** How long a describe is served from the cache before it is asked again, with {@code If-Modified-Since}. */
  static final Duration DEFAULT_DESCRIBE_TTL = Duration.ofMinutes(15);

  private final WebClient web;
  private final Rest rest;
  private final Describes describes;
  private final int pagePrefetch;
  private final int batchSize;
  private final Mono<String> apiVersion;

  /**
   * A client over {@code web}, which must carry the session filter; built by {@link SalesforceClient.Builder}.
   *
   * @param apiVersion null to discover it
   * @param batchSize 0 for none
   * @param scheduler the clock of the describe cache
   * @param describeTtl the describe cache's time to live (0: ask every time, with {@code If-Modified-Since})
   */
  DefaultSalesforceClient(WebClient web, @Nullable String apiVersion, int pagePrefetch, int batchSize,
      int maxPageBytes, Scheduler scheduler, Duration describeTtl) {
    Objects.requireNonNull(web, "web");
    Objects.requireNonNull(scheduler, "scheduler");
    Objects.requireNonNull(describeTtl, "describeTtl");
    if (apiVersion != null) {
      Paths.checkVersion(apiVersion);
    }
    if (batchSize != 0) {
      Query.checkBatchSize(batchSize);
    }
    this.web = web;
    this.describes = new Describes(scheduler, describeTtl);
    this.rest = new Rest(web, maxPageBytes);
    this.pagePrefetch = pagePrefetch;
    this.batchSize = batchSize;
    this.apiVersion = apiVersion != null ? Mono.just(apiVersion) : discoverVersion();
  }

  /** The newest listed version, learnt once; a fallback caused by a failure before any answer is not kept. */
  private Mono<String> discoverVersion() {
    return versions()
        .map(list -> new Discovered(newest(list), true))
        .onErrorResume(e -> {
          // Only a definitive answer from the versions resource itself (a 4xx REST error such as NOT_FOUND) pins
          // the fallback for the client's life. A 503, a transport error or a token-endpoint failure says nothing
          // about the versions the org serves: the fallback serves this call and the next one asks again.
          boolean answered = e instanceof SalesforceException se && se.failureCause() == FailureCause.API_ERROR
              && se.status() >= 400 && se.status() < 500;
          LOG.debug("API versions could not be read ({}); using v{}", e.getClass().getSimpleName(),
              FALLBACK_API_VERSION);
          return Mono.just(new Discovered(FALLBACK_API_VERSION, answered));
        })
        .cacheInvalidateIf(d -> !d.permanent())
        .map(Discovered::version);
  }

  private record Discovered(String version, boolean permanent) {}

  private static String newest(List<ApiVersion> versions) {
    return versions.stream()
        .map(ApiVersion::version)
        .filter(Paths::isVersion)
        .max(Comparator.comparingDouble(Double::parseDouble))
        .orElse(FALLBACK_API_VERSION);
  }

  @Override
  public Mono<String> apiVersion() {
    return apiVersion;
  }

  // ---- query ----

  @Override
  public Flux<JsonNode> query(String soql) {
    return query(Query.of(soql), JsonNode.class);
  }

  @Override
  public <T> Flux<T> query(String soql, Class<T> type) {
    return query(Query.of(soql), type);
  }

  @Override
  public Flux<JsonNode> queryAll(String soql) {
    return query(Query.of(soql).all(true), JsonNode.class);
  }

  @Override
  public <T> Flux<T> queryAll(String soql, Class<T> type) {
    return query(Query.of(soql).all(true), type);
  }

  @Override
  public Flux<JsonNode> query(Query query) {
    return query(query, JsonNode.class);
  }

  @Override
  public <T> Flux<T> query(Query query, Class<T> type) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(type, "type");
    ObjectReader reader = Json.recordReader(type);
    KeysetSoql keyset = query.resumable() ? KeysetSoql.prepare(query.soql()) : null;
    String soql = keyset != null ? keyset.initial() : query.soql();
    int batch = query.batchSize() != 0 ? query.batchSize() : batchSize;
    return new QueryStream<>(this::fetchPage, QueryStream.PageRequest.start(soql, query.all(), batch), keyset,
        reader, pagePrefetch);
  }

  private Mono<Page> fetchPage(QueryStream.PageRequest request) {
    Mono<URI> uri = request.isStart()
        ? apiVersion.map(v -> Paths.query(v, request.all(), Objects.requireNonNull(request.soql())))
        : Mono.fromSupplier(() -> URI.create(Objects.requireNonNull(request.path())));
    Consumer<HttpHeaders> headers = request.batchSize() == 0 ? NO_HEADERS
        : h -> h.set("Sforce-Query-Options", "batchSize=" + request.batchSize());
    return uri.flatMap(u -> rest.call(HttpMethod.GET, u, null, headers))
        .map(reply -> Page.parse(reply.body()));
  }

  // ---- sObjects ----

  @Override
  public Mono<SaveResult> create(String type, Object record) {
    Paths.checkName(type, "type");
    byte[] body = bytes(Json.withoutIdAndAttributes(Json.object(Objects.requireNonNull(record, "record"), "record"),
        true));
    return call(HttpMethod.POST, "/sobjects/" + type, body)
        .map(reply -> saveResult(tree(reply.body(), "create result"), true));
  }

  @Override
  public Mono<JsonNode> get(String type, String id, String... fields) {
    return get(type, id, JsonNode.class, fields);
  }

  @Override
  public <T> Mono<T> get(String type, String id, Class<T> cls, String... fields) {
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
    return call(HttpMethod.GET, path.toString(), null).handle((reply, sink) -> {
      try {
        sink.next(reader.readValue(reply.body()));
      } catch (JacksonException e) {
        sink.error(Rest.malformed("the record could not be decoded as " + cls.getSimpleName() + " ("
            + e.getClass().getSimpleName() + ")", null));
      }
    });
  }

  @Override
  public Mono<Void> update(String type, String id, Object fields) {
    Paths.checkName(type, "type");
    Paths.checkId(id);
    byte[] body = bytes(Json.withoutIdAndAttributes(Json.object(Objects.requireNonNull(fields, "fields"), "fields"),
        false));
    return call(HttpMethod.PATCH, "/sobjects/" + type + "/" + id, body).then();
  }

  @Override
  public Mono<UpsertResult> upsert(String type, String externalIdField, String externalId, Object record) {
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
    return idempotentCall(HttpMethod.PATCH,
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

  @Override
  public Mono<Void> delete(String type, String id) {
    Paths.checkName(type, "type");
    Paths.checkId(id);
    // A DELETE is replayed after a lost reply; the replay of a delete that ran finds the record in the recycle
    // bin (404 ENTITY_IS_DELETED). The caller asked for the record to be gone, and it is.
    return call(HttpMethod.DELETE, "/sobjects/" + type + "/" + id, null)
        .onErrorResume(e -> e instanceof SalesforceException se && "ENTITY_IS_DELETED".equals(se.errorCode()),
            e -> Mono.empty())
        .then();
  }

  @Override
  public Flux<SaveResult> createAll(String type, Publisher<?> records, boolean allOrNone) {
    return collections(type, records, allOrNone, HttpMethod.POST, "/composite/sobjects", null);
  }

  @Override
  public Flux<SaveResult> updateAll(String type, Publisher<?> recordsWithId, boolean allOrNone) {
    return collections(type, recordsWithId, allOrNone, HttpMethod.PATCH, "/composite/sobjects", null);
  }

  @Override
  public Flux<SaveResult> upsertAll(String type, String externalIdField, Publisher<?> records, boolean allOrNone) {
    Paths.checkName(type, "type");
    Paths.checkName(externalIdField, "externalIdField");
    return collections(type, records, allOrNone, HttpMethod.PATCH,
        "/composite/sobjects/" + type + "/" + externalIdField, externalIdField);
  }

  @Override
  public Flux<SaveResult> deleteAll(Publisher<String> ids, boolean allOrNone) {
    Objects.requireNonNull(ids, "ids");
    return Flux.from(ids)
        .map(Paths::checkId)
        .buffer(COLLECTION_SIZE)
        .concatMap(batch -> call(HttpMethod.DELETE, "/composite/sobjects?ids=" + String.join(",", batch)
                + "&allOrNone=" + allOrNone, null)
            .flatMapIterable(reply -> saveResults(tree(reply.body(), "sObject Collections result"), batch.size(),
                false)), 1);
  }

  @Override
  public <T> Flux<java.util.Optional<T>> retrieveAll(String type, Publisher<String> ids, Class<T> cls,
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
          return call(HttpMethod.POST, "/composite/sobjects/" + type, bytes(body)).flatMapIterable(reply -> {
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
          return call(method, path, bytes(body))
              .flatMapIterable(reply -> saveResults(tree(reply.body(), "sObject Collections result"), batch.size(),
                  create));
        }, 1);
  }

  @Override
  public BulkClient bulk(BulkOptions options) {
    return BulkClient.create(web, apiVersion, options);
  }

  // ---- composite ----

  @Override
  public Mono<CompositeResult> composite(CompositeRequest request) {
    Objects.requireNonNull(request, "request");
    return apiVersion.flatMap(v -> rest.call(HttpMethod.POST, Paths.resource(v, "/composite"),
            bytes(CompositeCalls.compositeBody(request, v)), NO_HEADERS))
        .map(reply -> CompositeCalls.compositeResult(request, tree(reply.body(), "Composite result")));
  }

  @Override
  public Mono<BatchResult> batch(BatchRequest request) {
    Objects.requireNonNull(request, "request");
    return ApiGovernor.withCost(request.subrequests().size(),
        apiVersion.flatMap(v -> rest.call(HttpMethod.POST, Paths.resource(v, "/composite/batch"),
                bytes(CompositeCalls.batchBody(request, v)), NO_HEADERS))
            .map(reply -> CompositeCalls.batchResult(request, tree(reply.body(), "Composite Batch result"))));
  }

  @Override
  public Mono<TreeResult> tree(String type, List<?> records) {
    Paths.checkName(type, "type");
    Objects.requireNonNull(records, "records");
    ArrayNode array = Json.MAPPER.createArrayNode();
    int[] count = {0};
    for (Object record : records) {
      ObjectNode node = Json.object(Objects.requireNonNull(record, "record"), "each record");
      CompositeCalls.checkTreeRecord(node, 1, count);
      array.add(node);
    }
    if (count[0] == 0 || count[0] > CompositeCalls.MAX_TREE_RECORDS) {
      throw new IllegalArgumentException("an sObject tree holds 1 to " + CompositeCalls.MAX_TREE_RECORDS
          + " records, not " + count[0]);
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.set("records", array);
    byte[] bytes = bytes(body);
    // A failed tree is a 400 carrying the per-record errors: read it as an answer, not as an error.
    return apiVersion.flatMap(v -> rest.call(HttpMethod.POST, Paths.resource(v, "/composite/tree/" + type), bytes,
            NO_HEADERS, status -> status == 400))
        .map(reply -> CompositeCalls.treeResult(reply.status(), reply.body(), "POST /composite/tree/" + type));
  }

  // ---- describe, search, Apex REST ----

  @Override
  public Mono<JsonNode> describeGlobal() {
    return describes.get("", "/sobjects", this::conditionalGet);
  }

  @Override
  public Mono<JsonNode> describe(String type) {
    Paths.checkName(type, "type");
    return describes.get(type.toLowerCase(java.util.Locale.ROOT), "/sobjects/" + type + "/describe",
        this::conditionalGet);
  }

  private Mono<Rest.Reply> conditionalGet(String path, @Nullable String ifModifiedSince) {
    return apiVersion.flatMap(v -> rest.call(HttpMethod.GET, Paths.resource(v, path), null,
        ifModifiedSince == null ? NO_HEADERS : h -> h.set(HttpHeaders.IF_MODIFIED_SINCE, ifModifiedSince)));
  }

  @Override
  public <T> Flux<T> search(String sosl, Class<T> type) {
    Objects.requireNonNull(sosl, "sosl");
    Objects.requireNonNull(type, "type");
    if (sosl.isBlank()) {
      throw new IllegalArgumentException("sosl must not be blank");
    }
    ObjectReader reader = Json.MAPPER.readerFor(type);
    return apiVersion.flatMap(v -> rest.call(HttpMethod.GET, URI.create(Paths.DATA + "v" + v + "/search?q="
            + java.net.URLEncoder.encode(sosl, java.nio.charset.StandardCharsets.UTF_8)), null, NO_HEADERS))
        .flatMapIterable(reply -> searchRecords(reply, reader, type));
  }

  @Override
  public <T> Flux<T> search(ParameterizedSearch search, Class<T> type) {
    Objects.requireNonNull(search, "search");
    Objects.requireNonNull(type, "type");
    ObjectReader reader = Json.MAPPER.readerFor(type);
    byte[] body = bytes(search.body());
    // A search changes nothing, so the session filter may replay this POST like a GET.
    return apiVersion.flatMap(v -> rest.call(HttpMethod.POST, Paths.resource(v, "/parameterizedSearch"), body,
            NO_HEADERS))
        .flatMapIterable(reply -> searchRecords(reply, reader, type));
  }

  private static <T> List<T> searchRecords(Rest.Reply reply, ObjectReader reader, Class<T> type) {
    JsonNode records = tree(reply.body(), "search result").get("searchRecords");
    if (records == null || !records.isArray()) {
      throw Rest.malformed("the search result has no searchRecords array", null);
    }
    List<T> out = new ArrayList<>(records.size());
    for (JsonNode record : records) {
      try {
        out.add(reader.readValue(record));
      } catch (JacksonException e) {
        throw Rest.malformed("a search record could not be decoded as " + type.getSimpleName(), null);
      }
    }
    return out;
  }

  @Override
  public <T> Mono<T> apexRest(HttpMethod method, String path, @Nullable Object body, Class<T> type) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(type, "type");
    URI uri = Paths.apexRest(path);
    byte[] bytes = body == null ? null : Json.MAPPER.writeValueAsBytes(body);
    ObjectReader reader = Json.MAPPER.readerFor(type);
    return rest.call(method, uri, bytes, NO_HEADERS).handle((reply, sink) -> {
      if (reply.body().length == 0) {
        sink.complete();
        return;
      }
      try {
        sink.next(reader.readValue(reply.body()));
      } catch (JacksonException e) {
        sink.error(Rest.malformed("the Apex REST response could not be decoded as " + type.getSimpleName(), null));
      }
    });
  }

  // ---- org ----

  @Override
  public Mono<Limits> limits() {
    return call(HttpMethod.GET, "/limits", null).map(reply -> {
      JsonNode root = tree(reply.body(), "limits");
      Map<String, Limit> all = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : root.properties()) {
        JsonNode max = e.getValue().get("Max");
        JsonNode remaining = e.getValue().get("Remaining");
        if (max != null && max.isNumber() && remaining != null && remaining.isNumber()) {
          all.put(e.getKey(), new Limit(max.asLong(), remaining.asLong()));
        }
      }
      Limit daily = all.get("DailyApiRequests");
      if (daily == null) {
        throw Rest.malformed("the limits response has no DailyApiRequests", null);
      }
      return new Limits(daily, all);
    });
  }

  @Override
  public Mono<List<ApiVersion>> versions() {
    return rest.call(HttpMethod.GET, Paths.versions(), null, NO_HEADERS).map(reply -> {
      JsonNode root = tree(reply.body(), "versions");
      if (!root.isArray()) {
        throw Rest.malformed("the versions response is not a JSON array", null);
      }
      List<ApiVersion> versions = new ArrayList<>();
      for (JsonNode v : root) {
        String version = text(v, "version");
        if (version != null) {
          String label = text(v, "label");
          String url = text(v, "url");
          versions.add(new ApiVersion(version, label == null ? "" : label, url == null ? "" : url));
        }
      }
      return Collections.unmodifiableList(versions);
    });
  }

  // ---- plumbing ----

  private Mono<Rest.Reply> call(HttpMethod method, String pathAfterVersion, byte @Nullable [] body) {
    return apiVersion.flatMap(v -> rest.call(method, Paths.resource(v, pathAfterVersion), body, NO_HEADERS));
  }

  /** A call whose repetition has the effect of one run: the session filter may replay it after a lost reply. */
  private Mono<Rest.Reply> idempotentCall(HttpMethod method, String pathAfterVersion, byte @Nullable [] body) {
    return apiVersion.flatMap(v -> rest.call(method, Paths.resource(v, pathAfterVersion), body, NO_HEADERS, true));
  }

  private static byte[] bytes(JsonNode node) {
    return Json.MAPPER.writeValueAsBytes(node);
  }

  private static JsonNode tree(byte[] body, String what) {
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw Rest.malformed("the " + what + " is empty", null);
      }
      return node;
    } catch (JacksonException e) {
      throw Rest.malformed("the " + what + " is not well-formed JSON (" + e.getClass().getSimpleName() + ")", null);
    }
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || !v.isString() ? null : v.stringValue();
  }

  private static SaveResult saveResult(JsonNode node) {
    return saveResult(node, false);
  }

  private static SaveResult saveResult(JsonNode node, boolean createdOnSuccess) {
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

  private static List<SaveResult> saveResults(JsonNode root, int expected, boolean createdOnSuccess) {
    if (!(root instanceof ArrayNode array) || array.size() != expected) {
      throw SalesforceException.of(FailureCause.MALFORMED_RESPONSE, "the sObject Collections response does not "
          + "hold one result per record (" + expected + " sent)");
    }
    List<SaveResult> results = new ArrayList<>(expected);
    for (JsonNode node : array) {
      results.add(saveResult(node, createdOnSuccess));
    }
    return results;
  }
}
