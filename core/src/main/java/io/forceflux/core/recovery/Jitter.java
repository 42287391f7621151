package io.forceflux.core.recovery;

/**
 * How a backoff delay is randomised, after Marc Brooker, "Exponential Backoff And Jitter" (AWS
 * Architecture Blog, 2015). With {@code base = min(cap, initial * 2^(attempt-1))}:
 */
public enum Jitter {
  /** {@code base}: exact delays, for tests that assert timing. */
  NONE,
  /** {@code random(0, base)}: the best spread of retries; the default. */
  FULL,
  /** {@code base/2 + random(0, base/2)}: never shorter than half the base. */
  EQUAL
}
