package io.forceflux.reactor;

import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.InstanceUrlPolicy;
import io.forceflux.core.event.SessionEvent;
import io.forceflux.core.event.SessionListener;
import io.forceflux.reactor.testing.FakeOrgClients;
import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * What this module's tests add to {@link FakeOrgClients} (which wires clients to a {@link FakeOrg}): the org's
 * secrets registered with the leak guard, the session events, and one shared pool.
 */
final class OrgFixture {
  /** Enough connections for 10,000 requests in flight on one loopback host; the rest queue. */
  static final ConnectionProvider POOL = ConnectionPools.queueing("forceflux-tests", 500);

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
    return FakeOrgClients.instanceUrlPolicy(org);
  }

  Grant refreshGrant() {
    return FakeOrgClients.refreshTokenGrant(org);
  }

  CachingTokenSource.Builder tokens() {
    return FakeOrgClients.tokenSource(org).listener(listener());
  }

  static WebClient.Builder webClient() {
    return FakeOrgClients.webClient(POOL);
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
