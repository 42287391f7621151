package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The sweep runs exactly between a registration finding its bucket and adding to it: the interleaving that lost
 * deadlines when the sweep dropped a bucket it saw empty. Forced through the bucket-set seam rather than hoped
 * for with racing threads (that window is a few instructions wide; a random race practically never hits it).
 */
class AttemptDeadlinesSweepRaceTests {
  /** Only reached if the sweep neither ends nor waits for the map: the test then fails, it never passes. */
  private static final Duration BOUND = Duration.ofSeconds(30);

  private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
  private final SweepOnAdd sweepOnAdd = new SweepOnAdd();
  // Sweeps every 1 s; a deadline registered at t falls into bucket floor((t + 16.999 s) / 1 s).
  private final AttemptDeadlines deadlines = new AttemptDeadlines(time, Duration.ofSeconds(16), sweepOnAdd);

  @AfterEach
  void tearDown() {
    time.dispose();
  }

  @RepeatedTest(10)
  void aDeadlineJoiningABucketTheSweepSeesEmptyStillFires() throws InterruptedException {
    deadlines.deadline().subscribe().dispose(); // bucket 16 stays, empty; the sweep is scheduled
    List<Long> fired = new CopyOnWriteArrayList<>();

    sweepOnAdd.armForNextAdd();
    deadlines.deadline().subscribe(fired::add); // joins bucket 16; the sweep at 1 s runs before the add
    sweepOnAdd.awaitSweepEnded();
    time.advanceTimeBy(Duration.ofSeconds(17)); // now 18 s: bucket 16 was due at 16 s

    assertThat(fired).as("the deadline fired").containsExactly(0L);
    assertThat(deadlines.pending()).isZero();
  }

  @RepeatedTest(10)
  void aDeadlineOpeningANewBucketWhileTheSweepRunsStillFires() throws InterruptedException {
    List<Long> fired = new CopyOnWriteArrayList<>();
    deadlines.deadline().subscribe(fired::add); // bucket 16; keeps the sweep running
    time.advanceTimeBy(Duration.ofMillis(500));

    sweepOnAdd.armForNextAdd();
    deadlines.deadline().subscribe(fired::add); // opens bucket 17; the sweep at 1 s runs before the add
    sweepOnAdd.awaitSweepEnded();
    time.advanceTimeBy(Duration.ofSeconds(17)); // now 18.5 s: buckets 16 and 17 were due

    assertThat(fired).as("both deadlines fired").containsExactly(0L, 0L);
    assertThat(deadlines.pending()).isZero();
  }

  /**
   * Bucket sets whose next {@code add}, once armed, first runs the sweep (advances virtual time by one tick) on
   * another thread and waits until that sweep has ended or is waiting for the bucket map.
   *
   * <p>Why this cannot deadlock, and why its bound cannot hide the bug. The add runs either outside the map's lock
   * (the old {@code computeIfAbsent(...).add(d)}): nothing stops the sweep, it ends, drops the bucket it saw empty,
   * and the deadline then goes into a set no longer in the map, so the test fails. Or it runs inside the map's
   * {@code compute} (the fix): a sweep that touches that bucket blocks on the map's bin lock, which this add holds,
   * so waiting for the sweep to end would deadlock; the add therefore also stops waiting once the sweep thread is
   * blocked on a monitor of the {@code ConcurrentHashMap}, called from {@code AttemptDeadlines}. It is checked on
   * one consistent snapshot of the thread (state, lock and stack together). With the old code the sweep never
   * blocks there (this thread holds no map lock while it waits), so that early exit cannot let the add slip in
   * before the sweep drops the bucket. The time bound is only for a sweep that does neither, which neither version
   * does; reaching it is recorded and fails the test ({@link #awaitSweepEnded}), it never lets the test pass.
   */
  private final class SweepOnAdd implements AttemptDeadlines.BucketSets {
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicReference<@Nullable Thread> sweeper = new AtomicReference<>();
    private final AtomicReference<@Nullable String> sweepOutcome = new AtomicReference<>();
    private final AtomicReference<@Nullable Throwable> sweepFailure = new AtomicReference<>();

    void armForNextAdd() {
      armed.set(true);
    }

    @Override
    public <T> Set<T> newSet() {
      return new AbstractSet<>() {
        private final Set<T> delegate = ConcurrentHashMap.newKeySet();

        @Override
        public boolean add(T element) {
          if (armed.compareAndSet(true, false)) {
            sweepOutcome.set(runSweepAndWait());
          }
          return delegate.add(element);
        }

        @Override
        public boolean remove(Object element) {
          return delegate.remove(element);
        }

        @Override
        public Iterator<T> iterator() {
          return delegate.iterator();
        }

        @Override
        public int size() {
          return delegate.size();
        }

        @Override
        public boolean isEmpty() {
          return delegate.isEmpty();
        }
      };
    }

    private String runSweepAndWait() {
      Thread t = new Thread(() -> time.advanceTimeBy(Duration.ofSeconds(1)), "attempt-deadlines-sweep");
      t.setUncaughtExceptionHandler((thread, e) -> sweepFailure.set(e));
      sweeper.set(t);
      t.start();
      long until = System.nanoTime() + BOUND.toNanos();
      try {
        while (System.nanoTime() - until < 0) {
          t.join(1); // returns as soon as the sweep ends
          if (!t.isAlive()) {
            return "ended";
          }
          if (waitsForTheBucketMap(t)) {
            return "waiting for the bucket map";
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
      return "neither ended nor waited for the bucket map within " + BOUND;
    }

    /** Called after the registration returned: the sweep thread ended, the sweep ran at the chosen moment. */
    void awaitSweepEnded() throws InterruptedException {
      Thread t = sweeper.get();
      assertThat(t).as("the armed add ran the sweep").isNotNull();
      t.join(BOUND.toMillis());
      assertThat(t.isAlive()).as("the sweep thread ended").isFalse();
      assertThat(sweepFailure.get()).as("the sweep's failure").isNull();
      assertThat(sweepOutcome.get()).as("how the sweep let the add go on")
          .isIn("ended", "waiting for the bucket map");
    }
  }

  /** Blocked on a {@code ConcurrentHashMap} bin lock, in a map call made by {@code AttemptDeadlines}. */
  private static boolean waitsForTheBucketMap(Thread t) {
    ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(t.getId(), Integer.MAX_VALUE);
    if (info == null || info.getThreadState() != Thread.State.BLOCKED || info.getLockInfo() == null
        || !info.getLockInfo().getClassName().startsWith(ConcurrentHashMap.class.getName())) {
      return false;
    }
    for (StackTraceElement frame : info.getStackTrace()) {
      if (!frame.getClassName().startsWith(ConcurrentHashMap.class.getName())) {
        return frame.getClassName().startsWith(AttemptDeadlines.class.getName());
      }
    }
    return false;
  }
}
