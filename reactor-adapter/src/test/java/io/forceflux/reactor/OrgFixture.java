package io.forceflux.reactor;

import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.InstanceUrlPolicy;
import io.forceflux.core.event.SessionEvent;
import io.forceflux.core.event.SessionListener;
import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** Wiring shared by the tests that run ForceFlux against a {@link FakeOrg}. */
final class OrgFixture {
  /** Enough connections for 10,000 requests in flight on one loopback host; the rest queue. */
  static final ConnectionProvider POOL = ConnectionProvider.builder("forceflux-tests")
      .maxConnections(500)
      .pendingAcquireMaxCount(-1)
      .pendingAcquireTimeout(Duration.ofSeconds(60))
      .build();

  final FakeOrg org;
  final List<SessionEvent> events = new CopyOnWriteArrayList<>();

  OrgFixture(FakeOrg org) {
    this.org = org;
    Credentials c = org.credentials();
    TestGuards.secret(c.clientSecret());
    TestGuards.secret(c.password());
    TestGuards.secret(c.securityToken());
    TestGuards.secret(c.refreshToken());
  }

  SessionListener listener() {
    return events::add;
  }

  InstanceUrlPolicy policy() {
    return InstanceUrlPolicy.allowing(org.myDomainUrl(), org.loginUrl());
  }

  Grant refreshGrant() {
    Credentials c = org.credentials();
    return Grant.refreshToken(URI.create(org.loginUrl()), c.clientId(), c.clientSecret(), c.refreshToken());
  }

  CachingTokenSource.Builder tokens() {
    return CachingTokenSource.builder(refreshGrant())
        .instanceUrlPolicy(policy())
        .listener(listener());
  }

  static WebClient.Builder webClient() {
    HttpClient http = HttpClient.create(POOL).responseTimeout(Duration.ofSeconds(30));
    return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http));
  }

  WebClient salesforce(TokenSource tokens) {
    return webClient()
        .filter(SessionRecoveryFilter.builder(tokens).listener(listener()).build())
        .build();
  }

  long replays() {
    return events.stream().filter(SessionEvent.RequestReplayed.class::isInstance).count();
  }
}
