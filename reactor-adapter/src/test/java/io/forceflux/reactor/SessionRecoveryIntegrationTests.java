package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.RefreshTokenGrant;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.FakeOrgStats;
import io.forceflux.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The session core against a fake org over real loopback HTTP. */
class SessionRecoveryIntegrationTests {
  private static final Duration BOUND = Duration.ofSeconds(60);

  private static FakeOrg shared;

  @BeforeAll
  static void startOrg() {
    shared = FakeOrg.builder().accounts(1_000).build().start();
  }

  @AfterAll
  static void stopOrg() {
    shared.close();
  }

  private static Mono<String> get(WebClient client, String path) {
    return client.get().uri(path).retrieve().bodyToMono(String.class);
  }

  @Test
  void tenThousandConcurrentRequestsWhileEverySessionExpiresCauseExactlyOneTokenRequest() {
    OrgFixture f = new OrgFixture(shared);
    CachingTokenSource tokens = f.tokens().build();
    WebClient client = f.salesforce(tokens);
    get(client, "/services/data/v67.0/limits").block(BOUND); // warm: one token, one connection
    shared.expireAllSessions();
    FakeOrgStats before = shared.stats();

    List<String> answers = Flux.range(0, 10_000)
        .flatMap(i -> get(client, "/services/data/v67.0/limits"), 10_000)
        .collectList()
        .block(BOUND);

    FakeOrgStats after = shared.stats();
    assertThat(answers).hasSize(10_000).allSatisfy(body -> assertThat(body).contains("DailyApiRequests"));
    assertThat(after.tokenRequests() - before.tokenRequests()).isEqualTo(1);
    assertThat(after.requestsExecuted() - before.requestsExecuted()).isEqualTo(10_000);
    assertThat(after.unauthorized401() - before.unauthorized401()).isGreaterThan(0);
  }

  @Test
  void aReplayedWriteRunsExactlyOnceWithAnIdenticalBody() {
    OrgFixture f = new OrgFixture(shared);
    CachingTokenSource tokens = f.tokens().build();
    WebClient client = f.salesforce(tokens);
    get(client, "/services/data/v67.0/limits").block(BOUND);
    shared.expireAllSessions();
    long before = shared.count("Contact");

    String created = client.post().uri("/services/data/v67.0/sobjects/Contact/")
        .bodyValue(Map.of("LastName", "Replayed-Once"))
        .retrieve().bodyToMono(String.class).block(BOUND);

    assertThat(created).contains("\"success\":true");
    assertThat(shared.count("Contact")).isEqualTo(before + 1);
    assertThat(shared.records("Contact")).filteredOn(r -> "Replayed-Once".equals(r.get("LastName"))).hasSize(1);
    assertThat(f.replays()).isEqualTo(1);
  }

