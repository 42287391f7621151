package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.Secret;
import io.forceflux.core.event.SessionEvent;
import io.forceflux.core.recovery.Jitter;
import io.forceflux.core.recovery.RecoveryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Sequences from the hardening review: each failed before its fix. */
class TokenSourceHardeningTests {
  private static final URI LOGIN = URI.create("https://login.salesforce.com");

  private VirtualTimeScheduler time;
  private ScriptedTokenEndpoint endpoint;
  private final List<SessionEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    time = VirtualTimeScheduler.create();
    time.advanceTimeTo(java.time.Instant.parse("2026-11-23T10:00:00Z"));
    endpoint = new ScriptedTokenEndpoint();
  }

  @AfterEach
  void tearDown() {
    time.dispose();
  }

  private CachingTokenSource.Builder source(Grant grant) {
    return CachingTokenSource.builder(grant)
        .webClient(endpoint.webClient())
        .scheduler(time)
        .listener(events::add)
        .recoveryPolicy(RecoveryPolicy.builder().jitter(Jitter.NONE).build());
  }

  private static AccessToken take(Mono<AccessToken> mono) {
    return mono.block(Duration.ofSeconds(5));
  }

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
