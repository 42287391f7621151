package io.forceflux.benchmarks;

import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.InstanceUrlPolicy;
import io.forceflux.core.auth.RefreshTokenGrant;
import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.FakeOrgStats;
import java.net.URI;
import java.time.Duration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * A {@link FakeOrg} on loopback plus the client wiring every benchmark shares, as the integration tests wire it
 * ({@code OrgFixture}): a refresh-token grant, an instance-URL policy that trusts the org's two loopback origins,
 * and a connection pool sized for 10,000 requests in flight (500 connections, unbounded pending queue).
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
    this.pool = ConnectionProvider.builder("forceflux-benchmarks")
        .maxConnections(500)
        .pendingAcquireMaxCount(-1)
        .pendingAcquireTimeout(Duration.ofSeconds(60))
        .build();
  }

  /** Builds and starts an org from {@code builder}, with the API and login limits lifted. */
  static LoopbackOrg start(FakeOrg.Builder builder) {
    FakeOrg org = builder.dailyApiLimit(Long.MAX_VALUE).loginsPerHour(Integer.MAX_VALUE).build().start();
    return new LoopbackOrg(org);
  }

  InstanceUrlPolicy policy() {
    return InstanceUrlPolicy.allowing(org.myDomainUrl(), org.loginUrl());
  }

  RefreshTokenGrant refreshGrant() {
    Credentials c = org.credentials();
    return Grant.refreshToken(URI.create(org.loginUrl()), c.clientId(), c.clientSecret(), c.refreshToken());
  }

  /** A token source for the refresh-token grant, with the production defaults otherwise. */
  CachingTokenSource.Builder tokens() {
    return CachingTokenSource.builder(refreshGrant()).instanceUrlPolicy(policy());
  }

  /** A WebClient on the shared pool; responses of up to 16 MiB may be aggregated (a query page is ~0.3 MiB). */
  WebClient.Builder webClient() {
    HttpClient http = HttpClient.create(pool).responseTimeout(Duration.ofSeconds(60));
    return WebClient.builder()
        .clientConnector(new ReactorClientHttpConnector(http))
        .codecs(c -> c.defaultCodecs().maxInMemorySize(16 * 1024 * 1024));
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
