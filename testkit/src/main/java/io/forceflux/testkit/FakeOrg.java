package io.forceflux.testkit;

import io.netty.channel.ChannelOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * An in-process fake Salesforce org: OAuth token endpoint, REST API, SOAP login, sessions with inactivity timeouts,
 * query cursors, limits, and fault injection, served by Reactor Netty on {@code 127.0.0.1}. Error bodies are the
 * ones recorded from Salesforce ({@code src/test-fixtures/salesforce-recorded}); {@code src/docs/fake-org.md} says
 * what the fake reproduces and why.
 *
 * <pre>{@code
 * MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
 * try (FakeOrg org = FakeOrg.builder().clock(clock).accounts(5_000).build().start()) {
 *     Credentials c = org.credentials();
 *     // POST org.loginUrl() + "/services/oauth2/token" with grant_type=refresh_token, c.clientId(), ...
 *     clock.advance(Duration.ofHours(2));          // every session is now dead
 *     org.faults().next(1, FaultTarget.TOKEN, Fault.serverUnavailable());
 * }
 * }</pre>
 *
 * <h2>Origins</h2>
 * One port serves two origins: {@link #loginUrl()} ({@code http://127.0.0.1:<port>}, playing
 * {@code login.salesforce.com}) and {@link #myDomainUrl()} ({@code http://localhost:<port>}, playing the org's My
 * Domain). Token responses carry {@link #instanceUrl()}, which {@link #moveInstance(String)} changes.
 *
 * <h2>Time</h2>
 * Session expiry, cursor lifetime, the login-rate window, {@code issued_at} and JWT {@code exp} checks all read the
 * injected {@link Clock}; pass a {@link MutableClock} to move time in tests. Only {@link Builder#tokenLatency} and
 * latency faults wait in real time, on non-blocking timers.
 *
 * <h2>Endpoints</h2>
 * {@code POST /services/oauth2/token} (grants {@code refresh_token}, JWT bearer, {@code client_credentials},
 * {@code password}), {@code /services/oauth2/introspect}, {@code /services/oauth2/revoke}, the identity URL
 * {@code GET /id/<orgId>/<userId>}, {@code /services/data} (versions, limits, query, queryAll, sObjects, sObject
 * Collections, Bulk API 2.0 {@code jobs/ingest} and {@code jobs/query}) and {@code /services/Soap/u|c/NN.N} ({@code login}, {@code logout}, {@code getUserInfo}).
 *
 * <h2>Controls</h2>
 * Every control is a Java method and also an HTTP endpoint on the same port (no authentication, JSON responses):
 * <pre>
 * POST /__sim/expire-sessions              expireAllSessions()
 * POST /__sim/expire-session?token=        expireSession(token)
 * POST /__sim/restart-instance             restartInstance()
 * POST /__sim/revoke                       revokeRefreshTokens()
 * POST /__sim/change-password?password=    changePassword(password)
 * POST /__sim/sandbox-refresh              sandboxRefresh()
 * POST /__sim/ip-restricted?on=true|false  ipRestricted(on)
 * POST /__sim/rest-policy?on=true|false    restPolicyRestricted(on)
 * POST /__sim/user-active?on=true|false    userActive(on)
 * POST /__sim/jwt-approved?on=true|false   jwtUserApproved(on)
 * POST /__sim/daily-limit?max=N            dailyApiLimit(N)
 * POST /__sim/api-usage?used=N             apiUsage(N)
 * POST /__sim/move-instance?origin=URL     moveInstance(URL)
 * POST /__sim/issue-refresh-token          issueRefreshToken()  → {"refreshToken":"..."}
 * POST /__sim/fault                        faults().next(...) / fraction(...), JSON body below
 * POST /__sim/clear-faults                 faults().clear()
 * POST /__sim/reset-controls               resetControls()
 * POST /__sim/reset-stats                  resetStats()
 * GET  /__sim/stats                        stats() as JSON
 * GET  /__sim/credentials                  credentials() as JSON, secrets included (it is a test org)
 * GET  /__sim/info                         loginUrl, myDomainUrl, instanceUrl, apiVersion
 * </pre>
 * Controls answer {@code {"ok":true}}; a missing or bad parameter gets 400 {@code {"error":"..."}}, an unknown
 * control 404.
 *
 * <p>The body of {@code POST /__sim/fault} describes one {@link Fault} rule:
 * <pre>
 * {
 *   "type":     "status" | "serverUnavailable" | "serverUnavailableHtml" | "internalServerError"
 *               | "unableToLockRow" | "latency" | "connectionReset" | "malformedJson" | "truncatedBody",
 *   "target":   "TOKEN" | "API" | "ANY",          default "ANY"
 *   "phase":    "BEFORE" | "AFTER",               default "BEFORE"
 *   "count":    3,                                the next N matching requests; default 1
 *   "fraction": 0.1, "seed": 42,                  instead of count: a seeded share until cleared; seed default 0
 *   "status": 503, "body": "...", "contentType": "application/json",     for "status" only
 *   "latencyMillis": 200                          for "latency" only
 * }
 * </pre>
 * It answers {@code {"ok":true,"activeFaults":N}}.
 *
 * <p>Thread-safe. Secrets (tokens, passwords, the client secret, the private key) are never logged.
 */
public final class FakeOrg implements AutoCloseable {

  static final Logger LOG = LoggerFactory.getLogger(FakeOrg.class);
  static final int OLDEST_API_VERSION = 31;
  private static final Pattern API_VERSION = Pattern.compile("(\\d{2,3})\\.0");
  private static final byte[] EMPTY = new byte[0];

  private final Clock clock;
  private final int requestedPort;
  private final Duration sessionTimeout;
  private final String apiVersion;

  private final Counters counters = new Counters();
  private final Faults faults = new Faults();
  private final OrgOrigins origins = new OrgOrigins();
  private final ApiAllowance allowance;
  private final BulkSettings bulk;
  private final AuthState auth;
  private final DataStore data;
  private final RestEndpoint restEndpoint;
  private final FakeConcurrency concurrency = new FakeConcurrency();
  private final FakeOrgDispatcher dispatcher;

  private final Object lifecycle = new Object();
  private @Nullable LoopResources loops;
  private @Nullable DisposableServer server;
  private @Nullable DisposableServer serverIpv6;
  private boolean closed;

  private FakeOrg(Builder b) {
    this.clock = b.clock;
    this.requestedPort = b.port;
    this.sessionTimeout = b.sessionTimeout;
    this.apiVersion = b.apiVersion;
    int apiMajor = Integer.parseInt(b.apiVersion.substring(0, b.apiVersion.indexOf('.')));
    this.allowance = new ApiAllowance(b.dailyApiLimit);
    this.bulk = new BulkSettings(b.bulkUploadLimitBytes, b.bulkQueryPageSize, b.bulkQueryJobsPerDay,
        b.bulkIngestRecordsPerDay, b.bulkRecordsPerSecond);
    this.auth = new AuthState(clock, b.sessionTimeout, b.halfTimeoutQuirk, b.refreshTokenRotation,
        b.loginsPerHour, counters);
    this.data = new DataStore(b.accounts, clock, counters);
    this.restEndpoint = new RestEndpoint(new RestEndpoint.Settings(apiMajor, b.cursorMode, b.cursorLifetime),
        auth, allowance, bulk, data, counters);
    this.dispatcher = new FakeOrgDispatcher(new SimEndpoint(this),
        new FakeTokenEndpoint(origins, auth, counters, b.tokenLatency), restEndpoint,
        new SoapEndpoint(origins, auth, allowance, counters), faults, counters, concurrency);
    // Generate the JWT key pair now, on the building thread, never lazily on an event loop.
    KeyMaterial.shared();
  }

  /**
   * A builder with every option at its default.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---- lifecycle ----

  /**
   * Binds the server (a no-op if it is already running).
   *
   * @return this
   * @throws IllegalStateException if the org was closed, or the port cannot be bound
   */
  public FakeOrg start() {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("this FakeOrg was closed");
      }
      if (server != null) {
        return this;
      }
      LoopResources newLoops = LoopResources.create("fake-org", 1,
          Math.max(2, Runtime.getRuntime().availableProcessors()), true);
      try {
        DisposableServer bound = httpServer(newLoops, "127.0.0.1", requestedPort);
        loops = newLoops;
        server = bound;
        origins.bound(bound.port());
      } catch (RuntimeException e) {
        newLoops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
        throw new IllegalStateException("FakeOrg could not bind 127.0.0.1:" + requestedPort, e);
      }
      try {
        // "localhost" may resolve to ::1; serve it too when the machine has IPv6 loopback.
        serverIpv6 = httpServer(newLoops, "::1", origins.port());
      } catch (RuntimeException e) {
        LOG.debug("FakeOrg serves IPv4 only: {}", e.toString());
      }
      LOG.info("FakeOrg listening on {} (API v{})", loginUrl(), apiVersion);
      return this;
    }
  }

  private DisposableServer httpServer(LoopResources resources, String host, int bindPort) {
    return HttpServer.create()
        .host(host)
        .port(bindPort)
        .runOn(resources)
        .option(ChannelOption.SO_BACKLOG, 8192)
        .httpRequestDecoder(spec -> spec.maxInitialLineLength(65_536).maxHeaderSize(65_536))
        .handle(dispatcher::handle)
        .bindNow(Duration.ofSeconds(10));
  }

  /** Stops the server and releases its threads. Idempotent. Do not call from one of its own event loops. */
  @Override
  public void close() {
    synchronized (lifecycle) {
      closed = true;
      if (serverIpv6 != null) {
        serverIpv6.disposeNow(Duration.ofSeconds(5));
        serverIpv6 = null;
      }
      if (server != null) {
        server.disposeNow(Duration.ofSeconds(5));
        server = null;
      }
      if (loops != null) {
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
        loops = null;
      }
    }
  }

  // ---- origins ----

  /**
   * The port the server is bound to.
   *
   * @return the port
   * @throws IllegalStateException before {@link #start()}
   */
  public int port() {
    return origins.port();
  }

  /**
   * {@code http://127.0.0.1:<port>}, the login host (plays {@code https://login.salesforce.com}). The identity
   * URLs ({@code id}) and accepted JWT audiences use it.
   *
   * @return the login URL, without a trailing slash
   */
  public String loginUrl() {
    return origins.loginUrl();
  }

  /**
   * {@code http://localhost:<port>}, the org's My Domain (plays {@code https://MyDomain.my.salesforce.com}); the
   * only origin where the client-credentials grant works, and the default {@link #instanceUrl()}.
   *
   * @return the My Domain URL, without a trailing slash
   */
  public String myDomainUrl() {
    return origins.myDomainUrl();
  }

  /**
   * The {@code instance_url} that token responses and SOAP login carry now.
   *
   * @return by default {@link #myDomainUrl()}
   */
  public String instanceUrl() {
    return origins.instanceUrl();
  }

  /**
   * Makes future token responses and SOAP logins carry {@code origin} as {@code instance_url} (sessions keep
   * working on any origin of this server). Use {@link #loginUrl()} and {@link #myDomainUrl()} to switch between
   * two origins that both reach this org.
   *
   * @param origin an {@code http://} or {@code https://} URL without a path; a trailing slash is dropped
   */
  public void moveInstance(String origin) {
    origins.moveInstance(origin);
  }

  // ---- identity ----

  /**
   * What a client needs for every grant, as of now: after {@link #sandboxRefresh()} or
   * {@link #changePassword(String)} it reflects the new values.
   *
   * @return the credentials; {@code toString()} redacts the secrets
   */
  public Credentials credentials() {
    KeyMaterial keys = KeyMaterial.shared();
    return new Credentials(auth.clientId, auth.clientSecret, auth.username, auth.password, auth.securityToken,
        auth.initialRefreshToken, keys.privateKeyPem, keys.publicKeyPem);
  }

  /**
   * Simulates a new OAuth approval (a web-server flow) for the user and the current client. Each connected app
   * allows five live approvals per user: the sixth revokes the oldest (its refresh tokens and sessions).
   *
   * @return the new refresh token
   */
  public String issueRefreshToken() {
    return auth.approve();
  }

  /**
   * The 18-character org Id.
   *
   * @return the org Id
   */
  public String orgId() {
    return auth.orgId18;
  }

  /**
   * The 18-character Id of the org's user.
   *
   * @return the user Id
   */
  public String userId() {
    return auth.userId18;
  }

  /**
   * The newest API version served, e.g. {@code 67.0}.
   *
   * @return the version
   */
  public String apiVersion() {
    return apiVersion;
  }

  /**
   * The clock the org reads.
   *
   * @return the injected clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * The inactivity timeout of every session.
   *
   * @return the timeout
   */
  public Duration sessionTimeout() {
    return sessionTimeout;
  }

  /**
   * Sessions alive right now (timed-out ones are counted as expired first).
   *
   * @return the number of live sessions
   */
  public int liveSessions() {
    return auth.liveSessions();
  }

  // ---- controls ----

  /** Kills every session (access token); refresh tokens stay valid. Same as {@link #restartInstance()}. */
  public void expireAllSessions() {
    auth.expireAllSessions();
  }

  /**
   * Kills one session.
   *
   * @param accessToken the access token (or SOAP session Id)
   * @return whether a live session was killed
   */
  public boolean expireSession(String accessToken) {
    return auth.expireSession(Objects.requireNonNull(accessToken, "accessToken"));
  }

  /** An instance restart or upgrade: every session dies, as with {@link #expireAllSessions()}. */
  public void restartInstance() {
    auth.expireAllSessions();
  }

  /**
   * Revokes every refresh token and the sessions they issued; refreshing then fails with {@code invalid_grant}
   * "expired access/refresh token". Sessions from the password, JWT, client-credentials grants and SOAP login
   * stay alive.
   */
  public void revokeRefreshTokens() {
    auth.revokeRefreshTokens();
  }

  /**
   * Changes the user's password. The password grant and SOAP login with the old one fail ("authentication
   * failure", {@code INVALID_LOGIN}); every refresh token is revoked with its sessions ("expired access/refresh
   * token"). {@link #credentials()} reports the new password.
   *
   * @param newPassword the new password (without the security token)
   */
  public void changePassword(String newPassword) {
    Objects.requireNonNull(newPassword, "newPassword");
    if (newPassword.isEmpty()) {
      throw new IllegalArgumentException("newPassword must not be empty");
    }
    auth.changePassword(newPassword);
  }

  /**
   * A sandbox refresh: the connected app gets a new client id and secret (the old id now gets
   * {@code invalid_client_id}), every refresh token and session dies, and a new approval is issued into
   * {@link #credentials()}. Records are kept, so the ledger still shows what ran before.
   */
  public void sandboxRefresh() {
    auth.sandboxRefresh();
  }

  /**
   * Login IP restrictions. On: the token endpoint answers {@code invalid_grant} "ip restricted", SOAP login
   * {@code INVALID_LOGIN}, and API calls 401 "Session expired or invalid" (sessions are not killed: switching it
   * off makes them usable again).
   *
   * @param on whether the caller's IP is refused
   */
  public void ipRestricted(boolean on) {
    auth.ipRestricted(on);
  }

  /**
   * A session-security policy the sessions do not meet. On: REST calls with a live session get 401
   * {@code [{"message":"This session is not valid for use with the REST API","errorCode":"INVALID_SESSION_ID"}]},
   * which refreshing cannot fix.
   *
   * @param on whether the policy refuses REST
   */
  public void restPolicyRestricted(boolean on) {
    auth.restPolicyRestricted(on);
  }

  /**
   * Activates or deactivates the user. Deactivating kills every session; the token endpoint then answers
   * {@code invalid_grant} "inactive user" and SOAP login {@code INVALID_LOGIN}.
   *
   * @param active whether the user is active
   */
  public void userActive(boolean active) {
    auth.userActive(active);
  }

  /**
   * Whether the user is pre-authorized for the connected app. Off: the JWT bearer grant answers
   * {@code invalid_grant} "user hasn't approved this consumer".
   *
   * @param approved whether the JWT bearer flow is allowed
   */
  public void jwtUserApproved(boolean approved) {
    auth.jwtUserApproved(approved);
  }

  /**
   * Sets the daily API allocation (the M of {@code api-usage=N/M}).
   *
   * @param max at least 1
   */
  public void dailyApiLimit(long max) {
    allowance.limit(max);
  }

  /**
   * Sets the daily API usage (the N of {@code api-usage=N/M}); at N ≥ M API calls get 403
   * {@code REQUEST_LIMIT_EXCEEDED}.
   *
   * @param used zero or more
   */
  public void apiUsage(long used) {
    allowance.usage(used);
  }

  /**
   * How fast Bulk API 2.0 jobs run on the org's clock, for jobs closed (ingest) or created (query) from now on.
   * 0 keeps them {@code InProgress} until this is raised again and a new job is started: a job that never ends.
   *
   * @param recordsPerSecond 0 or more
   */
  public void bulkRecordsPerSecond(long recordsPerSecond) {
    bulk.recordsPerSecond(recordsPerSecond);
  }

  /**
   * Turns off every switch and fault: clears {@link #faults()}, lifts IP and REST-policy restrictions,
   * reactivates the user and JWT approval, restores the configured daily limit and bulk processing rate, and sets
   * usage to 0. Sessions, tokens, records and counters are kept. {@link FakeOrgExtension} calls this before each test.
   */
  public void resetControls() {
    faults.clear();
    auth.resetSwitches();
    allowance.reset();
    bulk.reset();
    concurrency.configureDefaults();
    restEndpoint.clearApexRest();
  }

  /**
   * The fault plan; rules added there apply from the next request on.
   *
   * @return this org's faults
   */
  public Faults faults() {
    return faults;
  }

  /**
   * Salesforce's limit on concurrent long-running requests: while {@code limit} API requests have each been
   * running for {@code threshold} or longer, a new one gets {@code 403 REQUEST_LIMIT_EXCEEDED}
   * ({@code ConcurrentPerOrgLongTxn Limit exceeded.}) and does not run. Default 25 requests of 20 s (a
   * production org; Developer Edition allows 5). A short threshold lets a test act it out with slow endpoints.
   */
  public void concurrentLongRunningLimit(int limit, Duration threshold) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    Objects.requireNonNull(threshold, "threshold");
    concurrency.configure(limit, threshold);
  }

  /**
   * Makes the next Composite or Composite Batch call find its session dead from subrequest {@code index}
   * (0-based) on: those subrequests answer {@code 401 INVALID_SESSION_ID} inside the HTTP 200 (with
   * {@code allOrNone}, the others report the rollback), and the session is expired afterwards.
   */
  public void sessionDiesInComposite(int index) {
    if (index < 0 || index >= FakeComposite.MAX_SUBREQUESTS) {
      throw new IllegalArgumentException("index must be 0..24: " + index);
    }
    restEndpoint.sessionDiesInComposite(index);
  }

  /**
   * Serves an Apex REST resource at {@code /services/apexrest/{mapping}} for {@code method}: {@code handler}
   * receives the request body (JSON text, empty for none) and returns the response body (JSON; empty for 204).
   * Requests are authenticated and counted like any API call. Replaces a handler for the same method and
   * mapping; {@link #resetControls()} removes them all.
   */
  public void apexRest(String method, String mapping, UnaryOperator<String> handler) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(mapping, "mapping");
    Objects.requireNonNull(handler, "handler");
    restEndpoint.registerApexRest(method, mapping, handler);
  }

  /** The most API requests the org has had in flight at once since start or {@link #resetStats()}. */
  public int maxConcurrentApiRequests() {
    return concurrency.maxSeen();
  }

  /** API requests refused by the concurrent long-running limit since start or {@link #resetStats()}. */
  public long longRunningRejections() {
    return concurrency.longRunningRejections();
  }

  // ---- counters and data ----

  /**
   * {@code 304 Not Modified} answers to conditional requests (describe with {@code If-Modified-Since}) since start
   * or {@link #resetStats()}. Each was also counted as one API call, as Salesforce counts it.
   */
  public long notModifiedReplies() {
    return counters.notModified.sum();
  }

  /**
   * A snapshot of the counters (sessions that timed out unseen are counted first).
   *
   * @return the counters
   */
  public FakeOrgStats stats() {
    auth.sweep();
    return counters.snapshot(allowance.usage(), allowance.limit());
  }

  /** Zeroes every counter of {@link #stats()} except the daily API usage. */
  public void resetStats() {
    counters.reset();
    concurrency.reset();
  }

  /**
   * What the API did to one sObject type.
   *
   * @param sobject a type name in any case, e.g. {@code Account}
   * @return a snapshot of its ledger
   * @throws IllegalArgumentException for an unknown type
   */
  public SObjectLedger ledger(String sobject) {
    return data.ledger(type(sobject));
  }

  /**
   * The records created through the API, in creation order, with their current field values (deleted ones
   * carry {@code IsDeleted=true}). Generated Accounts are not included: use {@link #record(String, String)}.
   *
   * @param sobject a type name in any case
   * @return unmodifiable maps of field name to value (String, Number, Boolean or null)
   * @throws IllegalArgumentException for an unknown type
   */
  public List<Map<String, Object>> records(String sobject) {
    return data.createdRecords(type(sobject));
  }

  /**
   * Any record, generated or created, deleted ones included.
   *
   * @param sobject a type name in any case
   * @param id a 15- or 18-character Id
   * @return the record's current fields, or empty if there is no such record
   */
  public Optional<Map<String, Object>> record(String sobject, String id) {
    SObjectStore store = type(sobject);
    long seq = store.seq(Objects.requireNonNull(id, "id"));
    return seq < 0 ? Optional.empty() : Optional.of(DataStore.toMap(store.current(seq)));
  }

  /**
   * Live (not deleted) records of a type.
   *
   * @param sobject a type name in any case
   * @return the count
   */
  public long count(String sobject) {
    SObjectStore store = type(sobject);
    synchronized (data) {
      return store.generated + store.created.size() - store.deleted.size();
    }
  }

  /** How many records of a type are held in memory (created, or generated and then written). */
  long materialized(String sobject) {
    return type(sobject).overlay.size();
  }

  private SObjectStore type(String sobject) {
    SObjectStore store = data.type(Objects.requireNonNull(sobject, "sobject"));
    if (store == null) {
      throw new IllegalArgumentException("unknown sObject type: " + sobject);
    }
    return store;
  }

  @Override
  public String toString() {
    return "FakeOrg[" + (origins.started() ? loginUrl() : "not started") + ", API v" + apiVersion + "]";
  }

  /**
   * Options for a {@link FakeOrg}. Every option has a default; invalid values fail in the setter.
   */
  public static final class Builder {

    private Clock clock = Clock.systemUTC();
    private int port;
    private long accounts = 10_000;
    private Duration sessionTimeout = Duration.ofHours(2);
    private boolean halfTimeoutQuirk;
    private boolean refreshTokenRotation;
    private CursorMode cursorMode = CursorMode.USER;
    private Duration cursorLifetime = Duration.ofDays(2);
    private long dailyApiLimit = 100_000;
    private int loginsPerHour = 3600;
    private Duration tokenLatency = Duration.ZERO;
    private String apiVersion = "67.0";
    private long bulkRecordsPerSecond = 10_000;
    private long bulkUploadLimitBytes = 150L * 1024 * 1024;
    private int bulkQueryPageSize = 50_000;
    private long bulkQueryJobsPerDay = 10_000;
    private long bulkIngestRecordsPerDay = 150_000_000;

    private Builder() {
    }

    /**
     * How fast Bulk API 2.0 jobs run, in records per second of the org's {@link #clock(Clock)}: an ingest job
     * closed at t has applied {@code (now - t) * rate} rows when looked at; a query job completes once
     * {@code rows / rate} has passed. Also {@link FakeOrg#bulkRecordsPerSecond(long)}.
     *
     * @param recordsPerSecond 0 (jobs never finish) or more; default 10,000
     * @return this
     */
    public Builder bulkRecordsPerSecond(long recordsPerSecond) {
      if (recordsPerSecond < 0) {
        throw new IllegalArgumentException("bulkRecordsPerSecond must not be negative: " + recordsPerSecond);
      }
      this.bulkRecordsPerSecond = recordsPerSecond;
      return this;
    }

    /**
     * The largest CSV one Bulk API 2.0 ingest upload may carry; larger uploads get 400 {@code ClientInputError}.
     *
     * @param bytes at least 1; default 150 MB, Salesforce's limit
     * @return this
     */
    public Builder bulkUploadLimitBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("bulkUploadLimitBytes must be at least 1: " + bytes);
      }
      this.bulkUploadLimitBytes = bytes;
      return this;
    }

    /**
     * Rows in a Bulk API 2.0 query results page when the request has no {@code maxRecords}.
     *
     * @param rows 1 to 10,000,000; default 50,000
     * @return this
     */
    public Builder bulkQueryPageSize(int rows) {
      if (rows < 1 || rows > 10_000_000) {
        throw new IllegalArgumentException("bulkQueryPageSize must be 1..10000000: " + rows);
      }
      this.bulkQueryPageSize = rows;
      return this;
    }

    /**
     * Bulk API 2.0 allocations per 24 hours of the clock: query jobs ({@code DailyBulkV2QueryJobs}) and ingest
     * records; beyond them job creation (query) or closing (ingest) gets 400 {@code ExceededQuota}.
     *
     * @param queryJobs at least 1; default 10,000
     * @param ingestRecords at least 1; default 150,000,000
     * @return this
     */
    public Builder bulkDailyLimits(long queryJobs, long ingestRecords) {
      if (queryJobs < 1 || ingestRecords < 1) {
        throw new IllegalArgumentException("bulk daily limits must be at least 1");
      }
      this.bulkQueryJobsPerDay = queryJobs;
      this.bulkIngestRecordsPerDay = ingestRecords;
      return this;
    }

    /**
     * The clock for sessions, cursors, login rate, {@code issued_at} and JWT {@code exp}.
     *
     * @param clock default {@link Clock#systemUTC()}; a {@link MutableClock} lets tests move time
     * @return this
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The port to bind on 127.0.0.1.
     *
     * @param port 0 (the default) for an ephemeral port, or 1 to 65535
     * @return this
     */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0..65535: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * How many Accounts exist at start. They are computed from their number on demand, so a million cost no
     * memory until written. Each has Id, Name (a word and the number: {@code Account 000001}, {@code Birch
     * 000002}, … ten words in turn, four of them starting with "A" or "a"), Industry, AnnualRevenue,
     * NumberOfEmployees, External_Id__c ({@code EXT-00000123}), OwnerId (one of four generated Users, so SOQL
     * can select {@code Owner.Name}), CreatedDate and IsDeleted.
     *
     * @param accounts 0 to 100,000,000; default 10,000
     * @return this
     */
    public Builder accounts(long accounts) {
      if (accounts < 0 || accounts > 100_000_000L) {
        throw new IllegalArgumentException("accounts must be 0..100000000: " + accounts);
      }
      this.accounts = accounts;
      return this;
    }

    /**
     * The inactivity timeout of sessions: a session dies once {@code now - lastActivity >= timeout}.
     *
     * @param timeout at least 1 ms; default 2 hours (Salesforce allows 15 min to 24 h)
     * @return this
     */
    public Builder sessionTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.compareTo(Duration.ofMillis(1)) < 0) {
        throw new IllegalArgumentException("sessionTimeout must be at least 1 ms: " + timeout);
      }
      this.sessionTimeout = timeout;
      return this;
    }

    /**
     * Salesforce's documented quirk: a call only moves a session's last-activity time once at least half the
     * timeout has passed since it was last moved.
     *
     * @param on default false (every call resets the timer)
     * @return this
     */
    public Builder halfTimeoutQuirk(boolean on) {
      this.halfTimeoutQuirk = on;
      return this;
    }

    /**
     * Refresh token rotation: every refresh returns a new refresh token and invalidates the presented one;
     * presenting a rotated-out token again revokes the current one and all sessions of that approval.
     *
     * @param on default false (refreshes return no refresh token)
     * @return this
     */
    public Builder refreshTokenRotation(boolean on) {
      this.refreshTokenRotation = on;
      return this;
    }

    /**
     * Who may continue a query cursor.
     *
     * @param mode default {@link CursorMode#USER}
     * @return this
     */
    public Builder cursorMode(CursorMode mode) {
      this.cursorMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * How long a query cursor lives after the query ran; later its pages get 400 {@code INVALID_QUERY_LOCATOR}.
     *
     * @param lifetime positive; default 2 days
     * @return this
     */
    public Builder cursorLifetime(Duration lifetime) {
      Objects.requireNonNull(lifetime, "lifetime");
      if (lifetime.isZero() || lifetime.isNegative()) {
        throw new IllegalArgumentException("cursorLifetime must be positive: " + lifetime);
      }
      this.cursorLifetime = lifetime;
      return this;
    }

    /**
     * The daily API allocation. Every authenticated REST call (except the versions list) and SOAP call counts;
     * at the limit they get 403 {@code REQUEST_LIMIT_EXCEEDED}.
     *
     * @param max at least 1; default 100,000
     * @return this
     */
    public Builder dailyApiLimit(long max) {
      if (max < 1) {
        throw new IllegalArgumentException("dailyApiLimit must be at least 1: " + max);
      }
      this.dailyApiLimit = max;
      return this;
    }

    /**
     * Successful logins (token grants and SOAP logins) allowed per user in any sliding hour of the clock; the
     * next gets {@code invalid_grant} "login rate exceeded".
     *
     * @param logins at least 1; default 3,600
     * @return this
     */
    public Builder loginsPerHour(int logins) {
      if (logins < 1) {
        throw new IllegalArgumentException("loginsPerHour must be at least 1: " + logins);
      }
      this.loginsPerHour = logins;
      return this;
    }

    /**
     * Real time the token endpoint holds each token request before answering (on a timer, never blocking a
     * thread). A refresh token stays "in flight" meanwhile, so concurrent refreshes with it are observable.
     *
     * @param latency zero (the default) up to 1 minute
     * @return this
     */
    public Builder tokenLatency(Duration latency) {
      Objects.requireNonNull(latency, "latency");
      if (latency.isNegative() || latency.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("tokenLatency must be 0..1 minute: " + latency);
      }
      this.tokenLatency = latency;
      return this;
    }

    /**
     * The newest API version; {@code GET /services/data/} lists v31.0 up to it, and paths under other versions
     * get 404.
     *
     * @param version like {@code "67.0"}, at least {@code "31.0"}; default {@code "67.0"}
     * @return this
     */
    public Builder apiVersion(String version) {
      Objects.requireNonNull(version, "version");
      Matcher m = API_VERSION.matcher(version);
      if (!m.matches() || Integer.parseInt(m.group(1)) < OLDEST_API_VERSION) {
        throw new IllegalArgumentException("apiVersion must look like 67.0 and be at least 31.0: "
            + version);
      }
      this.apiVersion = version;
      return this;
    }

    /**
     * Builds the org (not yet listening: call {@link FakeOrg#start()}).
     *
     * @return the org
     */
    public FakeOrg build() {
      return new FakeOrg(this);
    }
  }
}
