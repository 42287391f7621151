package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.recovery.RecoveryPolicy;
import io.forceflux.reactor.redis.RedisTokenStore;
import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.FakeOrgStats;
import io.forceflux.testkit.Fault;
import io.forceflux.testkit.FaultTarget;
import io.forceflux.testkit.Phase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A token request in doubt (sent under refresh-token rotation, answer not seen) outlives the process that sent it:
 * the store marks the refresh token as being presented before it is sent, so when the holder dies the replica that
 * takes over its lease does not present it again. FakeOrg's rotation mode is the judge: presenting a rotated-out
 * refresh token revokes the whole family.
 */
class FleetInDoubtTests extends SharedRedisTests {
  private static final Duration BOUND = Duration.ofSeconds(90);

  private static FleetReplica.Settings settings(FakeOrg org, String prefix, long leaseTtlMillis) {
    new OrgFixture(org); // registers the org's secrets with the log leak guard
    Credentials c = org.credentials();
    return new FleetReplica.Settings(org.loginUrl(), org.myDomainUrl(), c.clientId(), c.clientSecret(),
        c.refreshToken(), redis.uri(), prefix, KEY, leaseTtlMillis);
  }

  private static FakeOrg rotatingOrg() {
    return FakeOrg.builder().accounts(10).refreshTokenRotation(true).dailyApiLimit(10_000_000)
        .tokenLatency(Duration.ofMillis(50)).build().start();
  }

  /**
   * The holder (a child JVM) presents RT1; the org rotates it to RT2 and holds the answer; the holder is killed. Its
   * lease expires and a survivor takes it. Without a mark in the store the survivor read RT1 and presented it: the
   * family was revoked. With the mark, every survivor request fails typed and no token request is sent.
   */
  @Test
  void whenTheHolderDiesWithItsTokenRequestInDoubtNoSurvivorPresentsThatRefreshToken() {
    long leaseTtlMillis = 2_000;
    try (FakeOrg org = rotatingOrg()) {
      FleetReplica.Settings s = settings(org, "doubt-kill", leaseTtlMillis);
      FleetChild holder = FleetChild.start(s);
      List<FleetReplica> survivors = List.of(FleetReplica.withRedis("doubt-0", s), FleetReplica.withRedis("doubt-1", s));
      try {
        // Priming rotates RT0 -> RT1 (published; rotation now known fleet-wide); everyone adopts that token.
        assertThat(survivors.get(0).round(1).block(BOUND)).isZero();
        holder.startRound(0, 1);
        assertThat(holder.awaitRound(0, BOUND)).isZero();
        assertThat(Flux.fromIterable(survivors).flatMap(r -> r.round(1)).reduce(0L, Long::sum).block(BOUND)).isZero();
        assertThat(org.stats().tokenRequests()).isEqualTo(1);

        // The holder's token request is processed (RT1 -> RT2) and its answer held far longer than the test.
        org.faults().next(1, FaultTarget.TOKEN, Fault.latency(Duration.ofSeconds(120)).withPhase(Phase.AFTER));
        org.expireAllSessions();
        holder.startRound(1, 50);
        awaitTrue(() -> org.stats().faultsInjected() == 1, "the holder's token request was processed by the org",
            Duration.ofSeconds(30));
        assertThat(org.stats().tokenRequests()).isEqualTo(2);
        holder.kill();

        long failed = Flux.fromIterable(survivors).flatMap(r -> r.round(100)).reduce(0L, Long::sum).block(BOUND);
        FakeOrgStats stats = org.stats();
        System.out.println("[in doubt, holder killed] survivors' 200 requests: " + failed + " failed; token requests "
            + stats.tokenRequests() + " (1 priming, 1 in doubt); family revocations " + stats.familyRevocations()
            + "; reasons " + reasons(survivors));
        assertThat(stats.familyRevocations()).isZero();
        assertThat(stats.tokenRequests()).as("no token request presents the refresh token in doubt").isEqualTo(2);
        for (FleetReplica r : survivors) {
          for (Map.Entry<String, AtomicLong> why : r.failures.entrySet()) {
            assertThat(why.getKey()).matches("SalesforceException: REFRESH_OUTCOME_UNKNOWN: (?s).*")
                .contains("Runbook: ").contains("re-authorize");
          }
        }

        // The runbook's recovery: re-authorizing gives a new refresh token, hence a new credential key and a fresh
        // entry, unmarked. A replica configured with it works; the old entry stays in doubt for the old config.
        String reauthorized = org.issueRefreshToken();
        TestGuards.secret(reauthorized);
        FleetReplica.Settings renewed = new FleetReplica.Settings(s.loginUrl(), s.myDomainUrl(), s.clientId(),
            s.clientSecret(), reauthorized, s.redisUri(), s.keyPrefix(), s.encryptionKey(), s.leaseTtlMillis());
        try (FleetReplica recovered = FleetReplica.withRedis("doubt-reauthorized", renewed)) {
          assertThat(recovered.round(20).block(BOUND)).isZero();
        }
        assertThat(org.stats().tokenRequests()).isEqualTo(3);
        assertThat(org.stats().familyRevocations()).isZero();
      } finally {
        holder.close();
        survivors.forEach(FleetReplica::close);
      }
    }
  }

