package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.Secret;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.event.RefreshReason;
import io.forceflux.core.event.SessionEvent;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Sequences from the hardening review: each failed before its fix. */
class TokenSourceHardeningTests extends ScriptedTokenSourceTests {
  private static final URI LOGIN = URI.create("https://login.salesforce.com");

  // ---- 2. two users never share a token ----

  @Test
  void twoUsersWhoseShortFingerprintsCollideNeverShareAStoreEntry() {
    String[] pair = collidingRefreshTokens();
    TokenStore store = TokenStore.inMemory();
    CachingTokenSource alice = source(Grant.refreshToken(LOGIN, "client", "secret", pair[0])).tokenStore(store).build();
    CachingTokenSource bob = source(Grant.refreshToken(LOGIN, "client", "secret", pair[1])).tokenStore(store).build();

    AccessToken aliceToken = take(alice.token());
    AccessToken bobToken = take(bob.token());

    assertThat(bobToken).isNotEqualTo(aliceToken);
    assertThat(endpoint.requests()).isEqualTo(2);
    assertThat(alice.grant().credentialKey()).isNotEqualTo(bob.grant().credentialKey());
  }

  // ---- 3a. a cached failure is never one shared object ----

  @Test
  void aHundredThousandBlockedCallsOnAnOpenCircuitLeaveNoSuppressedExceptions() {
    endpoint.then(ScriptedTokenEndpoint.Reply.error(400, "invalid_grant", "expired access/refresh token"));
    CachingTokenSource tokens = source(grant()).build();

    Throwable previous = null;
    for (int i = 0; i < 100_000; i++) {
      Throwable e = catchThrowable(() -> take(tokens.token()));
      assertThat(e).isInstanceOf(SalesforceException.class);
      assertThat(e.getSuppressed()).as("call %d", i).isEmpty();
      assertThat(e).isNotSameAs(previous);
      previous = e;
    }
    assertThat(((SalesforceException) previous).failureCause()).isEqualTo(FailureCause.REFRESH_TOKEN_REVOKED);
    assertThat(previous.getMessage()).contains("REFRESH_TOKEN_REVOKED").contains("Runbook");
    assertThat(endpoint.requests()).isEqualTo(1);
  }

  @Test
  void everyWaiterOnAFailingRefreshGetsItsOwnException() {
    endpoint.then(ScriptedTokenEndpoint.Reply.error(400, "invalid_grant", "expired access/refresh token"))
        .delay(Duration.ofSeconds(1), time);
    CachingTokenSource tokens = source(grant()).build();

    List<Throwable> errors = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      tokens.token().subscribe(t -> { }, errors::add);
    }
    time.advanceTimeBy(Duration.ofSeconds(1));

