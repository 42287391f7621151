package io.forceflux.reactor.client;

import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.InstanceUrlPolicy;
import io.forceflux.core.error.LimitInfo;
import io.forceflux.core.event.SessionListener;
import io.forceflux.core.internal.ApiVersions;
import io.forceflux.core.recovery.RecoveryPolicy;
import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.reactor.ConnectionPools;
import io.forceflux.reactor.SessionRecoveryFilter;
import io.forceflux.reactor.TokenSource;
import io.forceflux.reactor.bulk.BulkClient;
import io.forceflux.reactor.bulk.BulkOptions;
import io.forceflux.reactor.governor.ApiGovernor;
import io.forceflux.reactor.internal.Codecs;
import io.forceflux.reactor.internal.OptionRules;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;

/**
 * A reactive Salesforce REST client that survives session death: queries as demand-driven {@link Flux}es,
 * sObject reads and writes, sObject Collections batches, limits and versions.
 *
 * <pre>{@code
 * SalesforceClient client = SalesforceClient.builder()
 *     .grant(Grant.refreshToken(URI.create("https://login.salesforce.com"), clientId, secret, refreshToken))
 *     .build();
 * client.query("SELECT Id, Name FROM Account", Account.class)
 *     .subscribe(account -> ...);
 * }</pre>
 *
 * <p><b>Sessions.</b> Every request goes through a {@link SessionRecoveryFilter}: a request rejected with
 * {@code INVALID_SESSION_ID} is replayed once after the one shared refresh, against the current
 * {@code instance_url}. Paths are host-relative ({@code /services/data/vNN.N/…}), so a replay follows an instance
 * move, and the token is never sent to another origin.
 *
 * <p><b>Errors.</b> Every failure is a {@link io.forceflux.core.error.SalesforceException}: an error response keeps
 * Salesforce's {@code errorCode}, message, fields and HTTP status and is classified ({@code UNABLE_TO_LOCK_ROW}
 * is {@link io.forceflux.core.error.FailureCause#ROW_LOCKED}, never retried); a body that is cut off or not what the
 * API sends is {@code MALFORMED_RESPONSE} or {@code TRANSPORT}; a larger one than allowed
 * {@code RESPONSE_TOO_LARGE}. No Spring or Reactor Netty exception escapes. Writes (POST, PATCH) are replayed after
 * a session rejection (Salesforce ran nothing) but never after a transport failure (it may have run).
 *
 * <p><b>Arguments</b> (null, blank, an sObject name or Id that cannot be valid, a record that is not a JSON object)
 * fail when the call is made, with {@link NullPointerException} or {@link IllegalArgumentException}; nothing runs
 * until subscription, and each subscription sends its own requests.
 *
 * <p>Thread-safe; create one per org and credential and share it.
 */
public interface SalesforceClient {

  /** A builder with every option at its default; a grant or a token source is required. */
  static Builder builder() {
    return new Builder();
  }

  // ---- query ----

  /**
   * The records of a SOQL query as JSON objects (with Salesforce's {@code attributes}), in the order Salesforce
   * sends them. Same as {@code query(Query.of(soql))}.
   *
   * @see #query(Query, Class)
   */
  Flux<JsonNode> query(String soql);

  /**
   * The records of a SOQL query bound to {@code type} with Jackson (unknown properties such as
   * {@code attributes} are ignored; property names match case-insensitively, so {@code Name} binds to a
   * {@code name} component). Same as {@code query(Query.of(soql), type)}.
   *
   * @see #query(Query, Class)
   */
  <T> Flux<T> query(String soql, Class<T> type);

  /** Like {@link #query(String)}, including deleted and archived records ({@code /queryAll}). */
  Flux<JsonNode> queryAll(String soql);

  /** Like {@link #query(String, Class)}, including deleted and archived records ({@code /queryAll}). */
  <T> Flux<T> queryAll(String soql, Class<T> type);

  /** The records of {@code query} as JSON objects; see {@link #query(Query, Class)}. */
  Flux<JsonNode> query(Query query);

