package io.forceflux.reactor.testing;

import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.InstanceUrlPolicy;
import io.forceflux.core.auth.RefreshTokenGrant;
import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import java.net.URI;
import java.time.Duration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The one place that wires a ForceFlux client to a {@link FakeOrg}: the org's grants, an instance-URL policy that
 * trusts exactly the org's two loopback origins (its login URL and its My Domain URL), token sources, clients and
 * WebClients on a given pool. Module tests, benchmarks and the CLI's {@code --sim} and {@code demo} build on it and
 * add only what is theirs (leak guards, lifted limits, listeners).
 *
 * <pre>{@code
 * try (FakeOrg org = FakeOrg.builder().accounts(1_000).build().start()) {
 *   SalesforceClient client = FakeOrgClients.client(org).build();
 *   long n = client.query("SELECT Id FROM Account").count().block(Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p>Nothing here starts or stops the org or disposes a pool: the caller owns both.
 */
public final class FakeOrgClients {
  /**
   * The response timeout of {@link #webClient(ConnectionProvider)}: 60 seconds. Generous, because a loopback org
   * shares the CPU with the client and, in load tests, with thousands of requests in flight; a test bounds its
   * own waits.
   */
  public static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);

  private FakeOrgClients() {
  }

  /** Which OAuth grant authenticates against the fake org. */
  public enum GrantType {
    /** {@link Grant#refreshToken}, with the org's connected app and refresh token. */
    REFRESH_TOKEN,
    /** {@link Grant#jwtBearer}, signed with the org's private key for its user. */
    JWT_BEARER,
    /** {@link Grant#password}, with the user's password and security token. */
    PASSWORD
  }

  /** Trusts the org's login and My Domain origins, and nothing else. */
  public static InstanceUrlPolicy instanceUrlPolicy(FakeOrg org) {
    return InstanceUrlPolicy.allowing(org.myDomainUrl(), org.loginUrl());
  }

  /** The org's refresh-token grant, the one most tests and every benchmark use. */
  public static RefreshTokenGrant refreshTokenGrant(FakeOrg org) {
    Credentials c = org.credentials();
    return Grant.refreshToken(URI.create(org.loginUrl()), c.clientId(), c.clientSecret(), c.refreshToken());
  }

  /** A grant of the given type with the org's credentials, sent to its login URL. */
  public static Grant grant(FakeOrg org, GrantType type) {
    Credentials c = org.credentials();
    URI login = URI.create(org.loginUrl());
    return switch (type) {
      case REFRESH_TOKEN -> refreshTokenGrant(org);
      case JWT_BEARER -> Grant.jwtBearer(login, c.clientId(), c.username(), c.privateKeyPem(), null);
      case PASSWORD -> Grant.password(login, c.clientId(), c.clientSecret(), c.username(), c.password(),
          c.securityToken());
    };
  }

  /** A token source builder for the refresh-token grant and the org's policy; defaults otherwise. */
  public static CachingTokenSource.Builder tokenSource(FakeOrg org) {
    return CachingTokenSource.builder(refreshTokenGrant(org)).instanceUrlPolicy(instanceUrlPolicy(org));
  }

  /**
   * A client builder for the refresh-token grant and the org's policy; defaults otherwise (including the
   * client's own connection pool, unless the caller sets a WebClient builder).
   */
  public static SalesforceClient.Builder client(FakeOrg org) {
    return SalesforceClient.builder().grant(refreshTokenGrant(org)).instanceUrlPolicy(instanceUrlPolicy(org));
  }

  /**
   * A WebClient builder on {@code pool} with {@link #RESPONSE_TIMEOUT}, without filters: add a session filter, or
   * pass it to {@link SalesforceClient.Builder#webClientBuilder}.
   */
  public static WebClient.Builder webClient(ConnectionProvider pool) {
    HttpClient http = HttpClient.create(pool).responseTimeout(RESPONSE_TIMEOUT);
    return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http));
  }
}
