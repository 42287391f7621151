package io.forceflux.core.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecoveryPolicyTests {
  private static final int DRAWS = 10_000;

  private static RecoveryPolicy withJitter(Jitter jitter) {
    return RecoveryPolicy.builder().jitter(jitter).build();
  }

  /** The un-jittered delay before {@code retry} under the defaults. */
  private static Duration base(int retry) {
    return withJitter(Jitter.NONE).backoff(retry, () -> 0.5);
  }

  @Test
  void defaultsToFiveAttemptsTwoSecondsSixtySecondsAndFullJitter() {
    RecoveryPolicy defaults = RecoveryPolicy.defaults();

    assertThat(defaults.maxAttempts()).isEqualTo(5);
    assertThat(defaults.initialBackoff()).isEqualTo(Duration.ofSeconds(2));
    assertThat(defaults.maxBackoff()).isEqualTo(Duration.ofSeconds(60));
    assertThat(defaults.jitter()).isEqualTo(Jitter.FULL);
    assertThat(RecoveryPolicy.builder().build().toString()).isEqualTo(defaults.toString());
  }

  @Test
  void aBuilderFromAPolicyKeepsEveryOption() {
    RecoveryPolicy policy = RecoveryPolicy.builder().maxAttempts(7).initialBackoff(Duration.ofMillis(100))
        .maxBackoff(Duration.ofSeconds(5)).jitter(Jitter.EQUAL).build();

    RecoveryPolicy copy = policy.toBuilder().build();

    assertThat(copy.maxAttempts()).isEqualTo(7);
    assertThat(copy.initialBackoff()).isEqualTo(Duration.ofMillis(100));
    assertThat(copy.maxBackoff()).isEqualTo(Duration.ofSeconds(5));
    assertThat(copy.jitter()).isEqualTo(Jitter.EQUAL);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 101, Integer.MIN_VALUE, Integer.MAX_VALUE})
  void rejectsAnAttemptCountOutOfRangeWhenBuilt(int attempts) {
    RecoveryPolicy.Builder builder = RecoveryPolicy.builder().maxAttempts(attempts);

    assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts").hasMessageContaining(String.valueOf(attempts));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 100})
  void acceptsTheEndsOfTheAttemptRange(int attempts) {
    assertThat(RecoveryPolicy.builder().maxAttempts(attempts).build().maxAttempts()).isEqualTo(attempts);
  }

  @Test
  void rejectsANegativeInitialBackoffWhenBuilt() {
    RecoveryPolicy.Builder builder = RecoveryPolicy.builder().initialBackoff(Duration.ofMillis(-1));

    assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initialBackoff");
  }

  @Test
  void rejectsAMaxBackoffBelowZeroOrAboveAnHourWhenBuilt() {
    RecoveryPolicy.Builder negative = RecoveryPolicy.builder().initialBackoff(Duration.ZERO)
        .maxBackoff(Duration.ofSeconds(-1));
    RecoveryPolicy.Builder tooLong = RecoveryPolicy.builder().maxBackoff(Duration.ofHours(1).plusNanos(1));

    assertThatThrownBy(negative::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBackoff");
    assertThatThrownBy(tooLong::build).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBackoff");
    assertThat(RecoveryPolicy.builder().maxBackoff(Duration.ofHours(1)).build().maxBackoff())
        .isEqualTo(Duration.ofHours(1));
  }

  @Test
  void rejectsAnInitialBackoffAboveTheCapWhenBuilt() {
    RecoveryPolicy.Builder builder = RecoveryPolicy.builder().initialBackoff(Duration.ofSeconds(61));

    assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initialBackoff").hasMessageContaining("maxBackoff");
  }

  @Test
  void rejectsNullOptionsWhenTheyAreSet() {
    assertThatThrownBy(() -> RecoveryPolicy.builder().initialBackoff(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("initialBackoff");
    assertThatThrownBy(() -> RecoveryPolicy.builder().maxBackoff(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("maxBackoff");
    assertThatThrownBy(() -> RecoveryPolicy.builder().jitter(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("jitter");
  }

  @Test
  void withoutJitterDoublesFromTwoSecondsUpToTheSixtySecondCap() {
    RecoveryPolicy policy = withJitter(Jitter.NONE);

    List<Long> seconds = IntStream.rangeClosed(1, 7)
        .mapToObj(retry -> policy.backoff(retry, () -> 0.7).toSeconds())
        .toList();

    assertThat(seconds).containsExactly(2L, 4L, 8L, 16L, 32L, 60L, 60L);
  }

  @Test
  void withoutJitterIgnoresTheRandomSource() {
    RecoveryPolicy policy = withJitter(Jitter.NONE);

    assertThat(policy.backoff(3, () -> 0.0)).isEqualTo(policy.backoff(3, () -> 0.999)).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void fullJitterStaysBetweenZeroAndTheBase() {
    RecoveryPolicy policy = withJitter(Jitter.FULL);
    SplittableRandom random = new SplittableRandom(42);

    for (int retry = 1; retry <= 8; retry++) {
      Duration base = base(retry);
      for (int i = 0; i < DRAWS; i++) {
        assertThat(policy.backoff(retry, random::nextDouble)).isBetween(Duration.ZERO, base);
      }
    }
  }

  @Test
  void fullJitterReachesBothEndsOfItsRange() {
    RecoveryPolicy policy = withJitter(Jitter.FULL);

    for (int retry = 1; retry <= 8; retry++) {
      Duration base = base(retry);
      assertThat(policy.backoff(retry, () -> 0.0)).isEqualTo(Duration.ZERO);
      assertThat(policy.backoff(retry, () -> 0.999))
          .isBetween(base.multipliedBy(99).dividedBy(100), base);
    }
  }

  @Test
  void fullJitterSpreadsTheDelays() {
    RecoveryPolicy policy = withJitter(Jitter.FULL);
    SplittableRandom random = new SplittableRandom(7);

    long distinct = IntStream.range(0, 1000).mapToObj(i -> policy.backoff(5, random::nextDouble)).distinct().count();

    assertThat(distinct).isGreaterThan(900);
  }

  @Test
  void equalJitterStaysBetweenHalfTheBaseAndTheBase() {
    RecoveryPolicy policy = withJitter(Jitter.EQUAL);
    SplittableRandom random = new SplittableRandom(4242);

    for (int retry = 1; retry <= 8; retry++) {
      Duration base = base(retry);
      for (int i = 0; i < DRAWS; i++) {
        assertThat(policy.backoff(retry, random::nextDouble)).isBetween(base.dividedBy(2), base);
      }
      assertThat(policy.backoff(retry, () -> 0.0)).isEqualTo(base.dividedBy(2));
      assertThat(policy.backoff(retry, () -> 0.999)).isBetween(base.multipliedBy(99).dividedBy(100), base);
    }
  }

  @Test
  void clampsARandomSourceThatLeavesZeroToOne() {
    RecoveryPolicy policy = withJitter(Jitter.FULL);

    assertThat(policy.backoff(2, () -> -3.0)).isEqualTo(Duration.ZERO);
    assertThat(policy.backoff(2, () -> 7.0)).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy.backoff(2, () -> Double.NaN)).isBetween(Duration.ZERO, Duration.ofSeconds(4));
  }

  @ParameterizedTest
  @ValueSource(ints = {62, 63, 64, 100, 1000, Integer.MAX_VALUE})
  void neverOverflowsForALateRetry(int retry) {
    for (Jitter jitter : Jitter.values()) {
      Duration delay = withJitter(jitter).backoff(retry, () -> 0.999);

      assertThat(delay).as("%s", jitter).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(60));
    }
    assertThat(withJitter(Jitter.NONE).backoff(retry, () -> 0.5)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void neverOverflowsWithTheLargestAllowedDurations() {
    RecoveryPolicy policy = RecoveryPolicy.builder().initialBackoff(Duration.ofMinutes(59))
        .maxBackoff(Duration.ofHours(1)).jitter(Jitter.NONE).build();

    assertThat(policy.backoff(1, () -> 0)).isEqualTo(Duration.ofMinutes(59));
    assertThat(policy.backoff(2, () -> 0)).isEqualTo(Duration.ofHours(1));
    assertThat(policy.backoff(1000, () -> 0)).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void aOneNanosecondInitialBackoffStillDoublesToTheCap() {
    RecoveryPolicy policy = RecoveryPolicy.builder().initialBackoff(Duration.ofNanos(1))
        .maxBackoff(Duration.ofHours(1)).jitter(Jitter.NONE).build();

    assertThat(policy.backoff(11, () -> 0)).isEqualTo(Duration.ofNanos(1024));
    assertThat(policy.backoff(63, () -> 0)).isEqualTo(Duration.ofHours(1));
    assertThat(policy.backoff(1000, () -> 0)).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void aZeroInitialBackoffRetriesAtOnce() {
    RecoveryPolicy policy = RecoveryPolicy.builder().initialBackoff(Duration.ZERO).jitter(Jitter.NONE).build();

    assertThat(policy.backoff(1, () -> 0)).isZero();
    assertThat(policy.backoff(1000, () -> 0)).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void refusesARetryNumberBelowOne(int retry) {
    assertThatThrownBy(() -> RecoveryPolicy.defaults().backoff(retry, () -> 0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retry");
  }
}
