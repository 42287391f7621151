package io.forceflux.reactor.client;

/**
 * One org limit from {@code /limits}.
 *
 * @param max the allocation
 * @param remaining what is left of it
 */
public record Limit(long max, long remaining) {
  /** {@code max - remaining}. */
  public long used() {
    return max - remaining;
  }
}
