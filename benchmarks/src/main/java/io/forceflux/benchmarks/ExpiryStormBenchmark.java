package io.forceflux.benchmarks;

import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.reactor.SessionRecoveryFilter;
import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.FakeOrgStats;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Every session expires while N requests are in flight: how long until all N complete, how many token requests
 * the expiry costs, and how many requests fail.
 *
 * <p>One invocation is one wave of N concurrent {@code GET /services/data/v67.0/limits}, waiting for all; the score
 * is its duration. When the sessions die is the {@code expiry} parameter:
 * <ul>
 *   <li>{@code in-flight}: all N requests are sent and each has its token, then {@code expireAllSessions()}: every
 *       request is in flight with a token that just died, the thundering herd. A {@link Gate}, the last filter
 *       before the wire, holds them until the expiry so that none completes before it (on a loaded machine,
 *       subscribing 10,000 requests takes longer than the first responses); then all N reach the org and get 401.
 *   <li>{@code before-wave}: {@code expireAllSessions()} (outside the measured time), then the N requests. Requests
 *       sent after a client has noticed the expiry never carry the dead token, so fewer than N meet a 401.
 * </ul>
 * The {@link StormCounters} secondary results add up, per wave, the token requests the org received, the requests
 * that failed and the 401s it sent (divide by {@code expiries} for per-expiry figures). Before each wave the
 * client is healthy: it holds a working token.
 *
 * <p>Contenders ({@code client}):
 * <ul>
 *   <li>{@code forceflux}: WebClient + {@link SessionRecoveryFilter} + {@link CachingTokenSource} (refresh-token
 *       grant, defaults). Every request must succeed, or the benchmark fails.
 *   <li>{@code retry-per-request}: {@link RetryPerRequestFilter}, each 401 does its own refresh and one replay.
 *   <li>{@code spring-security}: {@link SpringSecurityPeer} with client_credentials, plus one retry after a 401.
 *   <li>{@code spring-security-refresh-token}: {@link SpringSecurityPeer} with the refresh-token provider, plus one
 *       retry after a 401; before each wave a fresh authorized client is seeded (it cannot re-authorize itself).
 * </ul>
 *
 * <p>The org answers token requests after 50 ms (real Salesforce is slower) and, like Salesforce, refuses a
 * refresh while another with the same refresh token is in flight. The org's API and login limits are lifted.
 * Every wave must have been hit by the expiry (at least one 401 served) and must account for all N requests.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
@Warmup(iterations = 3, batchSize = 1)
@Measurement(iterations = 10, batchSize = 1)
public class ExpiryStormBenchmark {
  static final Duration TOKEN_LATENCY = Duration.ofMillis(50);
  // Names SUMMARY.md reads from the results (SummaryTests checks each against this class).
  static final String IN_FLIGHT_PARAM = "inFlight";
  static final String CLIENT_PARAM = "client";
  static final String EXPIRY_PARAM = "expiry";
  static final String FORCEFLUX = "forceflux";

  @Param({"1000", "10000"})
  public int inFlight;

  @Param({FORCEFLUX, "retry-per-request", "spring-security", "spring-security-refresh-token"})
  public String client;

  @Param({"in-flight", "before-wave"})
  public String expiry;

  private LoopbackOrg org;
  private WebClient webClient;
  private String uri;
  private @Nullable SpringSecurityPeer spring;
  private FakeOrgStats before;
  private long[] outcome = new long[2];
  private final Gate gate = new Gate();

  /** Per-wave counts, summed over the iterations of a run (JMH adds EVENTS counters up). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class StormCounters {
    static final String EXPIRIES = "expiries";
    static final String FAILED_REQUESTS = "failedRequests";
    static final String TOKEN_REQUESTS = "tokenRequests";
    static final String CONCURRENT_REFRESH_REJECTED = "concurrentRefreshRejected";
    static final String UNAUTHORIZED_401 = "unauthorized401";

    /** Waves measured: one expiry each. */
    public long expiries;
    /** Requests sent. */
    public long requests;
    /** Requests that ended in an error (after whatever replay the client does). */
    public long failedRequests;
    /** Requests the org's token endpoint received. */
    public long tokenRequests;
    /** Token requests refused with "token request is already being processed". */
    public long concurrentRefreshRejected;
    /** 401 responses the org sent. */
    public long unauthorized401;