  /**
   * The records of {@code query}, paged on demand.
   *
   * <ul>
   *   <li>Nothing is requested before the subscriber requests; a page is requested when demand exceeds the
   *       records already received, plus up to {@link Builder#pagePrefetch(int)} pages ahead: once half of the
   *       first page has been emitted, and as soon as a page arrives once the subscriber has taken a whole page.
   *       {@code request(1)} costs one page request; unbounded demand
   *       ({@code count()}, {@code collectList()}) keeps the next page request in flight while a page is emitted
   *       (one request at a time); cancelling disposes the request in flight and stops paging.
   *   <li>Pages are read into a buffer of at most {@link Builder#maxPageBytes(int)} bytes, checked completely, then
   *       decoded one record at a time as they are emitted: memory is bounded by page size times
   *       {@code 1 + pagePrefetch}, whatever the number of records.
   *   <li>A page request whose session died is replayed at the same {@code nextRecordsUrl} after the refresh. If
   *       Salesforce then refuses the cursor ({@code INVALID_QUERY_LOCATOR}: cursors bound to a dead session, or
   *       expired), a {@linkplain Query#resumable(boolean) resumable} query continues after the last Id received;
   *       any other query fails with {@code QUERY_LOCATOR_INVALID}.
   *   <li>{@code nextRecordsUrl} and each record's {@code attributes.url} must be host-relative paths under
   *       {@code /services/data/}; anything else (an absolute URL, even on the instance's own origin, a
   *       protocol-relative {@code //host}, another path) fails with {@code UNTRUSTED_URL} before anything is
   *       requested.
   *   <li>Errors are signalled after the records received before them: {@code MALFORMED_QUERY},
   *       {@code INVALID_FIELD}, {@code INVALID_TYPE} as {@code API_ERROR} with that {@code errorCode}; a truncated
   *       or garbled page as {@code TRANSPORT} or {@code MALFORMED_RESPONSE}; a record that does not bind to
   *       {@code type} as {@code MALFORMED_RESPONSE}.
   * </ul>
   */
  <T> Flux<T> query(Query query, Class<T> type);

  /**
   * The records of {@code query}, each turned into a value by {@code decoder} straight from the page's parser,
   * without an object mapper: paging, checks, replays and errors as for {@link #query(Query, Class)}.
   */
  <T> Flux<T> query(Query query, RecordDecoder<T> decoder);

  // ---- sObjects ----

  /**
   * Creates one record ({@code POST /sobjects/{type}}). {@code record} is serialised with Jackson; an
   * {@code attributes} property and a null {@code Id} are left out.
   *
   * @return the new record's Id; a rejected record (validation rule, required field, …) signals a
   *     {@code SalesforceException} with Salesforce's {@code errorCode}
   */
  Mono<SaveResult> create(String type, Object record);

  /**
   * Reads one record ({@code GET /sobjects/{type}/{id}}), with only {@code fields} if any are given.
   *
   * @return the record; a missing one signals {@code SalesforceException} with {@code errorCode NOT_FOUND} (404)
   */
  Mono<JsonNode> get(String type, String id, String... fields);

  /** Like {@link #get(String, String, String...)}, bound to {@code cls}. */
  <T> Mono<T> get(String type, String id, Class<T> cls, String... fields);

  /**
   * Updates one record ({@code PATCH /sobjects/{type}/{id}}) with the properties of {@code fields} (a map, a
   * record, a JSON object); {@code attributes} and any {@code Id} property are left out.
   */
  Mono<Void> update(String type, String id, Object fields);

  /**
   * Inserts or updates the record whose {@code externalIdField} equals {@code externalId}
   * ({@code PATCH /sobjects/{type}/{field}/{value}}): idempotent, so safe to retry at the application level, and
   * replayed by the session filter after a transport error or a 5xx like a PUT. When a replay finds the record
   * its lost first attempt created, the result says {@code created=false}.
   */
  Mono<UpsertResult> upsert(String type, String externalIdField, String externalId, Object record);

  /**
   * Deletes one record ({@code DELETE /sobjects/{type}/{id}}). A record that is already deleted (404
   * {@code ENTITY_IS_DELETED}, as when a replay after a lost reply finds its first attempt's work done) counts as
   * deleted: the call completes empty. Any other failure, {@code NOT_FOUND} included, is signalled.
   */
  Mono<Void> delete(String type, String id);

  /**
   * Creates records in sObject Collections calls ({@code POST /composite/sobjects}) of up to 200 records, one call
   * at a time, pulling records from {@code records} as calls complete.
   *
   * @param allOrNone whether a failing record rolls back the others of its call (of up to 200 records; earlier
   *     calls are not rolled back)
   * @return one result per record, in input order; a record Salesforce refused is a result with
   *     {@code success=false} and its errors, not an error signal
   */
  Flux<SaveResult> createAll(String type, Publisher<?> records, boolean allOrNone);

