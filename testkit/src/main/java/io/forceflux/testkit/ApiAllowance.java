package io.forceflux.testkit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The org's daily API allocation: what every authenticated REST and SOAP call counts against, what
 * {@code /limits} reports as {@code DailyApiRequests}, and the {@code Sforce-Limit-Info} header of each answer.
 */
final class ApiAllowance {

  static final String HEADER = "Sforce-Limit-Info";

  private final long configuredLimit;
  private final AtomicLong usage = new AtomicLong();
  private volatile long limit;

  ApiAllowance(long dailyLimit) {
    this.configuredLimit = dailyLimit;
    this.limit = dailyLimit;
  }

  /** Counts one API call: the new usage, or -1 if the allocation is exhausted (the call is not counted). */
  long tryCall() {
    while (true) {
      long current = usage.get();
      if (current >= limit) {
        return -1;
      }
      if (usage.compareAndSet(current, current + 1)) {
        return current + 1;
      }
    }
  }

  /** Adds the {@code Sforce-Limit-Info} header as of now. */
  Reply stamp(Reply reply) {
    return reply.header(HEADER, "api-usage=" + usage.get() + "/" + limit);
  }

  /** The REST answer to a call beyond the allocation, with its header. */
  Reply exceeded() {
    return stamp(Reply.restError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."));
  }

  long usage() {
    return usage.get();
  }

  long limit() {
    return limit;
  }

  void limit(long max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1: " + max);
    }
    limit = max;
  }

  void usage(long used) {
    if (used < 0) {
      throw new IllegalArgumentException("used must not be negative: " + used);
    }
    usage.set(used);
  }

  /** Back to the configured limit and no usage. */
  void reset() {
    limit = configuredLimit;
    usage.set(0);
  }
}
