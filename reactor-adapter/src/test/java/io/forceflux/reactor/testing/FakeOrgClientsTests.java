package io.forceflux.reactor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.InstanceUrlPolicy;
import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.reactor.ConnectionPools;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.testkit.FakeOrg;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.resources.ConnectionProvider;

class FakeOrgClientsTests {
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final FakeOrg ORG = FakeOrg.builder().accounts(250).build().start();

  @AfterAll
  static void stop() {
    ORG.close();
  }

  @ParameterizedTest
  @EnumSource(FakeOrgClients.GrantType.class)
  void everyGrantTypeObtainsATokenForTheOrgsInstance(FakeOrgClients.GrantType type) {
    CachingTokenSource tokens = CachingTokenSource.builder(FakeOrgClients.grant(ORG, type))
        .instanceUrlPolicy(FakeOrgClients.instanceUrlPolicy(ORG)).build();

    AccessToken token = tokens.token().block(BOUND);

    assertThat(token).isNotNull();
    assertThat(token.instanceUrl()).isEqualTo(URI.create(ORG.instanceUrl()));
  }

  @Test
  void thePolicyTrustsTheOrgsOriginsAndNothingElse() {
    InstanceUrlPolicy policy = FakeOrgClients.instanceUrlPolicy(ORG);

    assertThat(policy.allows(URI.create(ORG.loginUrl() + "/services/oauth2/token"))).isTrue();
    assertThat(policy.allows(URI.create(ORG.myDomainUrl() + "/services/data"))).isTrue();
    assertThat(policy.allows(URI.create("https://attacker.example/services/data"))).isFalse();
  }

  @Test
  void theClientBuilderQueriesTheOrg() {
    SalesforceClient client = FakeOrgClients.client(ORG).build();

    assertThat(client.query("SELECT Id FROM Account").count().block(BOUND)).isEqualTo(250L);
  }

  @Test
  void theWebClientRunsOnTheGivenPool() {
    ConnectionProvider pool = ConnectionPools.queueing("fake-org-clients-tests", 2);
    try {
      AccessToken token = FakeOrgClients.tokenSource(ORG).build().token().block(BOUND);
      WebClient web = FakeOrgClients.webClient(pool).build();

      String body = web.get().uri(token.instanceUrl() + "/services/data/")
          .headers(h -> h.setBearerAuth(token.value())).retrieve().bodyToMono(String.class).block(BOUND);

      assertThat(body).contains("\"version\"");
      assertThat(pool.maxConnections()).isEqualTo(2);
    } finally {
      pool.disposeLater().block(BOUND);
    }
  }
}
