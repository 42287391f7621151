package io.forceflux.benchmarks;

import io.forceflux.testkit.Credentials;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.client.AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.RefreshTokenReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.RemoveAuthorizedClientReactiveOAuth2AuthorizationFailureHandler;
import org.springframework.security.oauth2.client.endpoint.AbstractOAuth2AuthorizationGrantRequest;
import org.springframework.security.oauth2.client.endpoint.ReactiveOAuth2AccessTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveRefreshTokenTokenResponseClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.reactive.function.client.ServerOAuth2AuthorizedClientExchangeFilterFunction;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Spring Security's reactive OAuth2 client (7.0) wired as its reference documentation recommends for a
 * WebClient outside a request: {@link ServerOAuth2AuthorizedClientExchangeFilterFunction} on an
 * {@link AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager} (in-memory registrations and authorized
 * clients), with {@link RemoveAuthorizedClientReactiveOAuth2AuthorizationFailureHandler} set on the filter so a
 * 401 evicts the authorized client (without it, the filter keeps sending the dead token forever).
 *
 * <p>What Spring Security does not do, and what was added to make the comparison fair:
 * <ul>
 *   <li>It never replays a request after a 401: it evicts the client and returns the 401. An outer filter retries
 *       a request once when it gets 401 ({@link #retryOnceOn401()}); the retry runs the Spring filter again, which
 *       obtains a new token.
 *   <li>Salesforce token responses have no {@code expires_in}; Spring then assumes the token expires one second
 *       after issue and, with its 60 s clock skew, treats it as expired at once, so every request would fetch a new
 *       token (spring-security #11968). The token response client is wrapped to set {@code expires_in} to the org's
 *       session timeout, the documented workaround.
 * </ul>
 *
 * <p>Two grants: {@link Grant#CLIENT_CREDENTIALS} at the org's My Domain token endpoint (the grant Spring can
 * re-run on its own after an eviction), and {@link Grant#REFRESH_TOKEN} at the login URL (a client authorized
 * once, refreshed by {@link RefreshTokenReactiveOAuth2AuthorizedClientProvider}). After a 401 evicts a
 * refresh-token client nothing is left to refresh, so that variant cannot recover by itself; the password
 * provider, the other grant that could, was removed in Spring Security 7.
 */
final class SpringSecurityPeer {
  enum Grant { CLIENT_CREDENTIALS, REFRESH_TOKEN }

  static final String REGISTRATION = "salesforce";
  /** The name {@code ServerOAuth2AuthorizedClientExchangeFilterFunction} gives the principal outside a request. */
  static final String ANONYMOUS = "anonymousUser";

  private final Grant grant;
  private final ClientRegistration registration;
  private final InMemoryReactiveOAuth2AuthorizedClientService clients;
  private final String refreshToken;
  final WebClient webClient;

  /** @param last a filter to run last, next to the wire */
  SpringSecurityPeer(LoopbackOrg org, Grant grant, ExchangeFilterFunction last) {
    this.grant = grant;
    Credentials c = org.org.credentials();
    this.refreshToken = c.refreshToken();
    WebClient tokenClient = org.webClient().build();
    Duration lifetime = org.org.sessionTimeout();
    ReactiveOAuth2AuthorizedClientProvider provider;
    if (grant == Grant.CLIENT_CREDENTIALS) {
      registration = ClientRegistration.withRegistrationId(REGISTRATION)
          .clientId(c.clientId())
          .clientSecret(c.clientSecret())
          .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
          .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
          .tokenUri(org.org.myDomainUrl() + "/services/oauth2/token")
          .build();
      WebClientReactiveClientCredentialsTokenResponseClient responses =
          new WebClientReactiveClientCredentialsTokenResponseClient();
      responses.setWebClient(tokenClient);
      ClientCredentialsReactiveOAuth2AuthorizedClientProvider cc =
          new ClientCredentialsReactiveOAuth2AuthorizedClientProvider();
      cc.setAccessTokenResponseClient(withExpiresIn(responses, lifetime));
      provider = cc;
    } else {
      registration = ClientRegistration.withRegistrationId(REGISTRATION)
          .clientId(c.clientId())
          .clientSecret(c.clientSecret())
          .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
          .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
          .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
          .authorizationUri(org.org.loginUrl() + "/services/oauth2/authorize")
          .tokenUri(org.org.loginUrl() + "/services/oauth2/token")
          .build();
      WebClientReactiveRefreshTokenTokenResponseClient responses =
          new WebClientReactiveRefreshTokenTokenResponseClient();
      responses.setWebClient(tokenClient);
      RefreshTokenReactiveOAuth2AuthorizedClientProvider rt = new RefreshTokenReactiveOAuth2AuthorizedClientProvider();
      rt.setAccessTokenResponseClient(withExpiresIn(responses, lifetime));
      provider = rt;
    }
    InMemoryReactiveClientRegistrationRepository registrations =
        new InMemoryReactiveClientRegistrationRepository(registration);
    clients = new InMemoryReactiveOAuth2AuthorizedClientService(registrations);
    AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager manager =
        new AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager(registrations, clients);
    manager.setAuthorizedClientProvider(provider);
    ServerOAuth2AuthorizedClientExchangeFilterFunction oauth = new ServerOAuth2AuthorizedClientExchangeFilterFunction(
        manager);
    oauth.setDefaultClientRegistrationId(REGISTRATION);
    oauth.setAuthorizationFailureHandler(new RemoveAuthorizedClientReactiveOAuth2AuthorizationFailureHandler(
        (registrationId, principal, attributes) -> clients.removeAuthorizedClient(registrationId,
            principal.getName())));
    webClient = org.webClient().filter(retryOnceOn401()).filter(oauth).filter(last).build();
  }

  /** The authorized client the filter uses now, or null when it was evicted. */
  @Nullable OAuth2AuthorizedClient current() {
    return clients.<OAuth2AuthorizedClient>loadAuthorizedClient(REGISTRATION, ANONYMOUS).block(LoopbackOrg.BOUND);
  }

  /**
   * For the refresh-token grant: saves an authorized client as an authorization-code login would have left it
   * (the org's refresh token, an access token already past its expiry), so the next request refreshes it.
   */
  void seedRefreshToken() {
    if (grant != Grant.REFRESH_TOKEN) {
      return;
    }
    Instant now = Instant.now();
    OAuth2AccessToken stale = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "stale",
        now.minus(Duration.ofHours(3)), now.minus(Duration.ofHours(1)));
    OAuth2AuthorizedClient seeded = new OAuth2AuthorizedClient(registration, ANONYMOUS, stale,
        new OAuth2RefreshToken(refreshToken, now.minus(Duration.ofHours(3))));
    clients.saveAuthorizedClient(seeded, UsernamePasswordAuthenticationToken.unauthenticated(ANONYMOUS, "n/a"))
        .block(LoopbackOrg.BOUND);
  }

  /** Replays a request once when it got 401: the replay goes through the Spring filter again. */
  static ExchangeFilterFunction retryOnceOn401() {
    return (request, next) -> next.exchange(request).flatMap(response -> response.statusCode().value() == 401
        ? response.releaseBody().then(next.exchange(request))
        : Mono.just(response));
  }

  private static <T extends AbstractOAuth2AuthorizationGrantRequest> ReactiveOAuth2AccessTokenResponseClient<T>
      withExpiresIn(ReactiveOAuth2AccessTokenResponseClient<T> client, Duration lifetime) {
    return request -> client.getTokenResponse(request)
        .map(response -> OAuth2AccessTokenResponse.withResponse(response).expiresIn(lifetime.toSeconds()).build());
  }
}
