package io.forceflux.benchmarks;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.reactor.SessionRecoveryFilter;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.FakeOrgStats;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/**
 * What {@link SessionRecoveryFilter} costs on the happy path: requests per second with 256 in flight against a
 * loopback fake org, through WebClient + the filter (token cached in a {@link CachingTokenSource}) versus the same
 * WebClient configuration with a fixed {@code Authorization} header and no filter. One operation is one request;
 * an invocation sends 256 concurrently and waits for all.
 *
 * <p>Both send {@code GET /services/data/v67.0/limits} and discard the body. The filter resolves the host-relative
 * path against the token's instance URL, as applications use it; the raw client gets the absolute URL. No session
 * expires during the run: a 401 would mean the filter measured replays, not overhead, and fails the benchmark, as
 * does any failed request.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(FilterOverheadBenchmark.IN_FLIGHT)
@State(Scope.Benchmark)
@Threads(1)
@Fork(1)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 10, time = 3)
public class FilterOverheadBenchmark {
  // Names SUMMARY.md reads from the results (SummaryTests checks each against this class).
  static final String SESSION_RECOVERY_FILTER = "sessionRecoveryFilter";
  static final String FIXED_HEADER = "fixedHeader";
  static final int IN_FLIGHT = 256;

  private LoopbackOrg org;
  private WebClient filtered;
  private WebClient raw;
  private String absolute;
  private long unauthorizedAtStart;

  @Setup(Level.Trial)
  public void start() {
    org = LoopbackOrg.start(FakeOrg.builder().accounts(10));
    CachingTokenSource tokens = org.tokens().build();
    AccessToken token = tokens.token().block(LoopbackOrg.BOUND);
    if (token == null) {
      throw new IllegalStateException("no token");
    }
    filtered = org.webClient().filter(SessionRecoveryFilter.builder(tokens).build()).build();
    raw = org.webClient().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token.value()).build();
    absolute = token.instanceUrl() + LoopbackOrg.LIMITS;
    unauthorizedAtStart = org.stats().unauthorized401();
  }

  @Benchmark
  public long sessionRecoveryFilter() {
    return wave(filtered, LoopbackOrg.LIMITS);
  }

  @Benchmark
  public long fixedHeader() {
    return wave(raw, absolute);
  }

  private static long wave(WebClient client, String uri) {
    Long done = Flux.range(0, IN_FLIGHT)
        .flatMap(i -> client.get().uri(uri).retrieve().toBodilessEntity(), IN_FLIGHT)
        .count()
        .block(LoopbackOrg.BOUND);
    if (done == null || done != IN_FLIGHT) {
      throw new IllegalStateException(done + " of " + IN_FLIGHT + " requests completed");
    }
    return done;
  }

  @TearDown(Level.Iteration)
  public void noSessionDied() {
    FakeOrgStats stats = org.stats();
    if (stats.unauthorized401() != unauthorizedAtStart) {
      throw new IllegalStateException((stats.unauthorized401() - unauthorizedAtStart)
          + " requests got 401: the run measured session recovery, not filter overhead");
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    org.close();
  }
}
