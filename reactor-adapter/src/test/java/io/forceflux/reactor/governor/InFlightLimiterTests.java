package io.forceflux.reactor.governor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.error.ApiLimitException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The non-blocking semaphore behind the in-flight cap, on virtual time. */
class InFlightLimiterTests {
  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  private final InFlightLimiter limiter = new InFlightLimiter(1);

  private InFlightLimiter.Slot take() {
    AtomicReference<InFlightLimiter.Slot> slot = new AtomicReference<>();
    limiter.acquire(Duration.ofSeconds(30), time, () -> null).subscribe(slot::set);
    return slot.get();
  }

  @Test
  void aWaiterGetsTheReleasedSlotInsteadOfANewOne() {
    InFlightLimiter.Slot first = take();
    AtomicReference<InFlightLimiter.Slot> second = new AtomicReference<>();
    limiter.acquire(Duration.ofSeconds(30), time, () -> null).subscribe(second::set);
    assertThat(second.get()).isNull();
    assertThat(limiter.queued()).isEqualTo(1);

    time.advanceTimeBy(Duration.ofSeconds(29));
    first.release();
    first.release();

    assertThat(second.get()).isNotNull();
    assertThat(limiter.inFlight()).isEqualTo(1);
    assertThat(limiter.queued()).isZero();
    time.advanceTimeBy(Duration.ofMinutes(1));
    second.get().release();
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void aWaiterGivesUpAfterTheBoundedWaitWithATypedError() {
    take();
    StepVerifier.create(limiter.acquire(Duration.ofSeconds(30), time, () -> null))
        .then(() -> time.advanceTimeBy(Duration.ofSeconds(30)))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(ApiLimitException.class,
            a -> assertThat(a.reason()).isEqualTo(ApiLimitException.Reason.IN_FLIGHT_WAIT)))
        .verify(Duration.ofSeconds(5));
    assertThat(limiter.queued()).isZero();
    assertThat(limiter.inFlight()).isEqualTo(1);
  }

  @Test
  void aCancelledWaiterLeavesTheQueueAndTheSlotGoesToTheNext() {
    InFlightLimiter.Slot first = take();
    Disposable cancelled = limiter.acquire(Duration.ofSeconds(30), time, () -> null).subscribe();
    AtomicReference<InFlightLimiter.Slot> third = new AtomicReference<>();
    limiter.acquire(Duration.ofSeconds(30), time, () -> null).subscribe(third::set);

    cancelled.dispose();
    first.release();

    assertThat(third.get()).isNotNull();
    assertThat(limiter.inFlight()).isEqualTo(1);
    assertThat(limiter.queued()).isZero();
  }
}
