package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.Grant;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.event.RefreshReason;
import io.forceflux.core.event.SessionEvent;
import io.forceflux.core.recovery.RecoveryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class CachingTokenSourceTests extends ScriptedTokenSourceTests {
  private static final Grant GRANT = Grant.refreshToken(
      URI.create("https://login.salesforce.com"), "client", "client-secret-value", "5Aep861refresh-secret");

  private CachingTokenSource.Builder source() {
    return source(GRANT);
  }

  @Test
  void servesTheCachedTokenWithoutAnotherRequest() {
    CachingTokenSource tokens = source().build();

    AccessToken first = take(tokens.token());
    AccessToken second = take(tokens.token());

    assertThat(second).isSameAs(first);
    assertThat(endpoint.requests()).isEqualTo(1);
    assertThat(endpoint.paths()).containsExactly("/services/oauth2/token");
  }

  @Test
  void aCacheHitKeepsTheSubscriptionContract() {
    CachingTokenSource tokens = source().build();
    AccessToken token = take(tokens.token());

    // Nothing before a request, exactly one value however often it is requested, nothing after a cancel.
    StepVerifier.create(tokens.token(), 0).expectSubscription().expectNoEvent(Duration.ZERO)
        .thenRequest(1).expectNext(token).thenRequest(5).verifyComplete();
    StepVerifier.create(tokens.token(), 0).thenCancel().verify(Duration.ofSeconds(5));
    // A non-positive request is a protocol error (rule 3.9).
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    tokens.token().subscribe(new BaseSubscriber<AccessToken>() {
      @Override
      protected void hookOnSubscribe(Subscription subscription) {
        subscription.request(0);
      }

      @Override
      protected void hookOnError(Throwable e) {
        errors.add(e);
      }
    });
    assertThat(errors).singleElement().asString().contains("Spec. Rule 3.9");
    // The hit path sees an invalidation at once.
    tokens.invalidate(token);
    AccessToken next = take(tokens.token());
    assertThat(next).isNotEqualTo(token);
    assertThat(endpoint.requests()).isEqualTo(2);
  }

  @Test
  void aTokenWithAnInactivityTimeoutStillTracksTimeOnEveryHit() {
    CachingTokenSource tokens = source().sessionTimeout(Duration.ofMinutes(15)).build();
    AccessToken token = take(tokens.token());

    time.advanceTimeBy(Duration.ofMinutes(10));
    assertThat(take(tokens.token())).isSameAs(token); // a use: the idle clock restarts
    time.advanceTimeBy(Duration.ofMinutes(10));
    assertThat(take(tokens.token())).isSameAs(token);
    time.advanceTimeBy(Duration.ofMinutes(15));
    assertThat(take(tokens.token())).isNotSameAs(token); // idle past the timeout: refreshed before use
    assertThat(endpoint.requests()).isEqualTo(2);
  }

  @Test
  void refreshesOnceForTenThousandConcurrentWaiters() {
    endpoint.delay(Duration.ofSeconds(1), time);
    CachingTokenSource tokens = source().build();

    List<AccessToken> received = new CopyOnWriteArrayList<>();
    Flux.range(0, 10_000).flatMap(i -> tokens.token(), 10_000).subscribe(received::add);
    assertThat(received).isEmpty();
    time.advanceTimeBy(Duration.ofSeconds(1));

    assertThat(received).hasSize(10_000);
    assertThat(received.stream().distinct()).hasSize(1);
    assertThat(endpoint.requests()).isEqualTo(1);
  }

  @Test
  void finishesTheRefreshEvenWhenEveryWaiterCancels() {
    endpoint.delay(Duration.ofSeconds(1), time);
    CachingTokenSource tokens = source().build();

    tokens.token().subscribe().dispose();
    time.advanceTimeBy(Duration.ofSeconds(1));

    assertThat(tokens.cachedToken()).isNotNull();
    assertThat(take(tokens.token())).isSameAs(tokens.cachedToken());
    assertThat(endpoint.requests()).isEqualTo(1);
  }

  @Test
  void aLateRejectionOfAnOldTokenNeverDiscardsTheNewOne() {
    CachingTokenSource tokens = source().build();
    AccessToken old = take(tokens.token());

    tokens.invalidate(old);
    AccessToken fresh = take(tokens.token());
    tokens.invalidate(old); // a request that was in flight with the old token is rejected late
    AccessToken after = take(tokens.token());

    assertThat(fresh).isNotEqualTo(old);
    assertThat(after).isSameAs(fresh);
    assertThat(endpoint.requests()).isEqualTo(2);
  }

  @Test
  void retriesTransientFailuresWithExponentialBackoffOnVirtualTime() {
    endpoint.then(new ScriptedTokenEndpoint.Reply(503, "<html><title>Down</title></html>"))
        .then(new ScriptedTokenEndpoint.Reply(503, "<html><title>Down</title></html>"))
        .then(ScriptedTokenEndpoint.Reply.ok());
    CachingTokenSource tokens = source().build();

    StepVerifier.withVirtualTime(tokens::token, () -> time, 1)
        .expectSubscription()
        .expectNoEvent(Duration.ofMillis(5_999)) // 2 s, then 4 s
        .thenAwait(Duration.ofMillis(1))
        .assertNext(t -> assertThat(t.value()).isEqualTo(ScriptedTokenEndpoint.tokenValue(1)))
        .verifyComplete();
    assertThat(endpoint.requests()).isEqualTo(3);
  }

  @Test
  void treatsTokenRequestAlreadyBeingProcessedAsTransientAndNeverSurfacesIt() {
    endpoint.then(ScriptedTokenEndpoint.Reply.error(400, "invalid_grant", "token request is already being processed"))
        .then(ScriptedTokenEndpoint.Reply.ok());
    CachingTokenSource tokens = source().build();

    StepVerifier.withVirtualTime(tokens::token, () -> time, 1)
        .thenAwait(Duration.ofSeconds(2))
        .expectNextCount(1)
        .verifyComplete();
    assertThat(events).filteredOn(SessionEvent.RefreshFailed.class::isInstance)
        .extracting(e -> ((SessionEvent.RefreshFailed) e).cause()).containsExactly(FailureCause.CONCURRENT_REFRESH);
  }

  @Test
  void opensTheCircuitOnARevokedRefreshTokenAndFailsFastUntilTheProbe() {
    endpoint.then(ScriptedTokenEndpoint.Reply.error(400, "invalid_grant", "expired access/refresh token"));
    CachingTokenSource tokens = source().circuitProbeInterval(Duration.ofSeconds(60)).build();

    assertThatThrownBy(() -> take(tokens.token()))
        .isInstanceOfSatisfying(SalesforceException.class, e -> {
          assertThat(e.failureCause()).isEqualTo(FailureCause.REFRESH_TOKEN_REVOKED);
          assertThat(e.runbook()).contains("Re-authorize");
          assertThat(e.getMessage()).doesNotContain("5Aep861refresh-secret").doesNotContain("client-secret-value");
        });
    for (int i = 0; i < 1_000; i++) {
      StepVerifier.create(tokens.token()).expectError(SalesforceException.class).verify(Duration.ofSeconds(1));
    }
    assertThat(endpoint.requests()).isEqualTo(1);
    assertThat(events).anyMatch(SessionEvent.CircuitOpened.class::isInstance);

    time.advanceTimeBy(Duration.ofSeconds(60));
    endpoint.then(ScriptedTokenEndpoint.Reply.ok());
    assertThat(take(tokens.token())).isNotNull();
    assertThat(endpoint.requests()).isEqualTo(2);
    assertThat(events).anyMatch(SessionEvent.CircuitClosed.class::isInstance);
  }

  @Test
  void resetClosesTheCircuitAtOnce() {
    endpoint.then(ScriptedTokenEndpoint.Reply.error(400, "invalid_grant", "ip restricted"));
    CachingTokenSource tokens = source().build();
    assertThatThrownBy(() -> take(tokens.token())).isInstanceOf(SalesforceException.class);

    endpoint.then(ScriptedTokenEndpoint.Reply.ok());
    tokens.reset();

    assertThat(take(tokens.token())).isNotNull();
    assertThat(endpoint.requests()).isEqualTo(2);
  }

  @Test
  void refreshesAnIdleTokenBeforeUseInsteadOfSendingItToDie() {
    CachingTokenSource tokens = source().sessionTimeout(Duration.ofMinutes(15)).halfTimeoutQuirk(false).build();
    AccessToken first = take(tokens.token());

    time.advanceTimeBy(Duration.ofMinutes(13));
    assertThat(take(tokens.token())).isSameAs(first); // used: idle clock restarts
    time.advanceTimeBy(Duration.ofMinutes(13));
    assertThat(take(tokens.token())).isSameAs(first);
    time.advanceTimeBy(Duration.ofMinutes(14)); // idle 14 min > 15 min - 60 s skew

    AccessToken refreshed = take(tokens.token());
    assertThat(refreshed).isNotEqualTo(first);
    assertThat(events).filteredOn(SessionEvent.TokenIssued.class::isInstance)
        .extracting(e -> ((SessionEvent.TokenIssued) e).reason())
        .containsExactly(RefreshReason.INITIAL, RefreshReason.IDLE);
  }

  @Test
  void halfTimeoutQuirkCountsActivityOnlyAfterHalfTheTimeout() {
    CachingTokenSource tokens = source().sessionTimeout(Duration.ofMinutes(20)).build();
    AccessToken first = take(tokens.token());

    time.advanceTimeBy(Duration.ofMinutes(5));
    take(tokens.token()); // too early: Salesforce would not record this activity
    time.advanceTimeBy(Duration.ofMinutes(14)); // 19 min since the recorded activity: past 20 min - 60 s

    assertThat(take(tokens.token())).isNotEqualTo(first);
  }

  @Test
  void refreshesProactivelyInTheBackgroundWhileServingTheCurrentToken() {
    endpoint.introspectionExp(time.now(java.util.concurrent.TimeUnit.SECONDS) + 100 * 60);
    CachingTokenSource tokens = source().introspection("client", "client-secret-value").build();
    AccessToken first = take(tokens.token());
    assertThat(first.expiresAt()).isNotNull();

    endpoint.delay(Duration.ofSeconds(5), time); // the background refresh takes a while
    time.advanceTimeBy(Duration.ofMinutes(91)); // past 90% of the lifetime

    StepVerifier.create(tokens.token()).expectNext(first).verifyComplete(); // no waiting at all
    assertThat(endpoint.requests()).isEqualTo(2);
    StepVerifier.create(tokens.token()).expectNext(first).verifyComplete(); // still one refresh in flight
    assertThat(endpoint.requests()).isEqualTo(2);

    time.advanceTimeBy(Duration.ofSeconds(5));
    assertThat(take(tokens.token())).isNotEqualTo(first);
    assertThat(events).filteredOn(SessionEvent.TokenIssued.class::isInstance)
        .extracting(e -> ((SessionEvent.TokenIssued) e).reason())
        .containsExactly(RefreshReason.INITIAL, RefreshReason.PROACTIVE);
  }

  @Test
  void keepsServingTheCurrentTokenWhenABackgroundRefreshFails() {
    endpoint.introspectionExp(time.now(java.util.concurrent.TimeUnit.SECONDS) + 100 * 60);
    CachingTokenSource tokens = source().introspection("client", "client-secret-value")
        .recoveryPolicy(RecoveryPolicy.builder().maxAttempts(1).build()).build();
    AccessToken first = take(tokens.token());

    endpoint.then(new ScriptedTokenEndpoint.Reply(503, "busy"));
    time.advanceTimeBy(Duration.ofMinutes(91));

    assertThat(take(tokens.token())).isSameAs(first);
    assertThat(take(tokens.token())).isSameAs(first); // within the cooldown: no new attempt
    assertThat(endpoint.requests()).isEqualTo(2);
  }

  @Test
  void rejectsInvalidOptionsWhenBuilt() {
    assertThatThrownBy(() -> source().clockSkew(Duration.ofMinutes(11)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clockSkew");
    assertThatThrownBy(() -> source().proactiveRefreshAt(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("proactiveRefreshAt");
    assertThatThrownBy(() -> source().sessionTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sessionTimeout");
  }

  @Test
  void keepsTheRotatedRefreshTokenForTheNextRefresh() {
    endpoint.then(new ScriptedTokenEndpoint.Reply(200, "{\"access_token\":\"00D000000000001!AQrot1\","
        + "\"instance_url\":\"https://acme.my.salesforce.com\",\"issued_at\":\"1\",\"refresh_token\":\"5Aep861rotated\"}"));
    CachingTokenSource tokens = source().build();

    AccessToken first = take(tokens.token());
    tokens.invalidate(first);

    assertThat(((io.forceflux.core.auth.RefreshTokenGrant) tokens.grant()).refreshToken().reveal())
        .isEqualTo("5Aep861rotated");
    assertThat(tokens.grant().credentialKey()).isEqualTo(GRANT.credentialKey());
  }
}
