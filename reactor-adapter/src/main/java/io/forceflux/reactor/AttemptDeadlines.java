package io.forceflux.reactor;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * One timeout for many concurrent attempts, at the cost of a set insert and remove per attempt.
 *
 * <p>{@code Mono.timeout(Duration, Scheduler)} schedules and cancels one task per attempt on a
 * {@code ScheduledThreadPoolExecutor}, whose queue is a lock-guarded heap shared by every event loop: with
 * hundreds of requests in flight that was about 7% of a loopback request's cost. Here deadlines fall into buckets
 * of 1/16 of the timeout, and one periodic sweep on the scheduler (so virtual time drives it in tests) fires the
 * buckets that are due; it runs only while some attempt is pending. An attempt therefore times out between its
 * timeout and 1/16 of it later.
 *
 * <p>{@link #deadline()} is a publisher for {@code takeUntilOther} (or {@code timeout(Publisher)}): it emits once its
 * attempt's deadline passes, unless cancelled first (the attempt ended).
 */
final class AttemptDeadlines {
  private final Scheduler scheduler;
  private final long timeoutMillis;
  private final long tickMillis;
  private final BucketSets bucketSets;
  private final Map<Long, Set<Deadline>> buckets = new ConcurrentHashMap<>();
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private volatile @Nullable Disposable sweep;

  AttemptDeadlines(Scheduler scheduler, Duration timeout) {
    this(scheduler, timeout, ConcurrentHashMap::newKeySet);
  }

  /** With the given sets for buckets: a seam for tests that must act exactly when a deadline joins its bucket. */
  AttemptDeadlines(Scheduler scheduler, Duration timeout, BucketSets bucketSets) {
    this.scheduler = scheduler;
    this.timeoutMillis = timeout.toMillis();
    this.tickMillis = Math.max(1, timeoutMillis / 16);
    this.bucketSets = bucketSets;
  }

  /**
   * Makes the set of one bucket, once per bucket (not per attempt). The set must be safe for concurrent use.
   * Generic so that the deadline type stays private.
   */
  @FunctionalInterface
  interface BucketSets {
    <T> Set<T> newSet();
  }

  /** A deadline starting at subscription: emits {@code 0} once the timeout has passed. */
  Mono<Long> deadline() {
    return new DeadlineMono();
  }

  /** Whether the periodic sweep is scheduled, for tests. */
  boolean sweeping() {
    return sweeping.get();
  }

  /** Pending deadlines, for tests. */
  int pending() {
    return buckets.values().stream().mapToInt(Set::size).sum();
  }

  private void register(Deadline d) {
    long now = scheduler.now(TimeUnit.MILLISECONDS);
    // The bucket whose sweep comes at or after the deadline.
    long bucket = Math.floorDiv(now + timeoutMillis + tickMillis - 1, tickMillis);
    d.bucket = bucket;
    // Added inside compute, atomically with the bucket's lookup: the sweep drops an empty bucket with
    // computeIfPresent on the same key, so it can never drop one between this lookup and this add (that lost
    // the deadline: the attempt never timed out).
    buckets.compute(bucket, (b, set) -> {
      Set<Deadline> s = set != null ? set : bucketSets.newSet();
      s.add(d);
      return s;
    });
    if (d.ended()) {
      unregister(d); // cancelled while subscribing
    }
    if (!sweeping.get()) {
      startSweep();
    }
  }

  private void startSweep() {
    if (sweeping.compareAndSet(false, true)) {
      sweep = scheduler.schedulePeriodically(this::sweep, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void unregister(Deadline d) {
    Set<Deadline> set = buckets.get(d.bucket);
    if (set != null) {
      set.remove(d);
    }
  }

  private void sweep() {
    long due = Math.floorDiv(scheduler.now(TimeUnit.MILLISECONDS), tickMillis);
    for (Map.Entry<Long, Set<Deadline>> e : buckets.entrySet()) {
      if (e.getKey() <= due) {
        Set<Deadline> set = e.getValue();
        for (Deadline d : set) {
          d.fire();
        }
      }
      if (e.getValue().isEmpty()) {
        // Atomic with register's compute on the same key: a set is dropped only while it is really empty.
        buckets.computeIfPresent(e.getKey(), (k, set) -> set.isEmpty() ? null : set);
      }
    }
    if (buckets.isEmpty()) {
      // Stop until the next registration; one that raced with this check restarts the sweep itself.
      Disposable s = sweep;
      sweeping.set(false);
      if (s != null) {
        s.dispose();
      }
      if (!buckets.isEmpty()) {
        startSweep();
      }
    }
  }

  private final class DeadlineMono extends Mono<Long> {
    @Override
    public void subscribe(CoreSubscriber<? super Long> actual) {
      Deadline d = new Deadline(actual);
      actual.onSubscribe(d);
      register(d);
    }
  }

  /** One attempt's deadline; {@code state} makes firing and cancelling mutually exclusive. */
  private final class Deadline implements Subscription {
    private static final AtomicIntegerFieldUpdater<Deadline> STATE =
        AtomicIntegerFieldUpdater.newUpdater(Deadline.class, "state");
    private final CoreSubscriber<? super Long> actual;
    private volatile int state;
    long bucket;

    Deadline(CoreSubscriber<? super Long> actual) {
      this.actual = actual;
    }

    boolean ended() {
      return state != 0;
    }

    void fire() {
      unregister(this);
      if (STATE.compareAndSet(this, 0, 1)) {
        actual.onNext(0L);
        actual.onComplete();
      }
    }

    @Override
    public void request(long n) {
      // One value, sent when due: demand does not change it.
    }

    @Override
    public void cancel() {
      if (STATE.compareAndSet(this, 0, 2)) {
        unregister(this);
      }
    }
  }
}
