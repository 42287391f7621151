package io.forceflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MutableClockTests {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void standsStillUntilMoved() {
    MutableClock clock = new MutableClock(START);
    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.millis()).isEqualTo(START.toEpochMilli());

    assertThat(clock.advance(Duration.ofMinutes(5))).isEqualTo(START.plusSeconds(300));
    clock.set(START.minusSeconds(10));

    assertThat(clock.instant()).isEqualTo(START.minusSeconds(10));
  }

  @Test
  void refusesToAdvanceBackwards() {
    MutableClock clock = new MutableClock(START);
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void zoneViewsShareTheInstant() {
    MutableClock clock = new MutableClock(START);
    Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));

    clock.advance(Duration.ofHours(1));

    assertThat(paris.instant()).isEqualTo(START.plusSeconds(3600));
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(clock.withZone(clock.getZone())).isSameAs(clock);
  }

  @Test
  void concurrentAdvancesAreNotLost() throws Exception {
    MutableClock clock = new MutableClock(START);
    CompletableFuture<?>[] workers = IntStream.range(0, 8)
        .mapToObj(i -> CompletableFuture.runAsync(() -> {
          for (int j = 0; j < 1000; j++) {
            clock.advance(Duration.ofMillis(1));
          }
        }))
        .toArray(CompletableFuture[]::new);
    CompletableFuture.allOf(workers).get(10, TimeUnit.SECONDS);

    assertThat(clock.instant()).isEqualTo(START.plusMillis(8000));
  }
}
