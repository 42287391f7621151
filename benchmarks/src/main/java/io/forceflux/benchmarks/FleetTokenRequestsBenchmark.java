package io.forceflux.benchmarks;

import io.forceflux.core.event.SessionListener;
import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.reactor.ConnectionPools;
import io.forceflux.reactor.SessionRecoveryFilter;
import io.forceflux.reactor.TokenStore;
import io.forceflux.reactor.redis.RedisTokenStore;
import io.forceflux.reactor.testing.FakeOrgClients;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.FakeOrgStats;
import io.forceflux.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import reactor.netty.resources.ConnectionProvider;

/**
 * Token requests per session expiry for a fleet of replicas sharing one credential, without a shared
 * {@link TokenStore} and with a real Redis one.
 *
 * <p>Each replica is a separate {@link CachingTokenSource} with its own WebClient, {@link SessionRecoveryFilter} and
 * connection pool, all in this JVM. The {@code store} parameter chooses what they share:
 * <ul>
 *   <li>{@code none}: nothing; each replica refreshes on its own.
 *   <li>{@code in-memory}: one {@link TokenStore#inMemory()} (the same protocol, inside one process).
 *   <li>{@code redis}: a real {@code redis-server} ({@link RedisServer}, started for the trial on a free loopback
 *       port; the trial fails with an {@link IllegalStateException} if it is not installed), and each replica has its
 *       own {@link RedisTokenStore} (its own Lettuce connections), as separate processes would have, all under one
 *       key prefix fresh for the trial.
 * </ul>
 * One invocation is one expiry: {@code expireAllSessions()}, then {@value #REQUESTS_PER_REPLICA} concurrent GETs per
 * replica, waiting for all; the score is its duration.
 *
 * <p>The {@link FleetCounters} secondary results add up, over the invocations of an iteration, the expiries and
 * what the org's token endpoint saw: divide {@code tokenRequests} (and {@code tokensIssued}) by {@code expiries} for
 * the per-expiry figure. With a shared store it is 1 at every fleet size; without, each replica obtains its own
 * token, and since the org (like Salesforce) refuses a second refresh with the same refresh token while one is in
 * flight, the refused ones ({@code concurrentRefreshRejected}) are retried with backoff and add requests and time.
 * Refresh-token rotation is off: without a shared store, replicas sharing a rotating refresh token would revoke it.
 * Every request must succeed, or the benchmark fails.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx1g"})
@Warmup(iterations = 2, batchSize = 1)
@Measurement(iterations = 5, batchSize = 1)
public class FleetTokenRequestsBenchmark {
  static final int REQUESTS_PER_REPLICA = 200;
  // Names SUMMARY.md reads from the results (SummaryTests checks each against this class).
  static final String REPLICAS_PARAM = "replicas";
  static final String STORE_PARAM = "store";
  static final String NO_STORE = "none";
  static final String IN_MEMORY_STORE = "in-memory";
  static final String REDIS_STORE = "redis";

  @Param({"1", "2", "4", "8"})
  public int replicas;

  /** What the replicas share: {@code none}, {@code in-memory} ({@link TokenStore#inMemory()}) or {@code redis}. */
  @Param({NO_STORE, IN_MEMORY_STORE, REDIS_STORE})
  public String store;

  private LoopbackOrg org;
  private @Nullable RedisServer redis;
  private @Nullable Thread killRedisAtExit;
  private final List<RedisTokenStore> redisStores = new ArrayList<>();
  private final List<WebClient> clients = new ArrayList<>();
  private final List<ConnectionProvider> pools = new ArrayList<>();
  private FakeOrgStats before;

  /** Per-expiry counts, summed over an iteration's invocations (JMH adds EVENTS counters up). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class FleetCounters {
    static final String EXPIRIES = "expiries";
    static final String TOKEN_REQUESTS = "tokenRequests";
    static final String TOKENS_ISSUED = "tokensIssued";
    static final String CONCURRENT_REFRESH_REJECTED = "concurrentRefreshRejected";

    /** Expiries measured: one per invocation. */
    public long expiries;
    /** Requests the org's token endpoint received. */
    public long tokenRequests;
    /** Tokens it issued. */
    public long tokensIssued;
    /** Token requests refused with "token request is already being processed". */
    public long concurrentRefreshRejected;

    @Setup(Level.Iteration)
    public void reset() {
      expiries = 0;
      tokenRequests = 0;
      tokensIssued = 0;
      concurrentRefreshRejected = 0;
    }
  }

  @Setup(Level.Trial)
  public void start() {
    try {
      build();
    } catch (RuntimeException | Error e) {
      stop();
      throw e;
    }
  }

  private void build() {
    org = LoopbackOrg.start(FakeOrg.builder().accounts(10).tokenLatency(Duration.ofMillis(50)));
    TokenStore inMemory = TokenStore.inMemory();
    String keyPrefix = "bench-" + System.nanoTime();
    switch (store) {
      case "none", "in-memory" -> { }
      case "redis" -> {
        RedisServer server = RedisServer.start();
        redis = server;
        // A fork that dies in the middle must not leave redis-server behind.
        killRedisAtExit = new Thread(server::kill, "kill-redis-server");
        Runtime.getRuntime().addShutdownHook(killRedisAtExit);
      }
      default -> throw new IllegalArgumentException("unknown store: " + store + " (none, in-memory or redis)");
    }
    SessionListener quiet = event -> { };
    for (int i = 0; i < replicas; i++) {
      CachingTokenSource.Builder tokens = org.tokens().listener(quiet);
      if (store.equals("in-memory")) {
        tokens.tokenStore(inMemory);
      } else if (redis != null) {
        // Its own connections, as another process would have; the one prefix makes them share the token.
        RedisTokenStore own = RedisTokenStore.builder(redis.uri()).keyPrefix(keyPrefix).build();
        redisStores.add(own);
        tokens.tokenStore(own);
      }
      ConnectionProvider pool = ConnectionPools.queueing("fleet-" + i, 64);
      pools.add(pool);
      clients.add(FakeOrgClients.webClient(pool)
          .filter(SessionRecoveryFilter.builder(tokens.build()).listener(quiet).build())
          .build());
    }
    // Every replica holds a working token and open connections before the first expiry.
    if (wave() != 0) {
      throw new IllegalStateException("requests failed before any expiry");
    }
  }

  @Setup(Level.Invocation)
  public void expire() {
    before = org.stats();
    org.org.expireAllSessions();
  }

  @Benchmark
  public long expiry(FleetCounters counters) {
    long failed = wave();
    if (failed != 0) {
      throw new IllegalStateException(failed + " requests failed");
    }
    FakeOrgStats after = org.stats();
    counters.expiries++;
    counters.tokenRequests += after.tokenRequests() - before.tokenRequests();
    counters.tokensIssued += after.tokenSuccesses() - before.tokenSuccesses();
    counters.concurrentRefreshRejected += after.concurrentRefreshRejected() - before.concurrentRefreshRejected();
    return failed;
  }

  /** {@value #REQUESTS_PER_REPLICA} concurrent GETs on every replica at once; the number that failed. */
  private long wave() {
    return Flux.fromIterable(clients)
        .flatMap(client -> Flux.range(0, REQUESTS_PER_REPLICA)
            .flatMap(i -> client.get().uri(LoopbackOrg.LIMITS).retrieve().toBodilessEntity()
                .thenReturn(0L).onErrorResume(e -> Mono.just(1L)), REQUESTS_PER_REPLICA))
        .reduce(0L, Long::sum)
        .block(LoopbackOrg.BOUND);
  }

  @TearDown(Level.Trial)
  public void stop() {
    pools.forEach(ConnectionProvider::dispose);
    pools.clear();
    clients.clear();
    redisStores.forEach(RedisTokenStore::close);
    redisStores.clear();
    if (redis != null) {
      redis.close();
      redis = null;
    }
    if (killRedisAtExit != null) {
      Runtime.getRuntime().removeShutdownHook(killRedisAtExit);
      killRedisAtExit = null;
    }
    if (org != null) {
      org.close();
    }
  }
}
