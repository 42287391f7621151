package io.forceflux.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it. Thread-safe: any thread may read or move it, and
 * every reader sees a move as soon as {@link #advance(Duration)} or {@link #set(Instant)} returns.
 *
 * <p>Give it to {@link FakeOrg.Builder#clock(Clock)} to drive session timeouts, cursor lifetimes, login-rate
 * windows and JWT {@code exp} checks without waiting:
 *
 * <pre>{@code
 * MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
 * FakeOrg org = FakeOrg.builder().clock(clock).sessionTimeout(Duration.ofMinutes(15)).build().start();
 * // ... obtain a token ...
 * clock.advance(Duration.ofMinutes(15)); // the session is now expired
 * }</pre>
 *
 * <p>Views made with {@link #withZone(ZoneId)} share the same instant.
 */
public final class MutableClock extends Clock {

  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  /**
   * A clock at {@code start} in UTC.
   *
   * @param start the initial instant
   */
  public MutableClock(Instant start) {
    this(start, ZoneOffset.UTC);
  }

  /**
   * A clock at {@code start} in {@code zone}.
   *
   * @param start the initial instant
   * @param zone the zone reported by {@link #getZone()}
   */
  public MutableClock(Instant start, ZoneId zone) {
    this(new AtomicReference<>(Objects.requireNonNull(start, "start")), zone);
  }

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  /**
   * Moves the clock forward.
   *
   * @param amount how far to move; zero or positive
   * @return the new instant
   * @throws IllegalArgumentException if {@code amount} is negative (use {@link #set(Instant)} to go back)
   */
  public Instant advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    if (amount.isNegative()) {
      throw new IllegalArgumentException("amount must not be negative: " + amount);
    }
    return now.updateAndGet(current -> current.plus(amount));
  }

  /**
   * Moves the clock to {@code instant}, forward or back.
   *
   * @param instant the new instant
   */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public long millis() {
    return now.get().toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    return zone.equals(newZone) ? this : new MutableClock(now, newZone);
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + "," + zone + "]";
  }
}