  /**
   * Updates records (each carrying its {@code Id}) in sObject Collections calls ({@code PATCH /composite/sobjects})
   * of up to 200, one call at a time.
   *
   * @return one result per record, in input order
   */
  Flux<SaveResult> updateAll(String type, Publisher<?> recordsWithId, boolean allOrNone);

  // ---- Bulk API 2.0 ----

  /** Bulk API 2.0 ingest and query jobs on this client's session, with {@link BulkOptions#defaults()}. */
  default BulkClient bulk() {
    return bulk(BulkOptions.defaults());
  }

  /** Bulk API 2.0 ingest and query jobs on this client's session and API version; see {@link BulkClient}. */
  BulkClient bulk(BulkOptions options);

  /**
   * Inserts or updates records by external Id in sObject Collections calls
   * ({@code PATCH /composite/sobjects/{type}/{externalIdField}}) of up to 200, one call at a time. Each record must
   * carry {@code externalIdField}; {@code attributes} and null Ids are left out.
   *
   * @return one result per record, in input order; {@link SaveResult#created()} says whether it was inserted
   * @throws IllegalArgumentException (signalled) for a record without {@code externalIdField}
   */
  Flux<SaveResult> upsertAll(String type, String externalIdField, Publisher<?> records, boolean allOrNone);

  /**
   * Deletes records by Id in sObject Collections calls ({@code DELETE /composite/sobjects?ids=}) of up to 200, one
   * call at a time.
   *
   * @return one result per Id, in input order; an Id Salesforce could not delete is a result with its errors
   */
  Flux<SaveResult> deleteAll(Publisher<String> ids, boolean allOrNone);

  /**
   * Reads records of one type by Id in sObject Collections calls ({@code POST /composite/sobjects/{type}} with
   * {@code ids} and {@code fields}) of up to 200, one call at a time.
   *
   * @param fields at least one field
   * @return one element per Id, in input order: the record bound to {@code cls}, or empty when there is none
   */
  <T> Flux<Optional<T>> retrieveAll(String type, Publisher<String> ids, Class<T> cls, String... fields);

  // ---- composite ----

  /**
   * Sends a Composite request ({@code POST /composite}): one API call for up to 25 subrequests. Salesforce answers
   * HTTP 200 whatever the subrequests did, so the result is typed per subrequest; with {@code allOrNone}, a failure
   * is reported as {@link CompositeResult#rolledBack()}, never as success.
   *
   * <p>A subrequest answered {@code INVALID_SESSION_ID} inside the 200 (the session died during the call) makes the
   * whole call replay after the refresh only when no subrequest took effect: every result is that rejection or
   * {@code PROCESSING_HALTED} (rolled back or not run). Otherwise the result is returned as it is, and the
   * subrequests that failed with {@code INVALID_SESSION_ID} are for the caller to retry.
   */
  Mono<CompositeResult> composite(CompositeRequest request);

  /**
   * Sends a Composite Batch request ({@code POST /composite/batch}): independent subrequests, each an API call of
   * its own (a governor counts them all). Replayed after {@code INVALID_SESSION_ID} on the same terms as
   * {@link #composite(CompositeRequest)}.
   */
  Mono<BatchResult> batch(BatchRequest request);

  /**
   * Creates a tree of records in one call ({@code POST /composite/tree/{type}}), all or nothing: up to 200 records
   * of up to 5 types, 5 levels deep. Each record carries {@code attributes: {type, referenceId}}; children sit
   * under their relationship name as {@code {"records": [...]}}.
   *
   * @return the Ids by reference id, or, when Salesforce refused the tree (nothing created), the errors of the
   *     failing records; an error signal only for a refusal of the request as a whole
   * @throws IllegalArgumentException for a record without type or reference id, or a tree over the limits
   */
  Mono<TreeResult> tree(String type, List<?> records);

  // ---- describe, search, Apex REST ----

  /**
   * The org's sObject types ({@code GET /sobjects}), cached like {@link #describe(String)}.
   */
  Mono<JsonNode> describeGlobal();

  /**
   * One sObject type's metadata ({@code GET /sobjects/{type}/describe}): fields with type, length,
   * {@code nillable}, {@code createable}, {@code externalId}, .... Cached per client: for
   * {@link Builder#describeCacheTtl(Duration)} no call is made; after it, the describe is asked again with
   * {@code If-Modified-Since}, and Salesforce's {@code 304 Not Modified} keeps the cached one. Each subscriber
   * gets its own copy.
   */
  Mono<JsonNode> describe(String type);

