package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.auth.Grant;
import io.forceflux.reactor.redis.RedisTokenStore;
import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.FakeOrgStats;
import io.forceflux.testkit.Fault;
import io.forceflux.testkit.FaultTarget;
import io.forceflux.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A fleet of replicas sharing one credential through a real Redis: in-process replicas and replicas in child
 * JVMs, each with its own token source, WebClient and Redis connections, against one {@link FakeOrg}.
 */
class FleetTokenSharingTests extends SharedRedisTests {
  private static final Duration BOUND = Duration.ofSeconds(90);

  private static FleetReplica.Settings settings(FakeOrg org, RedisServer server, String prefix, long leaseTtlMillis) {
    new OrgFixture(org); // registers the org's secrets with the log leak guard
    Credentials c = org.credentials();
    return new FleetReplica.Settings(org.loginUrl(), org.myDomainUrl(), c.clientId(), c.clientSecret(),
        c.refreshToken(), server.uri(), prefix, KEY, leaseTtlMillis);
  }

  private static long run(List<FleetReplica> replicas, int requests) {
    long failed = Flux.fromIterable(replicas).flatMap(r -> r.round(requests)).reduce(0L, Long::sum).block(BOUND);
    replicas.forEach(r -> {
      if (!r.failures.isEmpty()) {
        System.err.println("replica failures: " + r.failures);
        r.failures.clear();
      }
    });
    return failed;
  }

