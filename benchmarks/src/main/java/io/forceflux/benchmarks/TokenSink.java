package io.forceflux.benchmarks;

import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.infra.Blackhole;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * A reusable subscriber that consumes a token the way a filter does: it requests it and hands the value on (to a
 * {@link Blackhole}). One per benchmark thread; it counts what it saw so a benchmark can prove that every
 * subscription delivered a value at once (a cache hit) and none failed.
 */
final class TokenSink implements CoreSubscriber<Object> {
  private final Blackhole blackhole;
  long subscriptions;
  long values;
  @Nullable Throwable error;

  TokenSink(Blackhole blackhole) {
    this.blackhole = blackhole;
  }

  @Override
  public void onSubscribe(Subscription s) {
    subscriptions++;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(Object value) {
    values++;
    blackhole.consume(value);
  }

  @Override
  public void onError(Throwable t) {
    error = t;
  }

  @Override
  public void onComplete() {
    // Nothing to do: the value was consumed in onNext.
  }

  /** Throws unless every subscription so far delivered exactly one value and none failed. */
  void verify(String contender) {
    if (error != null) {
      throw new IllegalStateException(contender + ": the token subscription failed", error);
    }
    if (subscriptions == 0 || values != subscriptions) {
      throw new IllegalStateException(contender + ": " + subscriptions + " subscriptions delivered " + values
          + " values; a cache hit delivers exactly one, synchronously");
    }
  }

  void reset() {
    subscriptions = 0;
    values = 0;
    error = null;
  }
}