  static List<Arguments> deadCredentials() {
    return List.of(
        Arguments.of("revoked refresh token", (Consumer<FakeOrg>) FakeOrg::revokeRefreshTokens,
            FailureCause.REFRESH_TOKEN_REVOKED),
        Arguments.of("IP restriction", (Consumer<FakeOrg>) org -> org.ipRestricted(true), FailureCause.IP_RESTRICTED),
        Arguments.of("inactive user", (Consumer<FakeOrg>) org -> org.userActive(false), FailureCause.INACTIVE_USER));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deadCredentials")
  void failsAfterOneTokenRequestAndThenFailsFastUntilTheProbe(
      String name, Consumer<FakeOrg> kill, FailureCause expected) {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    try (FakeOrg org = FakeOrg.builder().accounts(10).build().start()) {
      OrgFixture f = new OrgFixture(org);
      CachingTokenSource tokens = f.tokens().clock(clock).circuitProbeInterval(Duration.ofMinutes(5)).build();
      WebClient client = f.salesforce(tokens);
      get(client, "/services/data/v67.0/limits").block(BOUND);
      kill.accept(org);
      org.expireAllSessions();
      long tokenRequests = org.stats().tokenRequests();

      assertThatThrownBy(() -> get(client, "/services/data/v67.0/limits").block(BOUND))
          .isInstanceOfSatisfying(SalesforceException.class, e -> {
            assertThat(e.failureCause()).isEqualTo(expected);
            assertThat(e.recoverable()).isFalse();
            assertThat(e.runbook()).isEqualTo(expected.runbook());
          });
      assertThat(org.stats().tokenRequests() - tokenRequests).isEqualTo(1);

      List<Throwable> failures = Flux.range(0, 1_000)
          .flatMap(i -> get(client, "/services/data/v67.0/limits").then(Mono.<Throwable>empty())
              .onErrorResume(Mono::just), 256)
          .collectList().block(BOUND);
      assertThat(failures).hasSize(1_000).allSatisfy(e -> assertThat(e)
          .isInstanceOfSatisfying(SalesforceException.class, s -> assertThat(s.failureCause()).isEqualTo(expected)));
      assertThat(org.stats().tokenRequests() - tokenRequests).isEqualTo(1);

      clock.advance(Duration.ofMinutes(5)); // the probe interval passed: exactly one probe
      assertThatThrownBy(() -> get(client, "/services/data/v67.0/limits").block(BOUND))
          .isInstanceOf(SalesforceException.class);
      assertThat(org.stats().tokenRequests() - tokenRequests).isEqualTo(2);
    }
  }

  @Test
  void rotationWithAThousandConcurrentExpiriesNeverRevokesTheFamily() {
    try (FakeOrg org = FakeOrg.builder().accounts(10).refreshTokenRotation(true)
        .tokenLatency(Duration.ofMillis(100)).build().start()) {
      OrgFixture f = new OrgFixture(org);
      CachingTokenSource tokens = f.tokens().build();
      WebClient client = f.salesforce(tokens);
      String initial = ((RefreshTokenGrant) tokens.grant()).refreshToken().reveal();

      for (int round = 0; round < 5; round++) {
        org.expireAllSessions();
        List<String> answers = Flux.range(0, 1_000)
            .flatMap(i -> get(client, "/services/data/v67.0/limits"), 1_000)
            .collectList().block(BOUND);
        assertThat(answers).hasSize(1_000);
      }

      FakeOrgStats stats = org.stats();
      assertThat(stats.concurrentRefreshRejected()).isZero();
      assertThat(stats.familyRevocations()).isZero();
      assertThat(stats.tokenRequests()).isEqualTo(5); // the first round's request is also its initial token
      String newest = ((RefreshTokenGrant) tokens.grant()).refreshToken().reveal();
      assertThat(newest).isNotEqualTo(initial);
      // The newest refresh token is the live one: one more expiry refreshes fine.
      org.expireAllSessions();
      assertThat(get(client, "/services/data/v67.0/limits").block(BOUND)).contains("DailyApiRequests");
    }
  }

  @Test
  void anIdleTokenIsRefreshedBeforeUseSoNo401IsServed() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    try (FakeOrg org = FakeOrg.builder().clock(clock).accounts(10).sessionTimeout(Duration.ofMinutes(30))
        .halfTimeoutQuirk(true).build().start()) {
      OrgFixture f = new OrgFixture(org);
      CachingTokenSource tokens = f.tokens().clock(clock).sessionTimeout(Duration.ofMinutes(30)).build();
      WebClient client = f.salesforce(tokens);

      for (int i = 0; i < 10; i++) {
        get(client, "/services/data/v67.0/limits").block(BOUND);
        clock.advance(Duration.ofMinutes(i % 2 == 0 ? 10 : 31)); // busy, then idle past the timeout
      }

      FakeOrgStats stats = org.stats();
      assertThat(stats.unauthorized401()).isZero();
      assertThat(stats.tokenRequests()).isEqualTo(5); // initial + one per idle gap followed by a call (4)
    }
  }

  @Test
  void followsAnInstanceMoveOnReplay() {
    try (FakeOrg org = FakeOrg.builder().accounts(10).build().start()) {
      OrgFixture f = new OrgFixture(org);
      CachingTokenSource tokens = f.tokens().build();
      WebClient client = f.salesforce(tokens);
      get(client, "/services/data/v67.0/limits").block(BOUND);
      AccessToken before = tokens.cachedToken();

      org.moveInstance(org.loginUrl());
      org.expireAllSessions();
      get(client, "/services/data/v67.0/limits").block(BOUND);

      assertThat(before.instanceUrl().toString()).isEqualTo(org.myDomainUrl());
      assertThat(tokens.cachedToken().instanceUrl().toString()).isEqualTo(org.loginUrl());
    }
  }

  @Test
  void aRestPolicyRejectionIsTerminalWithoutARefreshLoop() {
    try (FakeOrg org = FakeOrg.builder().accounts(10).build().start()) {
      OrgFixture f = new OrgFixture(org);
      WebClient client = f.salesforce(f.tokens().build());
      get(client, "/services/data/v67.0/limits").block(BOUND);
      org.restPolicyRestricted(true);
      long tokenRequests = org.stats().tokenRequests();

      StepVerifier.create(get(client, "/services/data/v67.0/limits"))
          .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SalesforceException.class,
              s -> assertThat(s.failureCause()).isEqualTo(FailureCause.SESSION_POLICY)))
          .verify(BOUND);
      assertThat(org.stats().tokenRequests()).isEqualTo(tokenRequests);
    }
  }

  @Test
  void requestLimitExceededNeverRefreshesAndCarriesTheUsage() {
    try (FakeOrg org = FakeOrg.builder().accounts(10).dailyApiLimit(1_000).build().start()) {
      OrgFixture f = new OrgFixture(org);
      WebClient client = f.salesforce(f.tokens().build());
      get(client, "/services/data/v67.0/limits").block(BOUND);
      org.apiUsage(1_000);
      long tokenRequests = org.stats().tokenRequests();

      StepVerifier.create(get(client, "/services/data/v67.0/limits"))
          .expectErrorSatisfies(e -> assertThat(e)
              .isInstanceOfSatisfying(io.forceflux.core.error.ApiLimitException.class, s -> {
                assertThat(s.failureCause()).isEqualTo(FailureCause.API_LIMIT_EXCEEDED);
                assertThat(s.limitInfo()).isNotNull();
                assertThat(s.limitInfo().max()).isEqualTo(1_000);
              }))
          .verify(BOUND);
      assertThat(org.stats().tokenRequests()).isEqualTo(tokenRequests);
    }
  }
}
