package io.forceflux.benchmarks;

import io.forceflux.core.auth.InstanceUrlPolicy;
import io.forceflux.core.auth.RefreshTokenGrant;
import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.reactor.ConnectionPools;
import io.forceflux.reactor.testing.FakeOrgClients;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.FakeOrgStats;
import java.time.Duration;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * A {@link FakeOrg} on loopback plus the client wiring every benchmark shares, from {@link FakeOrgClients} as the
 * module tests wire it: a refresh-token grant, an instance-URL policy that trusts the org's two loopback origins,
 * and its own connection pool sized for 10,000 requests in flight ({@link ConnectionPools}, 500 connections).
 *
 * <p>The org's daily API allocation and login rate are lifted: a benchmark sends millions of requests, and the
 * limits would otherwise end the run with {@code REQUEST_LIMIT_EXCEEDED} or "login rate exceeded" instead of
 * measuring what it says.
 */
final class LoopbackOrg implements AutoCloseable {
  /** The request every HTTP benchmark sends: small, authenticated, counted as an API call. */
  static final String LIMITS = "/services/data/v67.0/limits";
  /** Upper bound on any blocking wait in a benchmark; a wait that long is a failure, not a number. */
  static final Duration BOUND = Duration.ofSeconds(120);

  final FakeOrg org;
  private final ConnectionProvider pool;

  private LoopbackOrg(FakeOrg org) {
    this.org = org;
    this.pool = ConnectionPools.queueing("forceflux-benchmarks", 500);
  }

  /** Builds and starts an org from {@code builder}, with the API and login limits lifted. */
  static LoopbackOrg start(FakeOrg.Builder builder) {
    FakeOrg org = builder.dailyApiLimit(Long.MAX_VALUE).loginsPerHour(Integer.MAX_VALUE).build().start();
    return new LoopbackOrg(org);
  }

  InstanceUrlPolicy policy() {
    return FakeOrgClients.instanceUrlPolicy(org);
  }

  RefreshTokenGrant refreshGrant() {
    return FakeOrgClients.refreshTokenGrant(org);
  }

  /** A token source for the refresh-token grant, with the production defaults otherwise. */
  CachingTokenSource.Builder tokens() {
    return FakeOrgClients.tokenSource(org);
  }

  /** A WebClient on the shared pool; responses of up to 16 MiB may be aggregated (a query page is ~0.3 MiB). */
  WebClient.Builder webClient() {
    return FakeOrgClients.webClient(pool).codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024));
  }

  FakeOrgStats stats() {
    return org.stats();
  }

  @Override
  public void close() {
    try {
      pool.disposeLater().block(Duration.ofSeconds(10));
    } finally {
      org.close();
    }
  }
}
