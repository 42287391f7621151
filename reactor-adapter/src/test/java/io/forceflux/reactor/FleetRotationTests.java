package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.recovery.Jitter;
import io.forceflux.core.recovery.RecoveryPolicy;
import io.forceflux.reactor.redis.RedisTokenStore;
import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.Fault;
import io.forceflux.testkit.FaultTarget;
import io.forceflux.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The sequences in which a fleet sharing a rotating refresh token through Redis could present a rotated-out
 * refresh token, which revokes the whole family (FakeOrg's rotation mode is the judge). Each runs several
 * replicas with their own Redis connections against a real Redis; the restart case starts a replica in a
 * child JVM. Every request must succeed or fail with a typed error and its runbook; no family is revoked.
 */
class FleetRotationTests extends SharedRedisTests {
  private static final Duration BOUND = Duration.ofSeconds(90);
  private static final String OTHER_KEY = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210"
      .getBytes(StandardCharsets.US_ASCII));
  private static final long LEASE_TTL_MILLIS = 1_000;

  private static FakeOrg rotatingOrg() {
    return FakeOrg.builder().accounts(10).refreshTokenRotation(true).dailyApiLimit(10_000_000)
        .tokenLatency(Duration.ofMillis(50)).build().start();
  }

  private static FleetReplica.Settings settings(FakeOrg org, RedisServer server, String prefix, String key) {
    new OrgFixture(org); // registers the org's secrets with the log leak guard
    Credentials c = org.credentials();
    return new FleetReplica.Settings(org.loginUrl(), org.myDomainUrl(), c.clientId(), c.clientSecret(),
        c.refreshToken(), server.uri(), prefix, key, LEASE_TTL_MILLIS);
  }

  /** Runs a round on each replica at once; returns the failures, and asserts each is typed with {@code cause}. */
  private static long run(List<FleetReplica> replicas, int requests, String allowedCause) {
    long failed = Flux.fromIterable(replicas).flatMap(r -> r.round(requests)).reduce(0L, Long::sum).block(BOUND);
    for (FleetReplica r : replicas) {
      r.failures.forEach((why, n) -> assertThat(why).as("a failure (%d times)", n.get())
          .startsWith("SalesforceException: " + allowedCause + ": ").contains("Runbook: "));
      r.failures.clear();
    }
    return failed;
  }

  /** Primes the fleet (the first refresh rotates the configured refresh token) and rotates it {@code times} more. */
  private static void rotate(FakeOrg org, List<FleetReplica> fleet, int times) {
    assertThat(run(fleet.subList(0, 1), 1, "NONE")).isZero();
    assertThat(run(fleet, 5, "NONE")).isZero();
    for (int i = 0; i < times; i++) {
      org.expireAllSessions();
      assertThat(run(fleet, 20, "NONE")).isZero();
    }
    assertThat(org.stats().familyRevocations()).isZero();
  }

  @Test
  void aReplicaStartedDuringAStoreOutageNeverPresentsTheConfiguredRefreshToken() {
    try (RedisServer own = RedisServer.start(); FakeOrg org = rotatingOrg()) {
      FleetReplica.Settings s = settings(org, own, "restart", KEY);
      List<FleetReplica> fleet = List.of(FleetReplica.withRedis("restart-0", s), FleetReplica.withRedis("restart-1", s));
      FleetChild child = null;
      try {
        rotate(org, fleet, 3); // the fleet holds RT4; the configured RT0 is four rotations old
        long tokensBefore = org.stats().tokenSuccesses();

        own.kill();
        child = FleetChild.start(s); // a replica (scale-up or restart) starts while the store is down
        child.startRound(1, 5);
        long childFailed = child.awaitRound(1, BOUND);
        String childReasons = child.lastReasons;

        // The running replicas need a refresh while the store is down: they wait for it, and restore what they
        // know into the (empty) Redis that comes back.
        org.expireAllSessions();
        CompletableFuture<Long> survivors = Flux.fromIterable(fleet).flatMap(r -> r.round(20))
            .reduce(0L, Long::sum).toFuture();
        own.restart();
        long survivorsFailed = Mono.fromFuture(survivors).block(BOUND);

        child.startRound(2, 5);
        long childAfter = child.awaitRound(2, BOUND);
        org.expireAllSessions();
        child.startRound(3, 20);
        long after = run(fleet, 20, "NONE") + child.awaitRound(3, BOUND);

        System.out.println("[restart during outage] child while down: " + childFailed + " failed " + childReasons
            + "; survivors " + survivorsFailed + " failed; child after: " + childAfter + "; next expiry " + after
            + " failed; token successes " + (org.stats().tokenSuccesses() - tokensBefore) + "; family revocations "
            + org.stats().familyRevocations());
        assertThat(org.stats().familyRevocations()).isZero();
        if (childFailed > 0) {
          assertThat(childReasons).contains("SalesforceException: TOKEN_STORE_UNAVAILABLE: ").contains("Runbook: ")
              .doesNotContain("REFRESH_TOKEN_REVOKED");
        }
        assertThat(survivorsFailed).isZero();
        assertThat(childAfter).isZero();
        assertThat(after).isZero();
      } finally {
        if (child != null) {
          child.close();
        }
        fleet.forEach(FleetReplica::close);
      }
    }
  }

  /**
   * The fleet is idle through a Redis restart (its tokens are valid, nobody needs the store) while a replica that
   * started during the outage waits for it. The idle replicas must restore the newest refresh token when they
   * reconnect, not on their next refresh: otherwise the new replica finds the store empty past its grace period
   * and presents its configured refresh token, long rotated out, and the family is revoked.
   */
  @Test
  void anIdleFleetRestoresARestartedStoreWithoutNeedingAToken() {
    try (RedisServer own = RedisServer.start(); FakeOrg org = rotatingOrg()) {
      FleetReplica.Settings s = settings(org, own, "idle", KEY);
      List<FleetReplica> fleet = List.of(FleetReplica.withRedis("idle-0", s), FleetReplica.withRedis("idle-1", s));
      String credential = fleet.get(0).tokens.grant().credentialKey();
      FleetReplica started = null;
      try (RedisTokenStore reader = s.redisStore()) {
        rotate(org, fleet, 3); // the fleet holds RT4; the configured RT0 is four rotations old
        long tokensBefore = org.stats().tokenSuccesses();

        own.kill();
        started = FleetReplica.withRedis("idle-new", s); // starts while the store is down
        long whileDown = run(List.of(started), 5, "TOKEN_STORE_UNAVAILABLE"); // typed: it saw the outage
        own.restart();

        // No replica of the fleet makes a request: reconnecting alone must bring the newest entry back.
        long restored = Flux.interval(Duration.ofMillis(100))
            .onBackpressureDrop() // a read slower than a tick on a loaded machine skips ticks
            .concatMap(i -> reader.read(credential).map(TokenStore.Entry::version).onErrorReturn(0L))
            .filter(v -> v > 0)
            .next()
            .timeout(Duration.ofSeconds(30), Mono.error(new AssertionError("no idle replica restored the store")))
            .block(BOUND);
        org.expireAllSessions();
        long after = run(fleet, 20, "NONE");

        System.out.println("[idle fleet through a restart] restored version " + restored + "; started during the "
            + "outage: " + whileDown + " failed while down; next expiry " + after + " failed; token successes "
            + (org.stats().tokenSuccesses() - tokensBefore) + "; family revocations " + org.stats().familyRevocations());
        assertThat(org.stats().familyRevocations()).isZero();
        assertThat(after).isZero();
      } finally {
        if (started != null) {
          started.close();
        }
        fleet.forEach(FleetReplica::close);
      }
    }
  }

  @Test
  void anUnreadableStoredRefreshTokenIsATypedErrorNeverTheConfiguredOne() {
    try (FakeOrg org = rotatingOrg()) {
      FleetReplica.Settings s = settings(org, redis, "unreadable", KEY);
      FleetReplica.Settings rolled = settings(org, redis, "unreadable", OTHER_KEY);
      List<FleetReplica> fleet = List.of(FleetReplica.withRedis("unreadable-0", s),
          FleetReplica.withRedis("unreadable-1", s));
      try (FleetReplica newKey = FleetReplica.withRedis("unreadable-new-key", rolled)) {
        rotate(org, fleet, 2);
        // A pod that got the new encryption key first cannot open the stored refresh token.
        long failed = run(List.of(newKey), 5, "TOKEN_STORE_UNREADABLE");
        System.out.println("[unreadable] replica with another key: " + failed + " of 5 failed typed; revocations "
            + org.stats().familyRevocations());
        assertThat(org.stats().familyRevocations()).isZero();
        assertThat(failed).isEqualTo(5);
        org.expireAllSessions();
        assertThat(run(fleet, 20, "NONE")).isZero();
        assertThat(org.stats().familyRevocations()).isZero();
      } finally {
        fleet.forEach(FleetReplica::close);
      }
    }
  }

  @Test
  void aTokenRotatedWhileTheStoreWasUnreachableIsPublishedAndNeverReplacedByTheStaleOne() {
    try (FakeOrg org = rotatingOrg()) {
      FleetReplica.Settings s = settings(org, redis, "unpublished", KEY);
      RedisTokenStore ownStore = s.redisStore();
      FaultyStore faulty = new FaultyStore(ownStore);
      List<FleetReplica> fleet = List.of(new FleetReplica("unpublished-0", s, faulty, ownStore),
          FleetReplica.withRedis("unpublished-1", s), FleetReplica.withRedis("unpublished-2", s));
      try (RedisTokenStore observer = s.redisStore()) {
        rotate(org, fleet, 1);
        String credential = fleet.get(0).tokens.grant().credentialKey();
        long storedBefore = observer.read(credential).block(BOUND).version();

        // Replica 0 refreshes alone; right after its token request its store connection breaks for longer than
        // it keeps retrying the publish, so only it knows the new refresh token until the store is back.
        org.expireAllSessions();
        faulty.partitionFromNextPublish(Duration.ofMillis(LEASE_TTL_MILLIS * 7));
        assertThat(run(fleet.subList(0, 1), 1, "NONE")).isZero();
        long published = awaitVersionAbove(observer, credential, storedBefore, faulty);
        System.out.println("[unpublished] replica 0's token published after its partition: "
            + (published > storedBefore));

        org.expireAllSessions();
        long failed = run(fleet, 20, "NONE");
        System.out.println("[unpublished] next expiry: " + failed + " failed; revocations "
            + org.stats().familyRevocations());
        assertThat(org.stats().familyRevocations()).isZero();
        assertThat(failed).isZero();
        assertThat(published).isGreaterThan(storedBefore);
      } finally {
        fleet.forEach(FleetReplica::close);
      }
    }
  }

  @Test
  void aHolderKeepsItsLeaseUntilItsPublishLands() {
    try (FakeOrg org = rotatingOrg()) {
      FleetReplica.Settings s = settings(org, redis, "lapse", KEY);
      RedisTokenStore ownStore = s.redisStore();
      FaultyStore faulty = new FaultyStore(ownStore);
      List<FleetReplica> fleet = List.of(new FleetReplica("lapse-0", s, faulty, ownStore),
          FleetReplica.withRedis("lapse-1", s), FleetReplica.withRedis("lapse-2", s));
      try {
        rotate(org, fleet, 1);
        // Replica 0 takes the lease and rotates; its publishes then fail for three lease TTLs (its other
        // commands work). The others run into the expiry meanwhile and wait for it.
        org.expireAllSessions();
        faulty.failPublishesFromNextPublish(Duration.ofMillis(LEASE_TTL_MILLIS * 3));
        assertThat(run(fleet.subList(0, 1), 1, "NONE")).isZero();
        long failed = run(fleet.subList(1, 3), 20, "NONE");
        System.out.println("[lease lapse] others during the holder's failing publish: " + failed
            + " failed; revocations " + org.stats().familyRevocations());
        assertThat(org.stats().familyRevocations()).isZero();
        assertThat(failed).isZero();
        org.expireAllSessions();
        assertThat(run(fleet, 20, "NONE")).isZero();
        assertThat(org.stats().familyRevocations()).isZero();
      } finally {
        fleet.forEach(FleetReplica::close);
      }
    }
  }

  @Test
  void aHolderThatLostItsLeasePresentsThatRefreshTokenNoMore() {
    try (FakeOrg org = rotatingOrg()) {
      OrgFixture f = new OrgFixture(org);
      FaultyStore store = new FaultyStore(new InMemoryTokenStore(Duration.ofMillis(600), Duration.ofMillis(50)));
      CachingTokenSource tokens = f.tokens().tokenStore(store)
          .recoveryPolicy(RecoveryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofSeconds(3))
              .jitter(Jitter.NONE).build())
          .build();
      // The first token request fails (503, retryable); meanwhile the lease renewal learns that another process
      // holds the lease now, which may already have presented the same refresh token.
      org.faults().next(3, FaultTarget.TOKEN, Fault.serverUnavailable());
      store.leaseLost = true;
      assertThatThrownBy(() -> tokens.token().block(BOUND)).isInstanceOfSatisfying(SalesforceException.class,
          e -> assertThat(e.failureCause()).isEqualTo(FailureCause.TOKEN_STORE_UNAVAILABLE))
          .hasMessageContaining("lost the shared refresh lease");
      System.out.println("[lease lost] token requests after losing the lease: " + org.stats().tokenRequests());
      assertThat(org.stats().tokenRequests()).isEqualTo(1);
      assertThat(org.stats().familyRevocations()).isZero();
    }
  }

  /** Waits (bounded) until the stored version passes {@code before} and the fault is over; returns the version. */
  private static long awaitVersionAbove(RedisTokenStore store, String credential, long before, FaultyStore faulty) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      long v = store.read(credential).map(TokenStore.Entry::version).onErrorReturn(0L).block(BOUND);
      if (v > before && !faulty.faulty()) {
        return v;
      }
      Mono.delay(Duration.ofMillis(50)).block(BOUND);
    }
    return store.read(credential).map(TokenStore.Entry::version).block(BOUND);
  }
}
