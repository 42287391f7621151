package io.forceflux.reactor.governor;

import reactor.core.publisher.Mono;

/**
 * A usage count shared by the governors of one credential in several processes (a fleet), so the reserve holds for
 * the fleet rather than for each process. {@code io.forceflux.reactor.redis.RedisApiUsage} keeps it in Redis.
 *
 * <p>The shared count is what {@link ApiGovernor} keeps locally, for the whole fleet: every call counted before
 * it is sent, raised to the highest {@code api-usage} any member saw, and re-based on the org's report when no
 * call of the fleet is in flight. Both operations must be atomic. When one fails (the store is down), the governor
 * decides on its local view and the fleet's reserve holds only as it does without a shared count.
 */
public interface SharedUsage {
  /**
   * Counts {@code cost} calls if the fleet's count stays within {@code budget}, and one more call in flight.
   *
   * @param budget the most the count may reach, or -1 while the allowance is not known (always counts)
   * @return the fleet's count after counting, or {@code -1 - count} when counting would exceed the budget (then
   *     nothing is counted)
   */
  Mono<Long> trySpend(long cost, long budget);

  /**
   * Ends one call counted by {@link #trySpend}: one fewer in flight, and the org's report if the call got one.
   *
   * @param reported the {@code api-usage} its response reported, or -1 without one
   * @return the fleet's count afterwards
   */
  Mono<Long> settle(long reported);
}
