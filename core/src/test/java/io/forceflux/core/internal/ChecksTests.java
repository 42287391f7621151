package io.forceflux.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChecksTests {

  @Test
  void returnsAValueInRangeIncludingTheBounds() {
    assertThat(Checks.inRange(1, 1, 10, "limit")).isEqualTo(1);
    assertThat(Checks.inRange(10, 1, 10, "limit")).isEqualTo(10);
    assertThat(Checks.inRange(5L, 0L, 5L, "bytes")).isEqualTo(5L);
    assertThat(Checks.inRange(Duration.ZERO, Duration.ZERO, Duration.ofHours(1), "backoff")).isZero();
  }

  @Test
  void namesTheOptionTheRangeAndTheValueWhenOutOfRange() {
    assertThatThrownBy(() -> Checks.inRange(11, 1, 10, "freshRejectionLimit"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("freshRejectionLimit is out of range 1..10: 11");
    assertThatThrownBy(() -> Checks.inRange(-1L, 0L, 5L, "bytes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bytes is out of range 0..5: -1");
    assertThatThrownBy(() -> Checks.inRange(Duration.ofHours(2), Duration.ZERO, Duration.ofHours(1), "maxBackoff"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBackoff is out of range PT0S..PT1H: PT2H");
    assertThatThrownBy(() -> Checks.check(false, "clockSkew", Duration.ofMinutes(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clockSkew is out of range: PT-1M");
  }

  @Test
  void passesWhenTheConditionHolds() {
    Checks.check(true, "clockSkew", Duration.ZERO);
  }

  @Test
  void requiresText() {
    assertThat(Checks.requireText("id", "clientId")).isEqualTo("id");
    assertThatThrownBy(() -> Checks.requireText(" ", "clientId"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("clientId must not be blank");
    assertThatThrownBy(() -> Checks.requireText(null, "clientId"))
        .isInstanceOf(NullPointerException.class).hasMessage("clientId");
  }
}
