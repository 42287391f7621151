package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.GrantType;
import io.forceflux.core.auth.Secret;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * What every {@link TokenStore} must do with {@link TokenStore#markPresenting} marks, checked the same way on each
 * implementation: fenced by the lease and the version, one owner's mark not taken over by another, kept by an
 * invalidation, dropped by a publish, a restore or its owner.
 */
final class PresentingMarkContract {
  private static final Duration BOUND = Duration.ofSeconds(30);

  private PresentingMarkContract() {}

  static AccessToken token(String suffix) {
    return AccessToken.of("00D000000000001!AQ" + suffix + "xxxxxxxxxxxxxxxxxxxxxxxx",
        URI.create("https://acme.my.salesforce.com"), Instant.parse("2026-11-23T10:00:00Z"), GrantType.REFRESH_TOKEN);
  }

  /** Runs the whole contract on a fresh {@code credential} of {@code store}. */
  static void check(TokenStore store, String c) {
    // Nothing stored yet: version 0 stands for the configured refresh token every process starts from.
    assertThat(store.markPresenting(c, "a", 0).block(BOUND)).as("no lease").isFalse();
    assertThat(store.acquireLease(c, "a").block(BOUND)).isTrue();
    assertThat(store.markPresenting(c, "b", 0).block(BOUND)).as("not b's lease").isFalse();
    assertThat(store.markPresenting(c, "a", 7).block(BOUND)).as("another version").isFalse();
    assertThat(store.read(c).block(BOUND)).isEqualTo(TokenStore.Entry.NONE);
    assertThat(store.markPresenting(c, "a", 0).block(BOUND)).isTrue();
    assertThat(store.markPresenting(c, "a", 0).block(BOUND)).as("again, as after a lost reply").isTrue();
    TokenStore.Entry marked = store.read(c).block(BOUND);
    assertThat(marked.version()).isZero();
    assertThat(marked.inDoubt()).isTrue();
    assertThat(marked.presenting()).isEqualTo("a");

    assertThat(store.clearPresenting(c, "b", 0).block(BOUND)).as("not b's mark").isFalse();
    assertThat(store.clearPresenting(c, "a", 0).block(BOUND)).isTrue();
    assertThat(store.read(c).block(BOUND)).isEqualTo(TokenStore.Entry.NONE);

    // A publish (a definite answer: a new version) drops the mark.
    assertThat(store.markPresenting(c, "a", 0).block(BOUND)).isTrue();
    long v1 = store.publish(c, "a", 0, token("one"), Secret.of("rt-one")).block(BOUND);
    assertThat(v1).isPositive();
    assertThat(store.read(c).block(BOUND).inDoubt()).isFalse();

    // b marks v1 and dies: the mark outlives its lease, survives an invalidation, and fences the next holder off.
    assertThat(store.acquireLease(c, "b").block(BOUND)).isTrue();
    assertThat(store.markPresenting(c, "b", v1 - 1).block(BOUND)).as("a stale version").isFalse();
    assertThat(store.markPresenting(c, "b", v1).block(BOUND)).isTrue();
    assertThat(store.invalidate(c, v1).block(BOUND)).isTrue();
    store.releaseLease(c, "b").block(BOUND); // as if it had expired
    assertThat(store.acquireLease(c, "a").block(BOUND)).isTrue();
    assertThat(store.markPresenting(c, "a", v1).block(BOUND)).as("b's mark").isFalse();
    TokenStore.Entry inDoubt = store.read(c).block(BOUND);
    assertThat(inDoubt.version()).isEqualTo(v1);
    assertThat(inDoubt.token()).isNull();
    assertThat(inDoubt.refreshToken()).isEqualTo(Secret.of("rt-one"));
    assertThat(inDoubt.presenting()).isEqualTo("b");
    assertThat(inDoubt.toString()).contains("in doubt").doesNotContain("rt-one").doesNotContain("00D");
    assertThat(store.clearPresenting(c, "b", v1 - 1).block(BOUND)).as("a stale version").isFalse();
    assertThat(store.read(c).block(BOUND).inDoubt()).isTrue();

    // A restore writes a newer version, unmarked.
    assertThat(store.restore(c, new TokenStore.Entry(v1 + 10, token("two"), Secret.of("rt-two"))).block(BOUND))
        .isTrue();
    assertThat(store.read(c).block(BOUND).inDoubt()).isFalse();
    store.releaseLease(c, "a").block(BOUND);
  }
}
