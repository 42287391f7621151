package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.GrantType;
import io.forceflux.core.event.RefreshReason;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link TokenLifetime}: plain arithmetic on epoch milliseconds, no clock and no Reactor. */
class TokenLifetimeTests {
  private static final long NOW = 1_000_000_000L;
  private static final long SKEW = 60_000;
  private static final long HOUR = 3_600_000;

  private static AccessToken token(long issuedAt) {
    return AccessToken.of("t", URI.create("https://na1.my.salesforce.com"), Instant.ofEpochMilli(issuedAt),
        GrantType.REFRESH_TOKEN);
  }

  @Test
  void aTokenWithoutExpiryOrIdleTimeoutIsTimelessAndNeverDue() {
    TokenLifetime.Deadlines d = new TokenLifetime(SKEW, 0, true, 0.75).of(token(NOW), NOW);

    assertThat(d.timeless()).isTrue();
    assertThat(d.due(Long.MAX_VALUE - 1, NOW)).isNull();
  }

  @Test
  void expiryIsTheStatedOneLessTheSkewAndProactiveRefreshComesAtTheConfiguredFractionOfTheLifetime() {
    AccessToken t = token(NOW).withExpiresAt(Instant.ofEpochMilli(NOW + 2 * HOUR));
    TokenLifetime.Deadlines d = new TokenLifetime(SKEW, 0, true, 0.75).of(t, NOW);

    assertThat(d.expiresAtMillis()).isEqualTo(NOW + 2 * HOUR - SKEW);
    assertThat(d.proactiveAtMillis()).isEqualTo(NOW + (long) (2 * HOUR * 0.75));
    assertThat(d.timeless()).isFalse();
    assertThat(d.due(NOW + HOUR, NOW + HOUR)).isNull();
    assertThat(d.due(NOW + (long) (1.5 * HOUR), NOW + (long) (1.5 * HOUR))).isEqualTo(RefreshReason.PROACTIVE);
    assertThat(d.due(NOW + 2 * HOUR - SKEW, NOW + 2 * HOUR - SKEW)).isEqualTo(RefreshReason.EXPIRED);
  }

  @Test
  void theProactiveFractionCountsFromIssueWhenTheTokenWasIssuedBeforeItArrived() {
    long issued = NOW - HOUR;
    AccessToken t = token(issued).withExpiresAt(Instant.ofEpochMilli(issued + 2 * HOUR));
    TokenLifetime.Deadlines d = new TokenLifetime(SKEW, 0, true, 0.5).of(t, NOW);

    assertThat(d.proactiveAtMillis()).isEqualTo(issued + HOUR);
  }

  @Test
  void aTokenDueOnArrivalIsTreatedAsHavingNoKnownExpiry() {
    AccessToken t = token(NOW).withExpiresAt(Instant.ofEpochMilli(NOW + SKEW));
    TokenLifetime.Deadlines d = new TokenLifetime(SKEW, 0, true, 0.75).of(t, NOW);

    assertThat(d.expiresAtMillis()).isEqualTo(TokenLifetime.NEVER);
    assertThat(d.proactiveAtMillis()).isEqualTo(TokenLifetime.NEVER);
    assertThat(d.timeless()).isTrue();
  }

  @Test
  void theIdleTimeoutIsTheShorterOfTheConfiguredAndTheTokensLessTheSkewButAtLeastHalf() {
    TokenLifetime configuredOnly = new TokenLifetime(SKEW, 15 * 60_000, true, 0.75);
    assertThat(configuredOnly.of(token(NOW), NOW).idleMillis()).isEqualTo(15 * 60_000 - SKEW);

    AccessToken shorter = token(NOW).withIdleTimeout(Duration.ofMinutes(10));
    assertThat(configuredOnly.of(shorter, NOW).idleMillis()).isEqualTo(10 * 60_000 - SKEW);

    AccessToken tiny = token(NOW).withIdleTimeout(Duration.ofSeconds(90));
    assertThat(new TokenLifetime(SKEW, 0, true, 0.75).of(tiny, NOW).idleMillis()).isEqualTo(45_000);
  }

  @Test
  void anIdleTokenIsDueAfterTheIdleTimeSinceItsLastRecordedActivity() {
    TokenLifetime.Deadlines d = new TokenLifetime(SKEW, 15 * 60_000, true, 0.75).of(token(NOW), NOW);
    long idle = d.idleMillis();

    assertThat(d.timeless()).isFalse();
    assertThat(d.due(NOW + idle - 1, NOW)).isNull();
    assertThat(d.due(NOW + idle, NOW)).isEqualTo(RefreshReason.IDLE);
    assertThat(d.due(NOW + idle, NOW + 1)).isNull();
  }

  @Test
  void withTheHalfTimeoutQuirkActivityIsRecordedOnlyOnceHalfTheTimeoutHasPassed() {
    TokenLifetime quirk = new TokenLifetime(SKEW, 15 * 60_000, true, 0.75);
    TokenLifetime.Deadlines d = quirk.of(token(NOW), NOW);
    long half = (d.idleMillis() + SKEW) / 2;

    assertThat(quirk.recordsActivity(d, NOW, NOW + half - 1)).isFalse();
    assertThat(quirk.recordsActivity(d, NOW, NOW + half)).isTrue();

    TokenLifetime plain = new TokenLifetime(SKEW, 15 * 60_000, false, 0.75);
    assertThat(plain.recordsActivity(plain.of(token(NOW), NOW), NOW, NOW + 1)).isTrue();
  }

  @Test
  void withoutAnIdleTimeoutNoActivityIsRecorded() {
    TokenLifetime lifetime = new TokenLifetime(SKEW, 0, false, 0.75);

    assertThat(lifetime.recordsActivity(lifetime.of(token(NOW), NOW), NOW, NOW + HOUR)).isFalse();
  }
}