    @Setup(Level.Iteration)
    public void reset() {
      expiries = 0;
      requests = 0;
      failedRequests = 0;
      tokenRequests = 0;
      concurrentRefreshRejected = 0;
      unauthorized401 = 0;
    }
  }

  @Setup(Level.Trial)
  public void start() {
    org = LoopbackOrg.start(FakeOrg.builder().accounts(10).tokenLatency(TOKEN_LATENCY));
    Credentials c = org.org.credentials();
    if (!expiry.equals("in-flight") && !expiry.equals("before-wave")) {
      throw new IllegalArgumentException("unknown expiry: " + expiry);
    }
    switch (client) {
      case "forceflux" -> {
        CachingTokenSource tokens = org.tokens().build();
        webClient = org.webClient().filter(SessionRecoveryFilter.builder(tokens).build()).filter(gate).build();
        uri = LoopbackOrg.LIMITS;
      }
      case "retry-per-request" -> {
        RetryPerRequestFilter filter = new RetryPerRequestFilter(org.webClient().build(), org.org.loginUrl(),
            c.clientId(), c.clientSecret(), c.refreshToken());
        filter.login();
        webClient = org.webClient().filter(filter).filter(gate).build();
        uri = org.org.instanceUrl() + LoopbackOrg.LIMITS;
      }
      case "spring-security", "spring-security-refresh-token" -> {
        spring = new SpringSecurityPeer(org, client.equals("spring-security")
            ? SpringSecurityPeer.Grant.CLIENT_CREDENTIALS : SpringSecurityPeer.Grant.REFRESH_TOKEN, gate);
        webClient = spring.webClient;
        uri = org.org.instanceUrl() + LoopbackOrg.LIMITS;
      }
      default -> throw new IllegalArgumentException("unknown client: " + client);
    }
    healthy();
    // Open connections and warm the code paths without an expiry, so the first wave measures the storm.
    long[] warm = await(wave(Math.min(inFlight, 500)).toFuture(), Math.min(inFlight, 500));
    if (warm[1] != 0) {
      throw new IllegalStateException(client + ": " + warm[1] + " requests failed before any expiry");
    }
  }

  /** Brings the client back to a working token when the previous wave left it without one. */
  private void healthy() {
    if (spring != null && spring.current() == null) {
      spring.seedRefreshToken();
    }
    webClient.get().uri(uri).retrieve().toBodilessEntity().block(LoopbackOrg.BOUND);
  }

  @Setup(Level.Invocation)
  public void arm() {
    if (spring != null && spring.current() == null) {
      healthy();
    }
    before = org.stats();
    if (expiry.equals("before-wave")) {
      org.org.expireAllSessions();
    } else {
      gate.close();
    }
  }

  @Benchmark
  public long[] storm() {
    CompletableFuture<long[]> wave = wave(inFlight).toFuture(); // every request is sent (subscribed) here
    if (expiry.equals("in-flight")) {
      org.org.expireAllSessions();
      gate.open();
    }
    outcome = await(wave, inFlight);
    if (client.equals("forceflux") && outcome[1] != 0) {
      throw new IllegalStateException("forceflux: " + outcome[1] + " of " + inFlight + " requests failed");
    }
    return outcome;
  }

  /** N concurrent GETs, all sent as soon as the result is subscribed: {successes, failures}. */
  private Mono<long[]> wave(int n) {
    return Flux.range(0, n)
        .flatMap(i -> webClient.get().uri(uri).retrieve().toBodilessEntity()
            .map(ok -> Boolean.TRUE)
            .onErrorResume(e -> Mono.just(Boolean.FALSE)), n)
        .reduce(new long[2], (acc, ok) -> {
          acc[ok ? 0 : 1]++;
          return acc;
        });
  }

  private long[] await(CompletableFuture<long[]> wave, int n) {
    long[] result;
    try {
      result = wave.get(LoopbackOrg.BOUND.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(client + ": interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(client + ": a wave of " + n + " requests did not complete", e);
    }
    if (result[0] + result[1] != n) {
      throw new IllegalStateException(client + ": a wave of " + n + " requests did not account for every request");
    }
    return result;
  }

  @TearDown(Level.Invocation)
  public void account(StormCounters counters) {
    FakeOrgStats after = org.stats();
    long unauthorized = after.unauthorized401() - before.unauthorized401();
    if (unauthorized == 0) {
      throw new IllegalStateException(client + ": the expiry did not strike (no 401 served); nothing was measured");
    }
    counters.expiries++;
    counters.requests += inFlight;
    counters.failedRequests += outcome[1];
    counters.tokenRequests += after.tokenRequests() - before.tokenRequests();
    counters.concurrentRefreshRejected += after.concurrentRefreshRejected() - before.concurrentRefreshRejected();
    counters.unauthorized401 += unauthorized;
  }

  @TearDown(Level.Trial)
  public void stop() {
    org.close();
  }
}