  @Test
  void eightReplicasInThreeJvmsCauseOneTokenRequestPerExpiryUnderRotation() {
    try (FakeOrg org = FakeOrg.builder().accounts(10).refreshTokenRotation(true).dailyApiLimit(10_000_000)
        .tokenLatency(Duration.ofMillis(100)).build().start()) {
      FleetReplica.Settings s = settings(org, redis, "fleet", 10_000);
      List<FleetReplica> local = new ArrayList<>();
      List<FleetChild> children = new ArrayList<>();
      try {
        for (int i = 0; i < 6; i++) {
          local.add(FleetReplica.withRedis("fleet-" + i, s));
        }
        // Priming: the fleet's first token is the one token request not caused by an expiry. It rotates the
        // configured refresh token, so everyone started below holds a rotated-out one and must adopt the store's.
        assertThat(local.get(0).round(1).block(BOUND)).isZero();
        assertThat(org.stats().tokenRequests()).isEqualTo(1);
        children.add(FleetChild.start(s));
        children.add(FleetChild.start(s));
        children.forEach(c -> c.startRound(0, 1));
        assertThat(run(local.subList(1, 6), 1)).isZero();
        assertThat(children.stream().mapToLong(c -> c.awaitRound(0, BOUND)).sum()).isZero();
        FakeOrgStats primed = org.stats();
        assertThat(primed.tokenRequests()).isEqualTo(1);

        long started = System.nanoTime();
        long failed = 0;
        long[] perExpiry = new long[20];
        long[] roundMillis = new long[20];
        for (int round = 1; round <= 20; round++) {
          org.expireAllSessions();
          long before = org.stats().tokenRequests();
          int r = round;
          long t0 = System.nanoTime();
          children.forEach(c -> c.startRound(r, 1_000));
          failed += run(local, 1_000);
          failed += children.stream().mapToLong(c -> c.awaitRound(r, BOUND)).sum();
          roundMillis[round - 1] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
          perExpiry[round - 1] = org.stats().tokenRequests() - before;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        FakeOrgStats stats = org.stats();
        System.out.println("[fleet] 8 replicas (2 child JVMs) x 1000 requests x 20 expiries in " + millis
            + " ms; token requests per expiry " + Arrays.toString(perExpiry) + "; failed " + failed
            + "; familyRevocations " + stats.familyRevocations() + "; concurrentRefreshRejected "
            + stats.concurrentRefreshRejected() + "; requests executed " + stats.requestsExecuted()
            + "; round times ms " + Arrays.toString(roundMillis));
        assertThat(failed).isZero();
        assertThat(perExpiry).containsOnly(1L);
        assertThat(stats.tokenRequests() - primed.tokenRequests()).isEqualTo(20);
        assertThat(stats.tokenRequests()).isEqualTo(21); // 1 priming + 20 expiries
        assertThat(stats.familyRevocations()).isZero();
        assertThat(stats.concurrentRefreshRejected()).isZero();
        assertThat(stats.requestsExecuted() - primed.requestsExecuted()).isEqualTo(20L * 8 * 1_000);

        // A replica joining now, configured with the original refresh token (rotated out 21 times), refreshes
        // alone with the store's newest one: no family revocation.
        try (FleetReplica late = FleetReplica.withRedis("fleet-late", s)) {
          assertThat(late.round(1).block(BOUND)).isZero(); // adopts
          org.expireAllSessions();
          assertThat(late.round(100).block(BOUND)).isZero(); // refreshes alone
        }
        assertThat(org.stats().tokenRequests()).isEqualTo(22);
        assertThat(org.stats().familyRevocations()).isZero();
      } finally {
        children.forEach(FleetChild::close);
        local.forEach(FleetReplica::close);
      }
    }
  }

  @Test
  void whenTheLeaseHoldersJvmIsKilledMidRefreshTheOthersTakeOverWithinTheLeaseTtl() throws Exception {
    long leaseTtlMillis = 2_000;
    try (FakeOrg org = FakeOrg.builder().accounts(10).tokenLatency(Duration.ofMillis(100)).build().start();
        RedisClient raw = RedisClient.create(redis.uri());
        StatefulRedisConnection<String, String> rawConnection = raw.connect();
        RedisTokenStore observer = RedisTokenStore.builder(redis.uri()).keyPrefix("kill").build()) {
      FleetReplica.Settings s = settings(org, redis, "kill", leaseTtlMillis);
      String credential = Grant.refreshToken(URI.create(s.loginUrl()), s.clientId(), s.clientSecret(),
          s.refreshToken()).credentialKey();
      String leaseKey = "kill:{" + sha256(credential) + "}:lease";
      FleetChild holder = FleetChild.start(s);
      FleetChild survivorJvm = FleetChild.start(s);
      List<FleetReplica> survivors = List.of(FleetReplica.withRedis("kill-0", s), FleetReplica.withRedis("kill-1", s));
      try {
        assertThat(run(survivors, 1)).isZero();
        holder.startRound(0, 1);
        survivorJvm.startRound(0, 1);
        assertThat(holder.awaitRound(0, BOUND) + survivorJvm.awaitRound(0, BOUND)).isZero();
        assertThat(org.stats().tokenRequests()).isEqualTo(1);

        // The next token request hangs (far longer than the test), so whoever sends it holds the lease until killed.
        org.faults().next(1, FaultTarget.TOKEN, Fault.latency(Duration.ofSeconds(60)));
        org.expireAllSessions();
        holder.startRound(1, 200);
        String owner = awaitLeaseOwner(rawConnection, leaseKey, Duration.ofSeconds(20));
        assertThat(owner).startsWith(holder.pid() + "-");
        // Kill the holder only once its token request hangs in the org: a holder killed between taking the lease
        // and sending would leave the hanging fault to the replica that takes over (a 30 s request timeout later).
        awaitTrue(() -> org.stats().faultsInjected() == 1, "the holder's token request reaches the org",
            Duration.ofSeconds(20));

        // The survivors run into the expiry and wait for the (soon dead) holder.
        AtomicLong publishedAt = new AtomicLong();
        Disposable watch = observer.published(credential).take(1)
            .subscribe(v -> publishedAt.set(System.nanoTime()));
        survivorJvm.startRound(1, 1_000);
        CompletableFuture<Long> inProcess = Flux.fromIterable(survivors).flatMap(r -> r.round(1_000))
            .reduce(0L, Long::sum).toFuture();
        Mono.delay(Duration.ofMillis(300)).block(BOUND);
        assertThat(inProcess).isNotDone(); // they are waiting for the holder

        long killedAt = System.nanoTime();
        holder.kill();
        long failed = inProcess.get(BOUND.toSeconds(), TimeUnit.SECONDS) + survivorJvm.awaitRound(1, BOUND);
        long doneMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        watch.dispose();
        long recoveredMillis = TimeUnit.NANOSECONDS.toMillis(publishedAt.get() - killedAt);

        FakeOrgStats stats = org.stats();
        System.out.println("[kill -9] lease TTL " + leaseTtlMillis + " ms; new token published " + recoveredMillis
            + " ms after the kill; survivors' 2,200 requests done after " + doneMillis + " ms; failed " + failed
            + "; token requests " + stats.tokenRequests() + " (1 priming, 1 held by the dead holder, 1 takeover)");
        assertThat(failed).isZero();
        assertThat(publishedAt.get()).isNotZero();
        assertThat(recoveredMillis).isLessThan(leaseTtlMillis + 1_000);
        assertThat(stats.tokenRequests()).isEqualTo(3);
        assertThat(stats.concurrentRefreshRejected()).isZero();
      } finally {
        holder.close();
        survivorJvm.close();
        survivors.forEach(FleetReplica::close);
      }
    }
  }

  @Test
  void whileRedisIsDownEachReplicaRefreshesOnItsOwnAndSharingResumesWhenItIsBack() {
    try (RedisServer own = RedisServer.start();
        FakeOrg org = FakeOrg.builder().accounts(10).tokenLatency(Duration.ofMillis(100)).build().start()) {
      FleetReplica.Settings s = settings(org, own, "down", 2_000);
      List<FleetReplica> replicas = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          replicas.add(FleetReplica.withRedis("down-" + i, s));
        }
        assertThat(replicas.get(0).round(1).block(BOUND)).isZero();
        assertThat(run(replicas, 1)).isZero();
        assertThat(org.stats().tokenRequests()).isEqualTo(1);
        List<Cost> costs = new ArrayList<>();
        AtomicLong failed = new AtomicLong();

        costs.add(expiry(org, failed, () -> run(replicas, 500))); // shared
        costs.add(expiry(org, failed, () -> { // Redis killed mid-run
          CompletableFuture<Long> round = Flux.fromIterable(replicas).flatMap(r -> r.round(500))
              .reduce(0L, Long::sum).toFuture();
          own.kill();
          return Mono.fromFuture(round).block(BOUND);
        }));
        costs.add(expiry(org, failed, () -> run(replicas, 500))); // Redis still down
        costs.add(expiry(org, failed, () -> run(replicas, 500))); // still down
        long downAt = System.nanoTime();
        own.restart();
        awaitReachable(replicas);
        // The restarted Redis is empty. While it was down each replica refreshed on its own and kept the version it
        // last shared, and one may have shared a newer one just before the kill: until every replica has restored
        // what it knows, a restore of a higher version (a token the expiry below kills) can overtake the first
        // token published after the restart and cost a second token request. Sharing resumes once reconciled.
        awaitReconciled(replicas);
        long reachableMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downAt);
        costs.add(expiry(org, failed, () -> run(replicas, 500))); // back: shared again
        costs.add(expiry(org, failed, () -> run(replicas, 500)));

        long warnings = TestGuards.LINES.stream().filter(l -> l.contains("shared token store unavailable")).count();
        System.out.println("[redis down] 4 replicas x 500 requests; per expiry [up, killed mid-run, down, down, back, "
            + "back]: " + costs + "; failed " + failed + "; store-down warnings " + warnings
            + "; all stores reconnected " + reachableMillis + " ms after the restart");
        assertThat(failed.get()).isZero();
        assertThat(costs.get(0)).isEqualTo(new Cost(1, 1, 0));
        assertThat(costs.get(1).tokens()).isBetween(1L, 4L);
        // Down: each replica obtains exactly one token. Salesforce (and the fake) refuse a second request with
        // the same refresh token while one is in flight ("already being processed"); the loser retries with
        // backoff, so raw requests may exceed the tokens obtained, by the rejected ones only.
        assertThat(costs.get(2).tokens()).isEqualTo(4);
        assertThat(costs.get(3).tokens()).isEqualTo(4);
        assertThat(costs.get(2).requests()).isEqualTo(4 + costs.get(2).rejected());
        assertThat(costs.get(3).requests()).isEqualTo(4 + costs.get(3).rejected());
        assertThat(costs.get(4)).isEqualTo(new Cost(1, 1, 0));
        assertThat(costs.get(5)).isEqualTo(new Cost(1, 1, 0));
        assertThat(warnings).isBetween(1L, 4L); // once per replica (per token source) and outage
      } finally {
        replicas.forEach(FleetReplica::close);
      }
    }
  }

  /** What one expiry cost at the token endpoint: requests, tokens issued, requests refused as concurrent. */
  record Cost(long requests, long tokens, long rejected) {
    @Override
    public String toString() {
      return requests + " requests/" + tokens + " tokens" + (rejected == 0 ? "" : "/" + rejected + " refused");
    }
  }

  /** Expires every session, runs a round, adds its failures; returns what the round cost. */
  private static Cost expiry(FakeOrg org, AtomicLong failed, LongSupplier round) {
    org.expireAllSessions();
    FakeOrgStats before = org.stats();
    failed.addAndGet(round.getAsLong());
    FakeOrgStats after = org.stats();
    return new Cost(after.tokenRequests() - before.tokenRequests(), after.tokenSuccesses() - before.tokenSuccesses(),
        after.concurrentRefreshRejected() - before.concurrentRefreshRejected());
  }

  private static void awaitReachable(List<FleetReplica> replicas) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    for (FleetReplica r : replicas) {
      while (true) {
        Boolean ok = r.store().read("probe").map(e -> true).onErrorReturn(false).block(BOUND);
        if (Boolean.TRUE.equals(ok)) {
          break;
        }
        assertThat(System.nanoTime()).as("Redis reachable again within 15 s").isLessThan(deadline);
        Mono.delay(Duration.ofMillis(50)).block(BOUND);
      }
    }
  }

  private static void awaitReconciled(List<FleetReplica> replicas) {
    for (FleetReplica r : replicas) {
      SharedRefresher refresher = (SharedRefresher) r.tokens.refresher();
      awaitTrue(() -> Boolean.TRUE.equals(refresher.reconciled().block(BOUND)),
          r + " has restored what it knows into the restarted store", Duration.ofSeconds(15));
    }
  }

  private static void awaitTrue(BooleanSupplier condition, String what, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what + " within " + bound).isLessThan(deadline);
      Mono.delay(Duration.ofMillis(10)).block(BOUND);
    }
  }

  private static String awaitLeaseOwner(StatefulRedisConnection<String, String> raw, String key, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      String owner = raw.sync().get(key);
      if (owner != null) {
        return owner;
      }
      assertThat(System.nanoTime()).as("someone takes the lease within " + bound).isLessThan(deadline);
      Mono.delay(Duration.ofMillis(10)).block(BOUND);
    }
  }

  static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
