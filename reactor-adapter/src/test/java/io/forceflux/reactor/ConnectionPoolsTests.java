package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.reactor.testing.FakeOrgClients;
import io.forceflux.testkit.FakeOrg;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.netty.resources.ConnectionProvider;

class ConnectionPoolsTests {
  private static final Duration BOUND = Duration.ofSeconds(60);

  /** Reactor Netty's own default refuses requests beyond 2 × maxConnections waiting (here 9 wait); this queues them. */
  @Test
  void queuesRequestsFarBeyondItsConnectionsInsteadOfRefusingThem() {
    try (FakeOrg org = FakeOrg.builder().accounts(0).build().start()) {
      AccessToken token = FakeOrgClients.tokenSource(org).build().token().block(BOUND);
      // Disposed before the org stops: a server shutting down waits for open keep-alive connections.
      ConnectionProvider pool = ConnectionPools.queueing("connection-pools-tests", 1);
      try {
        WebClient web = FakeOrgClients.webClient(pool).build();

        Long ok = Flux.range(0, 10)
            .flatMap(i -> web.get().uri(token.instanceUrl() + "/services/data/")
                .headers(h -> h.setBearerAuth(token.value())).retrieve().toBodilessEntity(), 10)
            .count()
            .block(BOUND);

        assertThat(ok).isEqualTo(10L);
      } finally {
        pool.disposeLater().block(BOUND);
      }
    }
  }
}
