package io.forceflux.reactor.client;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.GrantType;
import io.forceflux.core.event.SessionListener;
import io.forceflux.reactor.TestGuards;
import io.forceflux.reactor.TokenSource;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import reactor.core.publisher.Mono;

/**
 * Two scripted servers, started before and closed after each test: {@link #salesforce}, the origin the client's
 * token belongs to, and {@link #evil}, a foreign origin that must never see the token. The client holds one fixed
 * token, registered with the leak guard, that is never refreshed: these tests are about what the servers answer.
 */
public abstract class ScriptedServerTests {
  private final String token;
  protected MockWebServer salesforce;
  protected MockWebServer evil;

  protected ScriptedServerTests(String token) {
    this.token = token;
  }

  @BeforeEach
  protected void startServers() throws IOException {
    TestGuards.secret(token);
    salesforce = new MockWebServer();
    salesforce.start();
    evil = new MockWebServer();
    evil.start();
  }

  @AfterEach
  protected void stopServers() {
    salesforce.close();
    evil.close();
  }

  /** A builder for a client of {@link #salesforce} with the fixed token, API 67.0 and no listener. */
  protected SalesforceClient.Builder fixedTokenClient() {
    AccessToken fixed = AccessToken.of(token, URI.create(salesforce.url("/").toString()), Instant.now(),
        GrantType.REFRESH_TOKEN);
    TokenSource tokens = new TokenSource() {
      @Override
      public Mono<AccessToken> token() {
        return Mono.just(fixed);
      }

      @Override
      public void invalidate(AccessToken rejected) {
        // one fixed token: nothing to drop
      }
    };
    return SalesforceClient.builder().tokenSource(tokens).apiVersion("67.0").listener(SessionListener.NONE);
  }
}