  /**
   * The records a SOSL search finds ({@code GET /search?q=}), e.g.
   * {@code FIND {Acme} IN NAME FIELDS RETURNING Account(Id, Name)}, bound to {@code type} like query records.
   */
  <T> Flux<T> search(String sosl, Class<T> type);

  /**
   * The records a parameterised search finds ({@code POST /parameterizedSearch}): a search string with the types,
   * fields and limits as parameters instead of a SOSL statement, bound to {@code type} like {@link #search(String,
   * Class)}. One API call.
   */
  <T> Flux<T> search(ParameterizedSearch search, Class<T> type);

  /**
   * Calls an Apex REST resource ({@code /services/apexrest/{path}}) with {@code body} serialised as JSON (none if
   * null) and binds the JSON answer to {@code type}; an empty answer (204) completes empty. Goes through the same
   * session filter and governor as every call.
   *
   * @param path relative to {@code /services/apexrest/}: segments of letters, digits and {@code _ ~ . -}, no dot
   *     segments, optionally an encoded query
   * @throws IllegalArgumentException for another path
   */
  <T> Mono<T> apexRest(HttpMethod method, String path, @Nullable Object body, Class<T> type);

  // ---- org ----

  /** The org's limits ({@code GET /limits}). */
  Mono<Limits> limits();

  /** The API versions the instance serves ({@code GET /services/data/}), oldest first as Salesforce lists them. */
  Mono<List<ApiVersion>> versions();

  /**
   * The API version requests use: the configured one, else the newest the instance lists (asked once), else
   * {@code 67.0} if that cannot be learnt.
   */
  Mono<String> apiVersion();

  /**
   * Options for a {@link SalesforceClient}. Every option has a default except the credential: exactly one of
   * {@link #grant(Grant)} and {@link #tokenSource(TokenSource)}. Invalid values fail in the setter or in
   * {@link #build()} with {@link IllegalArgumentException} or {@link IllegalStateException}.
   */
  final class Builder {
    private static final int MIB = 1024 * 1024;

    private @Nullable Grant grant;
    private @Nullable TokenSource tokenSource;
    private @Nullable InstanceUrlPolicy instanceUrlPolicy;
    private @Nullable Duration sessionTimeout;
    private WebClient.@Nullable Builder webClientBuilder;
    private @Nullable HttpClient httpClient;
    private @Nullable String apiVersion;
    private int pagePrefetch = 1;
    private int batchSize;
    private int maxPageBytes = 32 * MIB;
    private SessionListener listener = SessionListener.logging();
    private Scheduler scheduler = Schedulers.parallel();
    private RecoveryPolicy recoveryPolicy = RecoveryPolicy.defaults();
    private int freshRejectionLimit = 2;
    private @Nullable ApiGovernor governor;
    private Duration describeCacheTtl = DefaultSalesforceClient.DEFAULT_DESCRIBE_TTL;

    private Builder() {}

    /**
     * The credential: the client builds a {@link CachingTokenSource} for it, with this builder's
     * {@link #instanceUrlPolicy}, {@link #sessionTimeout}, {@link #listener}, {@link #scheduler} and
     * {@link #recoveryPolicy}. Exclusive with {@link #tokenSource(TokenSource)}.
     */
    public Builder grant(Grant grant) {
      this.grant = Objects.requireNonNull(grant, "grant");
      return this;
    }

    /**
     * A token source to share (for example one {@link CachingTokenSource} per credential across several clients).
     * Exclusive with {@link #grant(Grant)}; {@link #instanceUrlPolicy} and {@link #sessionTimeout} are then the
     * token source's business and may not be set here.
     */
    public Builder tokenSource(TokenSource tokenSource) {
      this.tokenSource = Objects.requireNonNull(tokenSource, "tokenSource");
      return this;
    }

    /**
     * Which {@code instance_url}s tokens may be used with (with {@link #grant}). Default
     * {@link InstanceUrlPolicy#standard()}: https on Salesforce domains.
     */
    public Builder instanceUrlPolicy(InstanceUrlPolicy instanceUrlPolicy) {
      this.instanceUrlPolicy = Objects.requireNonNull(instanceUrlPolicy, "instanceUrlPolicy");
      return this;
    }

