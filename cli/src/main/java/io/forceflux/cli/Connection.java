package io.forceflux.cli;

import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.InstanceUrlPolicy;
import io.forceflux.core.event.SessionListener;
import io.forceflux.core.recovery.RecoveryPolicy;
import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.reactor.TokenSource;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.reactor.internal.Codecs;
import io.forceflux.testkit.FakeOrg;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/**
 * Where a command connects and how it authenticates: from the environment, or to an embedded fake org that
 * {@link #close()} stops.
 *
 * @param grant how to obtain tokens
 * @param policy which instance URLs tokens may be sent to
 * @param loginUrl the token host
 * @param clientId the connected app's consumer key
 * @param clientSecret the consumer secret, or null when not configured (introspection is then skipped)
 * @param source where the credentials came from, for output (no secret in it)
 * @param org the embedded fake org, or null for a real org
 */
record Connection(
    Grant grant, InstanceUrlPolicy policy, URI loginUrl, String clientId, @Nullable String clientSecret,
    String source, @Nullable FakeOrg org) implements AutoCloseable {

  /**
   * Transient failures (503, connection resets, "token request is already being processed") are retried three
   * times within a few seconds: a command line should not sit through a minute of backoff before saying what is
   * wrong (exit 4).
   */
  private static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration API_TIMEOUT = Duration.ofMinutes(2);

  static final RecoveryPolicy RETRIES = RecoveryPolicy.builder()
      .maxAttempts(4).initialBackoff(Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(5)).build();

  /** A token source builder for this grant and policy; the caller adds listeners and retries. */
  CachingTokenSource.Builder tokenSource() {
    return CachingTokenSource.builder(grant).instanceUrlPolicy(policy);
  }

  /** The token source of the data commands ({@code query}, {@code bulk}): session events logged, {@link #RETRIES}. */
  CachingTokenSource commandTokens() {
    WebClient web = Codecs.rawBuilder().clientConnector(new ReactorClientHttpConnector(http(TOKEN_TIMEOUT))).build();
    return tokenSource().webClient(web).listener(SessionListener.logging()).recoveryPolicy(RETRIES).build();
  }

  /** A client builder on {@code tokens} for the data commands: session events logged, {@link #RETRIES}. */
  static SalesforceClient.Builder commandClient(TokenSource tokens) {
    return SalesforceClient.builder().tokenSource(tokens).httpClient(http(API_TIMEOUT).compress(true))
        .listener(SessionListener.logging()).recoveryPolicy(RETRIES);
  }

  /**
   * The HTTP client of the data commands, with the library's default timeouts, on Reactor Netty's shared pool (the
   * token request's connection serves the API calls when both go to one host). Host names are resolved by the JDK,
   * not by Netty's asynchronous DNS client, whose set-up cost a command making one or two connections some 25 ms of
   * start-up; a lookup then blocks an event loop, which costs a command line nothing.
   */
  static HttpClient http(Duration responseTimeout) {
    return HttpClient.create().resolver(DefaultAddressResolverGroup.INSTANCE).responseTimeout(responseTimeout)
        .followRedirect(false);
  }

  /**
   * Warns when the org rotated the refresh token from the environment (Refresh Token Rotation): that token is now
   * spent, and presenting it again would revoke its successor too. The new token is never printed.
   */
  void warnIfRotated(CachingTokenSource tokens, PrintWriter err, String command) {
    if (org == null && tokens.grant() != grant) {
      err.println(command + ": warning: this connected app rotates refresh tokens (Refresh Token Rotation), so the "
          + "one in SF_REFRESH_TOKEN was used up and will not work again (reusing it revokes its successor too). "
          + "ForceFlux never prints refresh tokens; for scripts use the JWT bearer flow (SF_USERNAME + "
          + "SF_PRIVATE_KEY).");
      err.flush();
    }
  }

  /** Names where and how, never the secret. */
  @Override
  public String toString() {
    return "Connection[" + loginUrl + ", " + source + "]";
  }

  @Override
  public void close() {
    if (org != null) {
      org.close();
    }
  }
}