  /**
   * A holder whose token request got an answer Salesforce chose (an OAuth error) drops its mark before it releases
   * the lease and fails: another replica's next refresh proceeds.
   */
  @Test
  void aHolderRefusedWithAnOAuthErrorLeavesNoMarkAndTheNextReplicaRefreshes() {
    definiteFailureLeavesNoMark(Fault.status(400, "{\"error\":\"invalid_grant\",\"error_description\":"
        + "\"authentication failure\"}", "application/json"), 1, FailureCause.AUTHENTICATION_FAILURE);
  }

  /** Likewise after 503s that used up the holder's retries: a 5xx is an answer, nothing was rotated. */
  @Test
  void aHolderThatRanOutOfRetriesOn503sLeavesNoMarkAndTheNextReplicaRefreshes() {
    definiteFailureLeavesNoMark(Fault.serverUnavailable(), 2, FailureCause.SERVER_UNAVAILABLE);
  }

  private static void definiteFailureLeavesNoMark(Fault fault, int faults, FailureCause cause) {
    try (FakeOrg org = rotatingOrg();
        RedisTokenStore storeA = settings(org, "definite-" + faults, 10_000).redisStore();
        RedisTokenStore storeB = settings(org, "definite-" + faults, 10_000).redisStore()) {
      OrgFixture f = new OrgFixture(org);
      RecoveryPolicy twoQuickAttempts = RecoveryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ofMillis(20))
          .maxBackoff(Duration.ofMillis(50)).build();
      CachingTokenSource a = f.tokens().tokenStore(storeA).recoveryPolicy(twoQuickAttempts).build();
      CachingTokenSource b = f.tokens().tokenStore(storeB).recoveryPolicy(twoQuickAttempts).build();
      String credential = a.grant().credentialKey();
      AccessToken first = a.token().block(BOUND); // RT0 -> RT1, published: rotation known
      assertThat(b.token().block(BOUND)).isEqualTo(first); // adopted

      org.faults().next(faults, FaultTarget.TOKEN, fault);
      a.invalidate(first);
      StepVerifier.create(a.token())
          .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SalesforceException.class,
              s -> assertThat(s.failureCause()).isEqualTo(cause)))
          .verify(BOUND);
      assertThat(org.stats().faultsInjected()).isEqualTo(faults);
      TokenStore.Entry entry = storeB.read(credential).block(BOUND);
      assertThat(entry.inDoubt()).as("the mark is gone once the holder has failed").isFalse();

      b.invalidate(first);
      AccessToken second = b.token().block(BOUND);
      assertThat(second).isNotEqualTo(first);
      assertThat(org.stats().tokenRequests()).isEqualTo(2 + faults);
      assertThat(org.stats().familyRevocations()).isZero();
    }
  }

  private static String reasons(List<FleetReplica> replicas) {
    StringBuilder b = new StringBuilder();
    replicas.forEach(r -> r.failures.forEach((k, v) -> b.append(v.get()).append("x ")
        .append(k, 0, Math.min(k.length(), 120)).append("; ")));
    return b.toString();
  }

  private static void awaitTrue(BooleanSupplier condition, String what, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what + " within " + bound).isLessThan(deadline);
      Mono.delay(Duration.ofMillis(10)).block(BOUND);
    }
  }
}
