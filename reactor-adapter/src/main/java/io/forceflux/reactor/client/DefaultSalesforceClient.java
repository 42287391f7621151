package io.forceflux.reactor.client;

import static io.forceflux.reactor.client.ResourceCalls.bytes;
import static io.forceflux.reactor.client.ResourceCalls.text;

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
 * Single-record sObject calls live in {@link SObjectCalls}, sObject Collections in {@link CollectionCalls}.
 */
final class DefaultSalesforceClient implements SalesforceClient {
  /**
   * The API version used when none is configured and the instance's list cannot be read; keep
   * {@link SalesforceClient#apiVersion()}'s javadoc in step.
   */
  static final String FALLBACK_API_VERSION = "67.0";

  private static final Logger LOG = LoggerFactory.getLogger(DefaultSalesforceClient.class);
  private static final Consumer<HttpHeaders> NO_HEADERS = ResourceCalls.NO_HEADERS;

  /** How long a describe is served from the cache before it is asked again, with {@code If-Modified-Since}. */
  static final Duration DEFAULT_DESCRIBE_TTL = Duration.ofMinutes(15);

  private final WebClient web;
  private final Rest rest;
  private final ResourceCalls calls;
  private final SObjectCalls sObjects;
  private final CollectionCalls collections;
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
    this.calls = new ResourceCalls(rest, this.apiVersion);
    this.sObjects = new SObjectCalls(calls);
    this.collections = new CollectionCalls(calls);
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
    Objects.requireNonNull(type, "type");
    return query(query, Page.Decoding.<T>bound(Json.recordReader(type)));
  }

  @Override
  public <T> Flux<T> query(Query query, RecordDecoder<T> decoder) {
    return query(query, Page.Decoding.raw(Objects.requireNonNull(decoder, "decoder")));
  }

  private <T> Flux<T> query(Query query, Page.Decoding<T> decoding) {
    Objects.requireNonNull(query, "query");
    KeysetSoql keyset = query.resumable() ? KeysetSoql.prepare(query.soql()) : null;
    String soql = keyset != null ? keyset.initial() : query.soql();
    int batch = query.batchSize() != 0 ? query.batchSize() : batchSize;
    return new QueryStream<>(this::fetchPage, QueryStream.PageRequest.start(soql, query.all(), batch), keyset,
        decoding, pagePrefetch);
  }

  private Mono<Page> fetchPage(QueryStream.PageRequest request) {
    Mono<URI> uri = request.isStart()
        ? apiVersion.map(v -> Paths.query(v, request.all(), Objects.requireNonNull(request.soql())))
        : Mono.fromSupplier(() -> URI.create(Objects.requireNonNull(request.path())));
    Consumer<HttpHeaders> headers = request.batchSize() == 0 ? NO_HEADERS
        : h -> h.set("Sforce-Query-Options", "batchSize=" + request.batchSize());
    return uri.flatMap(u -> rest.call(HttpMethod.GET, u, null, headers))
        // Checked by the query stream, after it has used the page's head to request the next page.
        .map(reply -> Page.received(reply.body()));
  }

  // ---- sObjects ----

  @Override
  public Mono<SaveResult> create(String type, Object record) {
    return sObjects.create(type, record);
  }

  @Override
  public Mono<JsonNode> get(String type, String id, String... fields) {
    return get(type, id, JsonNode.class, fields);
  }

  @Override
  public <T> Mono<T> get(String type, String id, Class<T> cls, String... fields) {
    return sObjects.get(type, id, cls, fields);
  }

  @Override
  public Mono<Void> update(String type, String id, Object fields) {
    return sObjects.update(type, id, fields);
  }

  @Override
  public Mono<UpsertResult> upsert(String type, String externalIdField, String externalId, Object record) {
    return sObjects.upsert(type, externalIdField, externalId, record);
  }

  @Override
  public Mono<Void> delete(String type, String id) {
    return sObjects.delete(type, id);
  }

  @Override
  public Flux<SaveResult> createAll(String type, Publisher<?> records, boolean allOrNone) {
    return collections.createAll(type, records, allOrNone);
  }

  @Override
  public Flux<SaveResult> updateAll(String type, Publisher<?> recordsWithId, boolean allOrNone) {
    return collections.updateAll(type, recordsWithId, allOrNone);
  }

  @Override
  public Flux<SaveResult> upsertAll(String type, String externalIdField, Publisher<?> records, boolean allOrNone) {
    return collections.upsertAll(type, externalIdField, records, allOrNone);
  }

  @Override
  public Flux<SaveResult> deleteAll(Publisher<String> ids, boolean allOrNone) {
    return collections.deleteAll(ids, allOrNone);
  }

  @Override
  public <T> Flux<java.util.Optional<T>> retrieveAll(String type, Publisher<String> ids, Class<T> cls,
      String... fields) {
    return collections.retrieveAll(type, ids, cls, fields);
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
        .map(reply -> CompositeCalls.compositeResult(request, ResourceCalls.tree(reply.body(), "Composite result")));
  }

  @Override
  public Mono<BatchResult> batch(BatchRequest request) {
    Objects.requireNonNull(request, "request");
    return ApiGovernor.withCost(request.subrequests().size(),
        apiVersion.flatMap(v -> rest.call(HttpMethod.POST, Paths.resource(v, "/composite/batch"),
                bytes(CompositeCalls.batchBody(request, v)), NO_HEADERS))
            .map(reply -> CompositeCalls.batchResult(request,
                ResourceCalls.tree(reply.body(), "Composite Batch result"))));
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
    JsonNode records = ResourceCalls.tree(reply.body(), "search result").get("searchRecords");
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
    return calls.call(HttpMethod.GET, "/limits", null).map(reply -> {
      JsonNode root = ResourceCalls.tree(reply.body(), "limits");
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
      JsonNode root = ResourceCalls.tree(reply.body(), "versions");
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
}