    /**
     * The org's session timeout, when known (with {@link #grant}): an idle token is refreshed before use instead
     * of being sent to die. Default unknown (tokens are valid until rejected). Range 1 ms..24 h.
     */
    public Builder sessionTimeout(Duration sessionTimeout) {
      this.sessionTimeout = Objects.requireNonNull(sessionTimeout, "sessionTimeout");
      return this;
    }

    /**
     * The base for the WebClient: codecs, default headers, observation, filters of your own (they run outside the
     * session filter, so they see each logical request once, with a host-relative URL and no token). The builder is
     * copied, never modified. Its connector is kept unless {@link #httpClient(HttpClient)} is also set. Default
     * a {@link WebClient#builder()} with only the byte, string, form and resource codecs: ForceFlux parses every
     * body itself, and Spring's default JSON, Smile, CBOR and Protobuf codecs cost a tenth of a second to build.
     */
    public Builder webClientBuilder(WebClient.Builder webClientBuilder) {
      this.webClientBuilder = Objects.requireNonNull(webClientBuilder, "webClientBuilder");
      return this;
    }

    /**
     * The Reactor Netty client for API calls: connection pool, timeouts, proxy, TLS. Default
     * {@code HttpClient.create(pool).responseTimeout(2 min).compress(true)}, without redirects, on a pool shared by
     * the clients built without one: 500 connections, idle ones closed after 30 s (before a load balancer drops
     * them under a request), and requests beyond 500 queued for a connection for up to 60 s instead of refused
     * (Reactor Netty's shared pool refuses the 1,501st). Token requests use the token source's own client.
     */
    public Builder httpClient(HttpClient httpClient) {
      this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
      return this;
    }

    /**
     * The API version, like {@code "67.0"}. Default: the newest the instance lists at {@code GET /services/data/}
     * (asked once, on first use), or {@code 67.0} when that fails.
     *
     * @throws IllegalArgumentException if it is not two or three digits and {@code .0}, e.g. {@code 67.0}
     */
    public Builder apiVersion(String apiVersion) {
      this.apiVersion = ApiVersions.requireValid(apiVersion);
      return this;
    }

    /**
     * How many query pages may be fetched ahead of demand. 0: a page is requested only when the subscriber has
     * requested more records than are buffered. k: in addition, up to k more pages are fetched, once half of the
     * first page has been emitted, and, once the subscriber has taken a whole page, as soon as a page arrives (the
     * next page request then overlaps the emission of a whole page). {@code request(1)} on a fresh query costs one
     * page either way. Default 1; range 0..16.
     *
     * <p>Fetching a parent page invalidates the cursors of the child subqueries in the page before it: a caller
     * that follows a child result's own {@code nextRecordsUrl} needs 0, so that the next parent page is requested
     * only once the records before it have been taken.
     *
     * @throws IllegalArgumentException if out of range
     */
    public Builder pagePrefetch(int pagePrefetch) {
      if (pagePrefetch < 0 || pagePrefetch > 16) {
        throw new IllegalArgumentException("pagePrefetch must be 0..16: " + pagePrefetch);
      }
      this.pagePrefetch = pagePrefetch;
      return this;
    }

