package io.forceflux.reactor;

import java.time.Duration;
import reactor.netty.resources.ConnectionProvider;

/**
 * The connection pool recipe for Salesforce API calls, used wherever ForceFlux builds a pool: the default pool of
 * {@link SalesforceClient}, the Spring Boot auto-configuration, the CLI, the benchmarks and the tests.
 *
 * <p>Reactor Netty's own default refuses a request once {@code 2 × maxConnections} requests wait for a
 * connection ({@code PoolAcquirePendingLimitException}). A Salesforce client fans out: a query prefetching pages,
 * a batch of writes with high concurrency, replays after a session dies. These pools queue every request beyond
 * the connections instead, and bound the wait with {@code pendingAcquireTimeout}, so a burst is slowed down,
 * not failed. Idle connections are closed after {@code maxIdleTime}, before load balancers drop them silently.
 */
public final class ConnectionPools {
  /** How long a request waits for a connection by default: 60 seconds. */
  public static final Duration DEFAULT_PENDING_ACQUIRE_TIMEOUT = Duration.ofSeconds(60);
  /** How long a connection may stay idle by default: 30 seconds. */
  public static final Duration DEFAULT_MAX_IDLE_TIME = Duration.ofSeconds(30);

  private ConnectionPools() {
  }

  /**
   * A pool that queues requests beyond its connections, with the default timeouts
   * ({@link #DEFAULT_PENDING_ACQUIRE_TIMEOUT}, {@link #DEFAULT_MAX_IDLE_TIME}).
   *
   * @param name the pool's name in Reactor Netty's metrics and logs
   * @param maxConnections connections per remote host, at least 1
   * @return a new pool; the caller disposes it
   * @throws IllegalArgumentException if {@code maxConnections} is below 1 (Reactor Netty's check)
   */
  public static ConnectionProvider queueing(String name, int maxConnections) {
    return queueing(name, maxConnections, DEFAULT_PENDING_ACQUIRE_TIMEOUT, DEFAULT_MAX_IDLE_TIME);
  }

  /**
   * A pool that queues requests beyond its connections.
   *
   * @param name the pool's name in Reactor Netty's metrics and logs
   * @param maxConnections connections per remote host, at least 1
   * @param pendingAcquireTimeout how long a request waits for a connection before it fails
   * @param maxIdleTime how long a connection may stay idle before it is closed
   * @return a new pool; the caller disposes it
   * @throws IllegalArgumentException if {@code maxConnections} is below 1 (Reactor Netty's check)
   */
  public static ConnectionProvider queueing(String name, int maxConnections, Duration pendingAcquireTimeout,
      Duration maxIdleTime) {
    return ConnectionProvider.builder(name)
        .maxConnections(maxConnections)
        .pendingAcquireMaxCount(-1)
        .pendingAcquireTimeout(pendingAcquireTimeout)
        .maxIdleTime(maxIdleTime)
        .build();
  }
}
