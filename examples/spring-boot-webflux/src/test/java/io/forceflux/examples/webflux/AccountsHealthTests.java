package io.forceflux.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

/** The {@code forceflux} health component: UP while Salesforce answers, DOWN with cause and runbook once it cannot. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AccountsHealthTests {
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final FakeOrg ORG = FakeOrg.builder().accounts(50).build().start();

  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void forceflux(DynamicPropertyRegistry registry) {
    AccountsApplicationTests.Sim.register(ORG, registry);
  }

  @AfterAll
  static void stop() {
    ORG.close();
  }

  private WebClient http() {
    return WebClient.builder().baseUrl("http://localhost:" + port).build();
  }

  private Map<String, Object> health() {
    return http().get().uri("/actuator/health/forceflux").accept(MediaType.APPLICATION_JSON)
        .exchangeToMono(r -> r.bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() { }))
        .block(BOUND);
  }

  private String raw() {
    return http().get().uri("/actuator/health").exchangeToMono(r -> r.bodyToMono(String.class)).block(BOUND);
  }

  @Test
  @SuppressWarnings("unchecked")
  void isUpWhileSalesforceAnswersThenDownWithCauseAndRunbookOnceTheRefreshTokenIsRevoked() {
    long tokenRequests = ORG.stats().tokenRequests();
    assertThat(health()).containsEntry("status", "UP");
    assertThat(ORG.stats().tokenRequests()).as("health asks for no token").isEqualTo(tokenRequests);

    Long accounts = http().get().uri("/accounts").accept(MediaType.APPLICATION_NDJSON).retrieve()
        .bodyToFlux(Map.class).count().block(BOUND);
    assertThat(accounts).isEqualTo(50);
    Map<String, Object> up = health();
    assertThat(up).containsEntry("status", "UP");
    Map<String, Object> details = (Map<String, Object>) up.get("details");
    assertThat(details).containsEntry("circuit", "closed");
    assertThat((Map<String, Object>) details.get("token")).containsEntry("state", "cached")
        .containsEntry("grant", "REFRESH_TOKEN");
    assertThat((Map<String, Object>) details.get("apiUsage")).containsKeys("used", "max", "remaining");

    ORG.revokeRefreshTokens();
    Integer status = http().get().uri("/accounts").accept(MediaType.APPLICATION_NDJSON)
        .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())).block(BOUND);
    assertThat(status).isEqualTo(500);
    tokenRequests = ORG.stats().tokenRequests();

    Map<String, Object> down = health();
    assertThat(down).containsEntry("status", "DOWN");
    details = (Map<String, Object>) down.get("details");
    assertThat(details).containsEntry("circuit", "open").containsEntry("cause", "REFRESH_TOKEN_REVOKED");
    assertThat((String) details.get("runbook")).isNotBlank();
    assertThat(raw()).contains("\"DOWN\"");
    assertThat(ORG.stats().tokenRequests()).as("health asks for no token").isEqualTo(tokenRequests);
    Credentials c = ORG.credentials();
    assertThat(raw()).doesNotContain(c.clientSecret()).doesNotContain(c.refreshToken());
  }
}
