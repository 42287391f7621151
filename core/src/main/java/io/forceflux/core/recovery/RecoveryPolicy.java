package io.forceflux.core.recovery;

import io.forceflux.core.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How hard ForceFlux tries before giving up: attempts and exponential backoff with jitter. Immutable;
 * every option is validated by {@link Builder#build()}.
 *
 * <p>Defaults: {@code maxAttempts} 5, {@code initialBackoff} 2 s, {@code maxBackoff} 60 s, {@link Jitter#FULL}.
 */
public final class RecoveryPolicy {
  private static final RecoveryPolicy DEFAULTS = builder().build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Jitter jitter;

  private RecoveryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.jitter = b.jitter;
  }

  /** The defaults: 5 attempts, 2 s initial backoff, 60 s cap, full jitter. */
  public static RecoveryPolicy defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy. */
  public Builder toBuilder() {
    return new Builder().maxAttempts(maxAttempts).initialBackoff(initialBackoff).maxBackoff(maxBackoff).jitter(jitter);
  }

  /** Attempts in total, the first included (1..100). */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The base delay before the first retry. */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** The cap on any single delay. */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** How delays are randomised. */
  public Jitter jitter() {
    return jitter;
  }

  /**
   * The delay before retry number {@code retry} (1 = the first retry).
   *
   * @param random a source of uniform values in [0, 1)
   */
  public Duration backoff(int retry, DoubleSupplier random) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry starts at 1");
    }
    long cap = maxBackoff.toNanos();
    long initial = initialBackoff.toNanos();
    int shift = Math.min(retry - 1, 62);
    long base = initial > (cap >> shift) ? cap : Math.min(cap, initial << shift);
    double r = Math.min(Math.max(random.getAsDouble(), 0d), 1d);
    long nanos = switch (jitter) {
      case NONE -> base;
      case FULL -> (long) (base * r);
      case EQUAL -> base / 2 + (long) (base / 2 * r);
    };
    return Duration.ofNanos(nanos);
  }

  @Override
  public String toString() {
    return "RecoveryPolicy[maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", maxBackoff="
        + maxBackoff + ", jitter=" + jitter + "]";
  }

  /** Builds a {@link RecoveryPolicy}. */
  public static final class Builder {
    private int maxAttempts = 5;
    private Duration initialBackoff = Duration.ofSeconds(2);
    private Duration maxBackoff = Duration.ofSeconds(60);
    private Jitter jitter = Jitter.FULL;

    private Builder() {}

    /** Attempts in total, the first included. Default 5, range 1..100. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** The base delay before the first retry. Default 2 s; zero allowed; must not exceed the cap. */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
      return this;
    }

    /** The cap on any single delay. Default 60 s, at most 1 hour. */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
      return this;
    }

    /** Jitter. Default {@link Jitter#FULL}. */
    public Builder jitter(Jitter jitter) {
      this.jitter = Objects.requireNonNull(jitter, "jitter");
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the option that is out of range
     */
    public RecoveryPolicy build() {
      Checks.inRange(maxAttempts, 1, 100, "maxAttempts");
      Checks.check(!initialBackoff.isNegative(), "initialBackoff", initialBackoff);
      Checks.inRange(maxBackoff, Duration.ZERO, Duration.ofHours(1), "maxBackoff");
      if (initialBackoff.compareTo(maxBackoff) > 0) {
        throw new IllegalArgumentException(
            "initialBackoff (" + initialBackoff + ") must not exceed maxBackoff (" + maxBackoff + ")");
      }
      return new RecoveryPolicy(this);
    }
  }
}
