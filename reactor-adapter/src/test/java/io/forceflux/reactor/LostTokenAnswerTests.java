package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.event.SessionEvent;
import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.Fault;
import io.forceflux.testkit.FaultTarget;
import io.forceflux.testkit.Phase;
import io.forceflux.testkit.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * A refresh whose answer was lost (the token request was sent, then a connection reset or a timeout came instead of
 * the answer) under refresh-token rotation: Salesforce may have rotated the presented refresh token out, and
 * presenting it again revokes the whole family (FakeOrg's rotation mode is the judge). No retry presents it; the
 * failure is typed {@code REFRESH_OUTCOME_UNKNOWN} with its runbook, in one process and in a fleet sharing Redis.
 */
class LostTokenAnswerTests {
  private static final Duration BOUND = Duration.ofSeconds(60);

  private static FakeOrg org(boolean rotation) {
    return FakeOrg.builder().accounts(1).refreshTokenRotation(rotation).dailyApiLimit(10_000_000).build().start();
  }

  private static SalesforceException failure(CachingTokenSource tokens) {
    Throwable thrown = null;
    try {
      tokens.token().block(BOUND);
    } catch (RuntimeException e) {
      thrown = e;
    }
    assertThat(thrown).isInstanceOf(SalesforceException.class);
    return (SalesforceException) thrown;
  }

  @Test
  void aResetAfterTheRefreshRanIsNotRetriedWithTheSameRefreshTokenAndFailsTypedForGood() {
    try (FakeOrg org = org(true)) {
      OrgFixture f = new OrgFixture(org);
      CachingTokenSource tokens = f.tokens().circuitProbeInterval(Duration.ZERO).build();
      AccessToken first = tokens.token().block(BOUND); // rotates RT0 -> RT1: rotation is now known
      org.resetStats();

      org.faults().next(1, FaultTarget.TOKEN, Fault.connectionReset().withPhase(Phase.AFTER)); // RT1 -> RT2, answer lost
      tokens.invalidate(first);
      SalesforceException e = failure(tokens);
      assertThat(e.failureCause()).isEqualTo(FailureCause.REFRESH_OUTCOME_UNKNOWN);
      assertThat(e.getMessage()).contains("answer lost").contains("Runbook: ").contains("re-authorize");
      assertThat(org.stats().tokenRequests()).isEqualTo(1);

      // Later calls (the circuit probes at once here) never present that refresh token again.
      SalesforceException again = failure(tokens);
      assertThat(again.failureCause()).isEqualTo(FailureCause.REFRESH_OUTCOME_UNKNOWN);
      assertThat(org.stats().tokenRequests()).isEqualTo(1);
      assertThat(org.stats().familyRevocations()).isZero();
    }
  }

  @Test
  void aTimedOutFirstRefreshIsNotRetriedWhileRotationIsUnknown() {
    try (FakeOrg org = org(true)) {
      OrgFixture f = new OrgFixture(org);
      // The org rotates RT0 and then holds its answer past the request timeout (the org counts the request only
      // once it answers, so the attempts are counted here from the token source's events).
      org.faults().next(1, FaultTarget.TOKEN, Fault.latency(Duration.ofSeconds(5)).withPhase(Phase.AFTER));
      CachingTokenSource tokens = f.tokens().requestTimeout(Duration.ofSeconds(1)).build();
      SalesforceException e = failure(tokens);
      assertThat(e.failureCause()).isEqualTo(FailureCause.REFRESH_OUTCOME_UNKNOWN);
      assertThat(e.getMessage()).contains("answer lost (TRANSPORT)").contains("Runbook: ");
      assertThat(f.events).filteredOn(SessionEvent.RefreshFailed.class::isInstance).hasSize(1);
      assertThat(org.stats().familyRevocations()).isZero();
    }
  }

  @Test
  void aStaticRefreshTokenIsStillRetriedAfterALostAnswer() {
    try (FakeOrg org = org(false)) {
      OrgFixture f = new OrgFixture(org);
      CachingTokenSource tokens = f.tokens().refreshTokenRotation(RefreshTokenRotation.STATIC).build();
      org.faults().next(1, FaultTarget.TOKEN, Fault.connectionReset().withPhase(Phase.AFTER));
      assertThat(tokens.token().block(BOUND)).isNotNull();
      assertThat(org.stats().tokenRequests()).isEqualTo(2);
    }
  }

  @Test
  void aRefreshThatNeverReachedTheServerIsRetriedUnderRotation() {
    try (FakeOrg org = org(true)) {
      OrgFixture f = new OrgFixture(org);
      CachingTokenSource tokens = f.tokens().build();
      AccessToken first = tokens.token().block(BOUND);
      org.resetStats();
      // An answer Salesforce chose (a 503 before anything ran) is not in doubt: retried as before.
      org.faults().next(1, FaultTarget.TOKEN, Fault.serverUnavailable());
      tokens.invalidate(first);
      assertThat(tokens.token().block(BOUND)).isNotEqualTo(first);
      assertThat(org.stats().tokenRequests()).isEqualTo(2);
      assertThat(org.stats().familyRevocations()).isZero();
    }
  }

  /**
   * Three replicas with their own Redis connections; the lease holder's refresh loses its answer. Without the fix
   * the holder retried with the same refresh token (or released the lease and the next holder presented it).
   */
  @Test
  void inAFleetNoReplicaPresentsARefreshTokenWhoseAnswerWasLost() {
    try (RedisServer redis = RedisServer.start(); FakeOrg org = org(true)) {
      new OrgFixture(org);
      Credentials c = org.credentials();
      FleetReplica.Settings s = new FleetReplica.Settings(org.loginUrl(), org.myDomainUrl(), c.clientId(),
          c.clientSecret(), c.refreshToken(), redis.uri(), "lost", null, 1_000);
      List<FleetReplica> fleet = List.of(FleetReplica.withRedis("lost-0", s), FleetReplica.withRedis("lost-1", s),
          FleetReplica.withRedis("lost-2", s));
      try {
        assertThat(fleet.get(0).round(1).block(BOUND)).isZero();
        assertThat(Flux.fromIterable(fleet).flatMap(r -> r.round(5)).reduce(0L, Long::sum).block(BOUND)).isZero();
        org.resetStats();

        org.faults().next(1, FaultTarget.TOKEN, Fault.connectionReset().withPhase(Phase.AFTER));
        org.expireAllSessions();
        long failed = Flux.fromIterable(fleet).flatMap(r -> r.round(10)).reduce(0L, Long::sum).block(BOUND);
        long failedAgain = Flux.fromIterable(fleet).flatMap(r -> r.round(10)).reduce(0L, Long::sum).block(BOUND);
        System.out.println("[lost answer, fleet] " + failed + " + " + failedAgain + " of 60 failed typed; token "
            + "requests " + org.stats().tokenRequests() + "; family revocations " + org.stats().familyRevocations());

        assertThat(org.stats().familyRevocations()).isZero();
        assertThat(org.stats().tokenRequests()).isEqualTo(1);
        assertThat(failed + failedAgain).isEqualTo(60);
        AtomicLong outcomeUnknown = new AtomicLong();
        for (FleetReplica r : fleet) {
          for (Map.Entry<String, AtomicLong> why : r.failures.entrySet()) {
            // The holder knows what happened; the others find the lease held and wait for it in vain.
            assertThat(why.getKey()).matches("SalesforceException: (REFRESH_OUTCOME_UNKNOWN|TOKEN_STORE_UNAVAILABLE)"
                + ": (?s).*").contains("Runbook: ");
            if (why.getKey().contains("REFRESH_OUTCOME_UNKNOWN")) {
              outcomeUnknown.addAndGet(why.getValue().get());
            }
          }
        }
        assertThat(outcomeUnknown.get()).isPositive();
      } finally {
        fleet.forEach(FleetReplica::close);
      }
    }
  }
}
