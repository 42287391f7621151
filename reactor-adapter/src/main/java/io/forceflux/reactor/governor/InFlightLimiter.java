package io.forceflux.reactor.governor;

import io.forceflux.core.error.ApiLimitException;
import io.forceflux.core.error.LimitInfo;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * A non-blocking counting semaphore: a slot is taken by CAS, or the caller waits in a lock-free FIFO queue until a
 * slot is handed over or its deadline (a task on the injected scheduler) passes. Each waiter's fate is decided
 * once by CAS (granted, timed out or cancelled), so a slot is never lost or handed out twice.
 */
final class InFlightLimiter {
  private static final int WAITING = 0;
  private static final int GRANTED = 1;
  private static final int ABANDONED = 2;

  private final int cap;
  private final AtomicInteger used = new AtomicInteger();
  private final AtomicInteger queued = new AtomicInteger();
  private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();

  InFlightLimiter(int cap) {
    this.cap = cap;
  }

  /** A held slot; releasing it twice is harmless. */
  final class Slot {
    private final AtomicBoolean released = new AtomicBoolean();

    void release() {
      if (released.compareAndSet(false, true)) {
        handOver();
      }
    }
  }

  private final class Waiter {
    final AtomicInteger state = new AtomicInteger(WAITING);
    final MonoSink<Slot> sink;
    @Nullable Disposable deadline;

    Waiter(MonoSink<Slot> sink) {
      this.sink = sink;
    }

    boolean grant() {
      if (!state.compareAndSet(WAITING, GRANTED)) {
        return false;
      }
      queued.decrementAndGet();
      Disposable d = deadline;
      if (d != null) {
        d.dispose();
      }
      sink.success(new Slot());
      return true;
    }
  }

  int inFlight() {
    return used.get();
  }

  int queued() {
    return queued.get();
  }

  /** A slot now, or after waiting at most {@code maxWait}; past it, {@link ApiLimitException} (IN_FLIGHT_WAIT). */
  Mono<Slot> acquire(Duration maxWait, Scheduler scheduler, Supplier<@Nullable LimitInfo> usage) {
    return Mono.defer(() -> {
      if (tryTake()) {
        return Mono.just(new Slot());
      }
      return Mono.create(sink -> {
        Waiter w = new Waiter(sink);
        queued.incrementAndGet();
        sink.onCancel(() -> {
          if (w.state.compareAndSet(WAITING, ABANDONED)) {
            queued.decrementAndGet();
          } else if (w.state.get() == GRANTED) {
            // Granted but cancelled before the slot was delivered: MonoSink drops the value, so give it back.
            handOver();
          }
        });
        w.deadline = scheduler.schedule(() -> {
          if (w.state.compareAndSet(WAITING, ABANDONED)) {
            queued.decrementAndGet();
            sink.error(new ApiLimitException(ApiLimitException.Reason.IN_FLIGHT_WAIT,
                "waited " + maxWait.toMillis() + " ms for one of " + cap + " in-flight slots", usage.get()));
          }
        }, maxWait.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        waiters.add(w);
        drain();
      });
    });
  }

  private boolean tryTake() {
    while (true) {
      int n = used.get();
      if (n >= cap) {
        return false;
      }
      if (used.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Passes a released slot straight to the oldest live waiter, else frees it. */
  private void handOver() {
    Waiter w;
    while ((w = waiters.poll()) != null) {
      if (w.grant()) {
        return;
      }
    }
    used.decrementAndGet();
    drain();
  }

  /** Serves waiters that queued while slots were free (closes the race between enqueueing and releasing). */
  private void drain() {
    while (!waiters.isEmpty() && tryTake()) {
      Waiter w = waiters.poll();
      if (w == null || !w.grant()) {
        used.decrementAndGet();
      }
    }
  }
}
