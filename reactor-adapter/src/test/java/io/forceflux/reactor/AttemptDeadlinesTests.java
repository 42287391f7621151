package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

class AttemptDeadlinesTests {
  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  private final AttemptDeadlines deadlines = new AttemptDeadlines(time, Duration.ofSeconds(16));

  @AfterEach
  void tearDown() {
    time.dispose();
  }

  @Test
  void anAttemptThatNeverAnswersTimesOutWithinOneStepAfterItsTimeout() {
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    Mono.never().timeout(deadlines.deadline()).subscribe(v -> { }, errors::add);

    time.advanceTimeBy(Duration.ofMillis(15_999));
    assertThat(errors).isEmpty();
    time.advanceTimeBy(Duration.ofSeconds(1)); // the step is 16 s / 16 = 1 s
    assertThat(errors).singleElement().isInstanceOf(TimeoutException.class);
    assertThat(deadlines.pending()).isZero();
  }

  @Test
  void anAttemptThatAnswersInTimeLeavesNothingPendingAndNothingScheduled() {
    Sinks.One<String> answer = Sinks.one();
    List<String> values = new CopyOnWriteArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    answer.asMono().timeout(deadlines.deadline()).subscribe(values::add, errors::add);
    assertThat(deadlines.pending()).isEqualTo(1);

    time.advanceTimeBy(Duration.ofSeconds(10));
    answer.tryEmitValue("response");
    assertThat(deadlines.pending()).isZero();
    time.advanceTimeBy(Duration.ofMinutes(5));

    assertThat(values).containsExactly("response");
    assertThat(errors).isEmpty();
    // The sweep stopped itself once nothing was pending.
    assertThat(deadlines.sweeping()).isFalse();
  }

  @Test
  void manyAttemptsStartedAtDifferentTimesEachTimeOutOnTheirOwnDeadline() {
    List<Long> timedOutAt = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      Mono.never().timeout(deadlines.deadline())
          .subscribe(v -> { }, e -> timedOutAt.add(time.now(TimeUnit.MILLISECONDS)));
      if (i == 499) {
        time.advanceTimeBy(Duration.ofSeconds(8));
      }
    }
    Disposable cancelled = Mono.never().timeout(deadlines.deadline()).subscribe();
    cancelled.dispose();

    time.advanceTimeBy(Duration.ofSeconds(9)); // now 17 s
    assertThat(timedOutAt).hasSize(500); // the first 500: started at 0, due by 16–17 s
    time.advanceTimeBy(Duration.ofSeconds(8));
    assertThat(timedOutAt).hasSize(1_000);
    assertThat(timedOutAt.subList(0, 500)).allMatch(t -> t >= 16_000 && t <= 17_000);
    assertThat(timedOutAt.subList(500, 1_000)).allMatch(t -> t >= 24_000 && t <= 25_000);
    assertThat(deadlines.pending()).isZero();
  }
}
