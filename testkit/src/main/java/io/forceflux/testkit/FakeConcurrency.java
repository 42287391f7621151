package io.forceflux.testkit;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/**
 * API requests in flight at the org, from arrival until the reply is ready (before it is written, so a client that
 * frees a slot on receiving the response can never make this count exceed its own). Salesforce limits requests
 * that have run for 20 s or more: when {@code limit} of them are running, a new request gets
 * {@code 403 REQUEST_LIMIT_EXCEEDED "ConcurrentPerOrgLongTxn Limit exceeded."} and does not run.
 */
final class FakeConcurrency {

  static final String LONG_TXN_MESSAGE = "ConcurrentPerOrgLongTxn Limit exceeded.";

  private final ConcurrentHashMap<Long, Long> started = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicInteger current = new AtomicInteger();
  private final AtomicInteger max = new AtomicInteger();
  private final AtomicLong longRunningRejections = new AtomicLong();
  private volatile int limit;
  private volatile long thresholdNanos;

  static final int DEFAULT_LIMIT = 25;
  static final Duration DEFAULT_THRESHOLD = Duration.ofSeconds(20);

  FakeConcurrency() {
    configureDefaults();
  }

  void configureDefaults() {
    configure(DEFAULT_LIMIT, DEFAULT_THRESHOLD);
  }

  void configure(int newLimit, Duration threshold) {
    this.limit = newLimit;
    this.thresholdNanos = threshold.toNanos();
  }

  /** Runs {@code run} as one request in flight, or answers the long-running limit's error without running it. */
  Mono<Reply> track(Mono<Reply> run) {
    return Mono.defer(() -> {
      if (longRunning() >= limit) {
        longRunningRejections.incrementAndGet();
        return Mono.just(Reply.restError(403, "REQUEST_LIMIT_EXCEEDED", LONG_TXN_MESSAGE));
      }
      long id = ids.incrementAndGet();
      started.put(id, System.nanoTime());
      max.accumulateAndGet(current.incrementAndGet(), Math::max);
      AtomicBoolean done = new AtomicBoolean();
      Runnable end = () -> {
        if (done.compareAndSet(false, true)) {
          started.remove(id);
          current.decrementAndGet();
        }
      };
      // doOnSuccess/doOnError run before the reply travels on to be written; doFinally would run after.
      return run.doOnSuccess(r -> end.run()).doOnError(e -> end.run()).doOnCancel(end);
    });
  }

  private int longRunning() {
    if (started.size() < limit) {
      return started.size();
    }
    long cutoff = System.nanoTime() - thresholdNanos;
    int n = 0;
    for (long start : started.values()) {
      if (start - cutoff <= 0) {
        n++;
      }
    }
    return n;
  }

  int maxSeen() {
    return max.get();
  }

  long longRunningRejections() {
    return longRunningRejections.get();
  }

  void reset() {
    max.set(current.get());
    longRunningRejections.set(0);
  }
}
