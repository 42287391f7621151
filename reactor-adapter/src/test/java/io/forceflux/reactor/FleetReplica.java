package io.forceflux.reactor;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.InstanceUrlPolicy;
import io.forceflux.core.event.SessionListener;
import io.forceflux.reactor.redis.RedisTokenStore;
import io.forceflux.reactor.testing.FakeOrgClients;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;

/**
 * One replica of a fleet sharing a credential: its own {@link CachingTokenSource}, its own WebClient with a
 * {@link SessionRecoveryFilter} and its own connection pool, optionally its own {@link RedisTokenStore}.
 * Used in process by the fleet tests, and as the main class of child JVMs:
 *
 * <pre>
 * java -cp &lt;test classpath&gt; io.forceflux.reactor.FleetReplica loginUrl myDomainUrl clientId clientSecret
 *     refreshToken redisUri|- keyPrefix encryptionKeyBase64|- leaseTtlMillis
 * stdin:  "round N R"  runs R concurrent requests, answers "done N failed=F"
 *         "quit"       exits (so does end of input: the parent died)
 * stdout: "ready pid=P" once built
 * </pre>
 */
final class FleetReplica implements AutoCloseable {
  static final String PATH = "/services/data/v67.0/limits";
  private static final Duration ROUND_BOUND = Duration.ofSeconds(90);

  final CachingTokenSource tokens;
  private final WebClient client;
  private final ConnectionProvider pool;
  private final @Nullable RedisTokenStore ownStore;
  final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();

  FleetReplica(String name, Settings s, @Nullable TokenStore store, @Nullable RedisTokenStore ownStore) {
    this.ownStore = ownStore;
    Grant grant = Grant.refreshToken(URI.create(s.loginUrl), s.clientId, s.clientSecret, s.refreshToken);
    SessionListener quiet = event -> { };
    CachingTokenSource.Builder b = CachingTokenSource.builder(grant)
        .instanceUrlPolicy(InstanceUrlPolicy.allowing(s.myDomainUrl, s.loginUrl))
        .listener(quiet);
    if (store != null) {
      b.tokenStore(store);
    }
    this.tokens = b.build();
    this.pool = ConnectionPools.queueing("fleet-" + name, 64);
    this.client = FakeOrgClients.webClient(pool)
        .filter(SessionRecoveryFilter.builder(tokens).listener(quiet).build())
        .build();
  }

  /** A replica with its own Redis store (its own connections), as a separate process would have. */
  static FleetReplica withRedis(String name, Settings s) {
    RedisTokenStore store = s.redisStore();
    return new FleetReplica(name, s, store, store);
  }

  /** This replica's own Redis store. */
  RedisTokenStore store() {
    return java.util.Objects.requireNonNull(ownStore, "no own store");
  }

  /** {@code requests} concurrent GETs; emits how many failed. */
  Mono<Long> round(int requests) {
    return Flux.range(0, requests)
        .flatMap(i -> client.get().uri(PATH).retrieve().bodyToMono(String.class)
            .map(body -> body.contains("DailyApiRequests") ? 0L : 1L)
            .onErrorResume(e -> {
              failures.computeIfAbsent(e.getClass().getSimpleName() + ": " + e.getMessage(), k -> new AtomicLong())
                  .incrementAndGet();
              return Mono.just(1L);
            }), requests)
        .reduce(0L, Long::sum);
  }

  @Override
  public void close() {
    pool.dispose();
    if (ownStore != null) {
      ownStore.close();
    }
  }

  /** What a replica needs to reach the org and the store; all of it travels as child JVM arguments. */
  record Settings(String loginUrl, String myDomainUrl, String clientId, String clientSecret, String refreshToken,
      @Nullable String redisUri, String keyPrefix, @Nullable String encryptionKey, long leaseTtlMillis) {

    RedisTokenStore redisStore() {
      RedisTokenStore.Builder b = RedisTokenStore.builder(String.valueOf(redisUri))
          .keyPrefix(keyPrefix)
          .leaseTtl(Duration.ofMillis(leaseTtlMillis))
          .pollInterval(Duration.ofMillis(100));
      if (encryptionKey != null) {
        b.encryptionKey(encryptionKey);
      }
      return b.build();
    }

    List<String> args() {
      return List.of(loginUrl, myDomainUrl, clientId, clientSecret, refreshToken, redisUri == null ? "-" : redisUri,
          keyPrefix, encryptionKey == null ? "-" : encryptionKey, Long.toString(leaseTtlMillis));
    }

    static Settings of(String[] a) {
      return new Settings(a[0], a[1], a[2], a[3], a[4], "-".equals(a[5]) ? null : a[5], a[6],
          "-".equals(a[7]) ? null : a[7], Long.parseLong(a[8]));
    }
  }

  /** Child JVM entry point (see the class comment). */
  public static void main(String[] args) throws Exception {
    // The test logback configuration keeps lines in memory for the leak scan; a child has nobody to scan them.
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.OFF);
    Settings settings = Settings.of(args);
    try (FleetReplica replica = settings.redisUri() == null
        ? new FleetReplica("child", settings, null, null) : withRedis("child", settings)) {
      System.out.println("ready pid=" + ProcessHandle.current().pid());
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
        String[] parts = line.trim().split(" ");
        if (parts.length == 3 && parts[0].equals("round")) {
          Long failed = replica.round(Integer.parseInt(parts[2])).block(ROUND_BOUND);
          List<String> why = new ArrayList<>();
          replica.failures.forEach((k, v) -> why.add(v.get() + "x " + k));
          replica.failures.clear();
          System.out.println("done " + parts[1] + " failed=" + failed + (why.isEmpty() ? "" : " " + why));
          System.out.flush();
        }
      }
    }
    System.exit(0);
  }
}