    /**
     * Records per query page, sent as {@code Sforce-Query-Options: batchSize=N} (a hint: Salesforce may send
     * fewer). A {@link Query#batchSize(int)} overrides it. Default: none sent (Salesforce uses 2,000). Range
     * 200..2000.
     *
     * @throws IllegalArgumentException if out of range
     */
    public Builder batchSize(int batchSize) {
      if (batchSize < Query.MIN_BATCH_SIZE || batchSize > Query.MAX_BATCH_SIZE) {
        throw new IllegalArgumentException("batchSize must be 200..2000: " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * The most bytes buffered for one response (a query page, a record, a batch result); a larger response fails
     * with {@code RESPONSE_TOO_LARGE} instead of being buffered. Default 32 MiB; range 64 KiB..1 GiB.
     *
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxPageBytes(int maxPageBytes) {
      if (maxPageBytes < 64 * 1024 || maxPageBytes > 1024 * MIB) {
        throw new IllegalArgumentException("maxPageBytes must be 64 KiB..1 GiB: " + maxPageBytes);
      }
      this.maxPageBytes = maxPageBytes;
      return this;
    }

    /** Receives session events (refreshes, replays, give-ups). Default {@link SessionListener#logging()}. */
    public Builder listener(SessionListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Scheduler for backoff delays (and the token source's clock, with a grant). Default {@link Schedulers#parallel()}. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Attempts and backoff for replays and token refreshes. Default {@link RecoveryPolicy#defaults()}. */
    public Builder recoveryPolicy(RecoveryPolicy recoveryPolicy) {
      this.recoveryPolicy = Objects.requireNonNull(recoveryPolicy, "recoveryPolicy");
      return this;
    }

    /**
     * How many rejections of tokens obtained after a request started end it as a session-security policy
     * failure; see {@link SessionRecoveryFilter.Builder#freshRejectionLimit}. Default 2; range 1..10.
     */
    public Builder freshRejectionLimit(int limit) {
      this.freshRejectionLimit = OptionRules.freshRejectionLimit(limit);
      return this;
    }

    /**
     * How long a describe is served from the client's cache without asking; after it, the describe is asked again
     * with {@code If-Modified-Since}. Default 15 min; range 0 (always ask) ..24 h.
     */
    public Builder describeCacheTtl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative() || ttl.compareTo(Duration.ofHours(24)) > 0) {
        throw new IllegalArgumentException("describeCacheTtl must be 0..24 h: " + ttl);
      }
      this.describeCacheTtl = ttl;
      return this;
    }

    /**
     * The org-limit governor for this client's credential (share one across the clients of a credential): daily
     * allowance reserve and in-flight cap, checked before each request is sent. Default none.
     */
    public Builder governor(ApiGovernor governor) {
      this.governor = Objects.requireNonNull(governor, "governor");
      return this;
    }

    /**
     * Validates and builds. No I/O happens here.
     *
     * @throws IllegalStateException if neither or both of a grant and a token source are set, or token-source
     *     options are set together with a token source
     * @throws IllegalArgumentException if the session timeout is out of range
     */
    public SalesforceClient build() {
      if ((grant == null) == (tokenSource == null)) {
        throw new IllegalStateException("set exactly one of grant(...) and tokenSource(...)");
      }
      TokenSource tokens;
      if (tokenSource != null) {
        if (instanceUrlPolicy != null || sessionTimeout != null) {
          throw new IllegalStateException("instanceUrlPolicy and sessionTimeout apply to grant(...); configure them "
              + "on the token source instead");
        }
        tokens = tokenSource;
      } else {
        CachingTokenSource.Builder b = CachingTokenSource.builder(Objects.requireNonNull(grant, "grant"))
            .listener(listener)
            .scheduler(scheduler)
            .recoveryPolicy(recoveryPolicy);
        if (instanceUrlPolicy != null) {
          b.instanceUrlPolicy(instanceUrlPolicy);
        }
        if (sessionTimeout != null) {
          b.sessionTimeout(sessionTimeout);
        }
        tokens = b.build();
      }
      SessionRecoveryFilter filter = SessionRecoveryFilter.builder(tokens)
          .listener(listener)
          .scheduler(scheduler)
          .recoveryPolicy(recoveryPolicy)
          .freshRejectionLimit(freshRejectionLimit)
          .build();
      WebClient.Builder web = webClientBuilder != null ? webClientBuilder.clone() : Codecs.rawBuilder();
      if (httpClient != null || webClientBuilder == null) {
        HttpClient http = httpClient != null ? httpClient
            : HttpClient.create(DefaultPool.POOL).responseTimeout(Duration.ofMinutes(2)).compress(true)
                .followRedirect(false);
        web.clientConnector(new ReactorClientHttpConnector(http));
      }
      if (governor != null) {
        // Outside the session filter: a request replayed after a refresh holds its one slot and counts once.
        web.filter(governor.filter());
      }
      // The session filter is the innermost filter that acts on the token; inside it only a check that turns a
      // Composite answer refused for a dead session, with nothing executed, into the 401 it recovers from.
      web.filter(filter);
      web.filter(new CompositeSessionFilter(maxPageBytes));
      SalesforceClient client = new DefaultSalesforceClient(web.build(), apiVersion, pagePrefetch, batchSize,
          maxPageBytes, scheduler, describeCacheTtl);
      if (governor != null) {
        // One GET /limits before the governor's first request (the first client of a shared governor sets it).
        governor.seedWith(client.limits().map(l -> new LimitInfo(l.dailyApiRequests().used(),
            l.dailyApiRequests().max())));
      }
      return client;
    }

    /** The connection pool of clients built without an {@code HttpClient}; created on first use. */
    private static final class DefaultPool {
      static final ConnectionProvider POOL = ConnectionPools.queueing("forceflux", 500);

      private DefaultPool() {}
    }
  }
}
