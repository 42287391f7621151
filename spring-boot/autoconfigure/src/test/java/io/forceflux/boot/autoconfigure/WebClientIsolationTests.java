package io.forceflux.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.testkit.FakeOrg;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.reactive.function.client.WebClient;

/** The Salesforce token goes to the instance origin through the Salesforce WebClient, and nowhere else. */
class WebClientIsolationTests {
  private static final Duration BOUND = Duration.ofSeconds(30);

  private FakeOrg org;
  private MockWebServer elsewhere;

  @BeforeEach
  void start() throws Exception {
    org = FakeOrg.builder().accounts(1).build().start();
    elsewhere = new MockWebServer();
    elsewhere.start();
  }

  @AfterEach
  void stop() {
    org.close();
    elsewhere.close();
  }

  private RecordedRequest get(WebClient client) throws InterruptedException {
    elsewhere.enqueue(new MockResponse.Builder().code(200).body("ok").build());
    client.get().uri(elsewhere.url("/elsewhere").toString()).retrieve().bodyToMono(String.class).block(BOUND);
    RecordedRequest recorded = elsewhere.takeRequest(30, TimeUnit.SECONDS);
    assertThat(recorded).isNotNull();
    return recorded;
  }

  @Test
  void theApplicationsOtherWebClientsNeverCarryTheSalesforceToken() {
    Contexts.runner().withPropertyValues(Contexts.refreshToken(org)).run(context -> {
      context.getBean(SalesforceClient.class).limits().block(BOUND);
      String token = context.getBean(CachingTokenSource.class).cachedToken().value();

      WebClient fromBootsBuilder = context.getBean(WebClient.Builder.class).build();
      RecordedRequest plain = get(fromBootsBuilder);
      assertThat(plain.getHeaders().get("Authorization")).isNull();
      assertThat(plain.getHeaders().toString()).doesNotContain(token);

      WebClient salesforce = context.getBean("forcefluxWebClient", WebClient.class);
      RecordedRequest otherOrigin = get(salesforce);
      assertThat(otherOrigin.getHeaders().get("Authorization")).as("another origin gets no token").isNull();

      String limits = salesforce.get().uri("/services/data/v" + org.apiVersion() + "/limits").retrieve()
          .bodyToMono(String.class).block(BOUND);
      assertThat(limits).as("host-relative paths go to the instance, with the token").contains("DailyApiRequests");
    });
  }

  @Test
  void onlyAQualifiedInjectionPointGetsTheSalesforceWebClient() {
    Contexts.runner().withPropertyValues(Contexts.refreshToken(org)).withUserConfiguration(Injected.class)
        .run(context -> {
          Injected injected = context.getBean(Injected.class);
          assertThat(injected.salesforce).isSameAs(context.getBean("forcefluxWebClient"));
          assertThat(injected.plain.getIfAvailable()).as("an unqualified WebClient is not the Salesforce one").isNull();
        });
  }

  /** An application component asking for both. */
  static class Injected {
    final WebClient salesforce;
    final ObjectProvider<WebClient> plain;

    Injected(@ForceFluxWebClient WebClient salesforce, ObjectProvider<WebClient> plain) {
      this.salesforce = salesforce;
      this.plain = plain;
    }
  }
}
