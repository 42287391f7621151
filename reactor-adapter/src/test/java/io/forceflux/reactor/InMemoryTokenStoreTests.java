package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.FakeOrgStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Token sources of one process sharing {@link TokenStore#inMemory()}, and the shared-refresh protocol's edges
 * (a dead lease holder, a failing store with and without rotation) on an in-memory store.
 */
class InMemoryTokenStoreTests {
  private static final Duration BOUND = Duration.ofSeconds(60);

  private static Mono<String> get(WebClient client) {
    return client.get().uri("/services/data/v67.0/limits").retrieve().bodyToMono(String.class);
  }

  private static long round(List<WebClient> clients, int each) {
    return Flux.fromIterable(clients)
        .flatMap(c -> Flux.range(0, each).flatMap(i -> get(c).thenReturn(0L).onErrorReturn(1L), each))
        .reduce(0L, Long::sum)
        .block(BOUND);
  }

  @Test
  void fourTokenSourcesSharingAStoreMakeOneTokenRequestPerExpiryUnderRotation() {
    try (FakeOrg org = FakeOrg.builder().accounts(10).refreshTokenRotation(true)
        .tokenLatency(Duration.ofMillis(50)).build().start()) {
      OrgFixture f = new OrgFixture(org);
      TokenStore store = TokenStore.inMemory();
      List<WebClient> clients = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        clients.add(f.salesforce(f.tokens().tokenStore(store).build()));
      }
      assertThat(round(clients, 1)).isZero();
      assertThat(org.stats().tokenRequests()).isEqualTo(1);

      for (int r = 0; r < 5; r++) {
        org.expireAllSessions();
        assertThat(round(clients, 250)).isZero();
      }

      FakeOrgStats stats = org.stats();
      assertThat(stats.tokenRequests()).isEqualTo(6); // 1 initial + 5 expiries
      assertThat(stats.familyRevocations()).isZero();
      assertThat(stats.concurrentRefreshRejected()).isZero();
    }
  }

  @Test
  void aLeaseWhoseHolderDiedDelaysTheRefreshByAtMostTheLeaseTtl() {
    try (FakeOrg org = FakeOrg.builder().accounts(10).build().start()) {
      OrgFixture f = new OrgFixture(org);
      InMemoryTokenStore store = new InMemoryTokenStore(Duration.ofMillis(500), Duration.ofMillis(50));
      // Warm up (HTTP client, JSON, the token endpoint) with a token source of its own, so the measurement below
      // is the wait for the lease and one token request, not a cold start on a loaded machine.
      assertThat(f.tokens().build().token().block(BOUND)).isNotNull();
      CachingTokenSource tokens = f.tokens().tokenStore(store).build();
      String credential = tokens.grant().credentialKey();
      assertThat(store.acquireLease(credential, "a-process-that-died").block(BOUND)).isTrue();

      long started = System.nanoTime();
      assertThat(tokens.token().block(BOUND)).isNotNull();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

      assertThat(millis).isBetween(400L, 2_500L); // the lease TTL, then one token request
      assertThat(org.stats().tokenRequests()).isEqualTo(2);
    }
  }

  @Test
  void withoutRotationAFailingStoreMeansRefreshingLocallyAndNoFailedRequest() {
    try (FakeOrg org = FakeOrg.builder().accounts(10).build().start()) {
      OrgFixture f = new OrgFixture(org);
      FailingStore store = new FailingStore(new InMemoryTokenStore(Duration.ofMillis(300), Duration.ofMillis(50)));
      WebClient client = f.salesforce(f.tokens().tokenStore(store).build());
      assertThat(get(client).block(BOUND)).contains("DailyApiRequests");

      long warnings = warnings();
      store.failing = true;
      org.expireAllSessions();
      assertThat(round(List.of(client), 100)).isZero();
      org.expireAllSessions();
      assertThat(round(List.of(client), 100)).isZero();
      assertThat(org.stats().tokenRequests()).isEqualTo(3);
      assertThat(warnings()).isEqualTo(warnings + 1); // once per outage, not per refresh

      store.failing = false; // back: the next refresh publishes again
      org.expireAllSessions();
      assertThat(round(List.of(client), 100)).isZero();
      assertThat(org.stats().tokenRequests()).isEqualTo(4);
      assertThat(store.delegate.read(f.refreshGrant().credentialKey()).block(BOUND).version()).isEqualTo(2);
    }
  }

  @Test
  void underRotationAFailingStoreFailsTheRefreshInsteadOfRiskingTheFamily() {
    try (FakeOrg org = FakeOrg.builder().accounts(10).refreshTokenRotation(true).build().start()) {
      OrgFixture f = new OrgFixture(org);
      FailingStore store = new FailingStore(new InMemoryTokenStore(Duration.ofMillis(200), Duration.ofMillis(50)));
      WebClient client = f.salesforce(f.tokens().tokenStore(store).build());
      assertThat(get(client).block(BOUND)).contains("DailyApiRequests"); // rotates: rotation is now known

      store.failing = true;
      org.expireAllSessions();
      StepVerifier.create(get(client))
          .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SalesforceException.class, s -> {
            assertThat(s.failureCause()).isEqualTo(FailureCause.TOKEN_STORE_UNAVAILABLE);
            assertThat(s.recoverable()).isTrue();
          }))
          .verify(BOUND);
      assertThat(org.stats().tokenRequests()).isEqualTo(1);
      assertThat(org.stats().familyRevocations()).isZero();
    }
  }

  @Test
  void aPresentingMarkIsFencedByLeaseAndVersionAndDroppedOnlyByADefiniteAnswer() {
    PresentingMarkContract.check(new InMemoryTokenStore(Duration.ofSeconds(10), Duration.ofMillis(50)), "credential");
  }

  /**
   * The mark costs one store round trip per refresh while the refresh token may rotate, none once it is known static
   * (configured here; learned works the same way, see {@code FleetTokenSharingTests}).
   */
  @Test
  void aRefreshMarksTheStoreOnlyWhileTheRefreshTokenMayRotate() {
    for (boolean rotating : new boolean[] {true, false}) {
      try (FakeOrg org = FakeOrg.builder().accounts(10).refreshTokenRotation(rotating).build().start()) {
        OrgFixture f = new OrgFixture(org);
        CountingStore store = new CountingStore(new InMemoryTokenStore(Duration.ofSeconds(10), Duration.ofMillis(50)));
        CachingTokenSource tokens = f.tokens().tokenStore(store)
            .refreshTokenRotation(rotating ? RefreshTokenRotation.DETECT : RefreshTokenRotation.STATIC).build();
        for (int i = 0; i < 3; i++) {
          tokens.invalidate(tokens.token().block(BOUND));
        }
        assertThat(tokens.token().block(BOUND)).isNotNull();
        assertThat(org.stats().tokenRequests()).isEqualTo(4);
        assertThat(store.marks.get()).as("marks, rotating=" + rotating).isEqualTo(rotating ? 4 : 0);
        assertThat(store.delegate.read(tokens.grant().credentialKey()).block(BOUND).inDoubt()).isFalse();
      }
    }
  }

  /** Counts the marks passed on to the store it wraps. */
  static final class CountingStore extends ForwardingTokenStore {
    final AtomicInteger marks = new AtomicInteger();

    CountingStore(TokenStore delegate) {
      super(delegate);
    }

    @Override
    <T> Mono<T> gate(Mono<T> command) {
      return command;
    }

    @Override
    public Mono<Boolean> markPresenting(String credential, String owner, long version) {
      marks.incrementAndGet();
      return super.markPresenting(credential, owner, version);
    }
  }

  private static long warnings() {
    return TestGuards.LINES.stream().filter(l -> l.contains("shared token store unavailable")).count();
  }

  /** A store that can be made to fail every operation, as an unreachable Redis does. */
  static final class FailingStore extends ForwardingTokenStore {
    volatile boolean failing;

    FailingStore(TokenStore delegate) {
      super(delegate);
    }

    @Override
    <T> Mono<T> gate(Mono<T> command) {
      return Mono.defer(() -> failing ? Mono.error(new IllegalStateException("store down")) : command);
    }
  }
}