    assertThat(errors).hasSize(1_000).allMatch(SalesforceException.class::isInstance);
    Map<Throwable, Boolean> distinct = new IdentityHashMap<>();
    errors.forEach(e -> distinct.put(e, true));
    assertThat(distinct).hasSize(1_000);
  }

  // ---- 3b. a 5xx from the token endpoint is an outage, never a circuit ----

  @Test
  void aServerErrorWithAnOAuthBodyIsRetriedAndNeverOpensTheCircuit() {
    endpoint.then(ScriptedTokenEndpoint.Reply.error(500, "unknown_error", "retry your request"))
        .then(ScriptedTokenEndpoint.Reply.error(503, "unknown_error", "retry your request"))
        .then(ScriptedTokenEndpoint.Reply.ok());
    CachingTokenSource tokens = source(grant()).build();

    List<AccessToken> got = new CopyOnWriteArrayList<>();
    tokens.token().subscribe(got::add);
    time.advanceTimeBy(Duration.ofMinutes(1));

    assertThat(got).hasSize(1);
    assertThat(endpoint.requests()).isEqualTo(3);
    assertThat(events).noneMatch(SessionEvent.CircuitOpened.class::isInstance);
    assertThat(events).filteredOn(SessionEvent.RefreshFailed.class::isInstance)
        .extracting(e -> ((SessionEvent.RefreshFailed) e).cause())
        .containsExactly(FailureCause.SERVER_UNAVAILABLE, FailureCause.SERVER_UNAVAILABLE);
  }

  @Test
  void unknownErrorAtFourHundredIsRetriedWithBackoff() {
    endpoint.then(ScriptedTokenEndpoint.Reply.error(400, "unknown_error", "retry your request"))
        .then(ScriptedTokenEndpoint.Reply.ok());
    CachingTokenSource tokens = source(grant()).build();

    List<AccessToken> got = new CopyOnWriteArrayList<>();
    tokens.token().subscribe(got::add);
    assertThat(got).isEmpty(); // waiting for the backoff, not failed
    time.advanceTimeBy(Duration.ofMinutes(1));

    assertThat(got).hasSize(1);
    assertThat(events).noneMatch(SessionEvent.CircuitOpened.class::isInstance);
  }

  // ---- 3c. a token due on arrival does not start a refresh per call ----

  @Test
  void aTokenDueOnArrivalIsUsedUntilRejectedNotRefreshedOnEveryCall() {
    // Introspection says the token expires within the 60 s skew (a short session policy or a skewed clock).
    endpoint.introspectionExp(time.now(TimeUnit.SECONDS) + 30);
    CachingTokenSource tokens = source(grant()).introspection("client", "secret").build();

    AccessToken first = take(tokens.token());
    for (int i = 0; i < 100; i++) {
      time.advanceTimeBy(Duration.ofSeconds(1));
      assertThat(take(tokens.token())).isSameAs(first);
    }
    assertThat(endpoint.requests()).isEqualTo(1);

    tokens.invalidate(first); // rejected: now, and only now, one more token request
    assertThat(take(tokens.token())).isNotEqualTo(first);
    assertThat(endpoint.requests()).isEqualTo(2);
  }

  // ---- 3d. a proactive refresh that no retry can fix opens the circuit ----

  @Test
  void aProactiveRefreshThatIsRevokedOpensTheCircuitInsteadOfRetryingEveryCooldown() {
    endpoint.introspectionExp(time.now(TimeUnit.SECONDS) + 100 * 60);
    CachingTokenSource tokens = source(grant()).introspection("client", "secret")
        .circuitProbeInterval(Duration.ofMinutes(5)).build();
    take(tokens.token());

    endpoint.then(ScriptedTokenEndpoint.Reply.error(400, "invalid_grant", "expired access/refresh token"));
    time.advanceTimeBy(Duration.ofMinutes(91)); // past 90%: the next call starts a background refresh
    tokens.token().subscribe(t -> { }, e -> { });

    assertThat(events).anyMatch(SessionEvent.CircuitOpened.class::isInstance);
    Throwable e = catchThrowable(() -> take(tokens.token()));
    assertThat(e).isInstanceOfSatisfying(SalesforceException.class,
        s -> assertThat(s.failureCause()).isEqualTo(FailureCause.REFRESH_TOKEN_REVOKED));
    for (int i = 0; i < 5; i++) {
      time.advanceTimeBy(Duration.ofSeconds(31)); // several proactive cooldowns, within the probe interval
      catchThrowable(() -> take(tokens.token()));
    }
    assertThat(endpoint.requests()).isEqualTo(2);
  }

  // ---- 4c. every refresh reports its real reason ----

  @Test
  void everyRefreshReportsWhyItHappened() {
    long now = time.now(TimeUnit.SECONDS);
    endpoint.introspectionExp(now + 100 * 60);
    CachingTokenSource tokens = source(grant()).introspection("client", "secret")
        .sessionTimeout(Duration.ofMinutes(30)).halfTimeoutQuirk(false).build();

    AccessToken initial = take(tokens.token()); // INITIAL
    tokens.invalidate(initial);
    take(tokens.token()); // REJECTED
    endpoint.introspectionExp(now + 60 * 60); // the next token lives 20 min
    time.advanceTimeBy(Duration.ofMinutes(40));
    take(tokens.token()); // IDLE (40 min unused > 30 min timeout)
    endpoint.introspectionExp(now + 165 * 60); // the next token lives 100 min
    time.advanceTimeBy(Duration.ofMinutes(25));
    take(tokens.token()); // its exp passed before it went idle: EXPIRED
    for (int i = 0; i < 19; i++) {
      time.advanceTimeBy(Duration.ofMinutes(5)); // used every 5 min: never idle
      take(tokens.token());
    }
    // 95 min into a 100 min lifetime: one background refresh happened.

    assertThat(events).filteredOn(SessionEvent.TokenIssued.class::isInstance)
        .extracting(e -> ((SessionEvent.TokenIssued) e).reason())
        .startsWith(RefreshReason.INITIAL, RefreshReason.REJECTED, RefreshReason.IDLE, RefreshReason.EXPIRED)
        .contains(RefreshReason.PROACTIVE);
  }

  private static Grant grant() {
    return Grant.refreshToken(LOGIN, "client", "client-secret-value", "5Aep861refresh-secret");
  }

  /** Two refresh tokens whose 32-bit log fingerprints collide: a birthday search, about 2^16 tries. */
  static String[] collidingRefreshTokens() {
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; ; i++) {
      String token = "5Aep861user" + i;
      String previous = seen.putIfAbsent(Secret.of(token).fingerprint(), token);
      if (previous != null) {
        return new String[] {previous, token};
      }
    }
  }
}
