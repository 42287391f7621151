package io.forceflux.examples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.FakeOrgStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The example service, configured only by properties, against an embedded fake org whose sessions die every 250 ms
 * (and, to be sure a death lands inside each burst, every few Salesforce responses).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccountsApplicationTests {
  private static final Duration BOUND = Duration.ofSeconds(120);
  private static final int ACCOUNTS = 10_000;
  private static final FakeOrg ORG = FakeOrg.builder().accounts(ACCOUNTS).build().start();
  private static final SessionKiller KILLER = new SessionKiller(ORG);
  private static final ConnectionProvider POOL = ConnectionProvider.builder("accounts-tests").maxConnections(1_000)
      .pendingAcquireMaxCount(-1).pendingAcquireTimeout(BOUND).build();

  @LocalServerPort
  int port;

  @DynamicPropertySource
  static void forceflux(DynamicPropertyRegistry registry) {
    Sim.register(ORG, registry);
    registry.add("forceflux.batch-size", () -> "200");
    // Sessions here die far more often than any org's do: allow a request as many replays as kills it can meet.
    registry.add("forceflux.recovery.max-attempts", () -> "12");
  }

  @AfterAll
  static void stop() {
    ORG.close();
    POOL.dispose();
  }

  private WebClient http() {
    return WebClient.builder().baseUrl("http://localhost:" + port)
        .clientConnector(new ReactorClientHttpConnector(HttpClient.create(POOL).responseTimeout(BOUND)))
        .codecs(c -> c.defaultCodecs().maxInMemorySize(1 << 20))
        .build();
  }

  @Test
  @Order(1)
  void streamsTenThousandAccountsEachOnceWhileSessionsExpire() {
    long expected = ORG.count("Account");
    FakeOrgStats before = ORG.stats();
    List<String> ids;
    // 50 pages of 200: every 10th page response kills the session the next page request will present.
    Disposable killing = KILLER.start("/query", 10, 1);
    try {
      ids = http().get().uri("/accounts").accept(MediaType.APPLICATION_NDJSON).retrieve()
          .bodyToFlux(Map.class)
          .map(account -> (String) account.get("id"))
          .collectList()
          .block(BOUND);
    } finally {
      killing.dispose();
    }
    FakeOrgStats after = ORG.stats();

    assertThat(expected).isEqualTo(ACCOUNTS);
    assertThat(ids).hasSize(ACCOUNTS).doesNotHaveDuplicates().isSorted();
    assertThat(after.sessionsExpired() - before.sessionsExpired()).as("sessions killed").isGreaterThanOrEqualTo(4);
    assertThat(after.unauthorized401() - before.unauthorized401()).as("page requests rejected, then replayed")
        .isGreaterThanOrEqualTo(4);
  }

  @Test
  @Order(2)
  void createsOneRecordPerRequestForAThousandConcurrentPostsWhileSessionsExpire() {
    long countBefore = ORG.count("Account");
    FakeOrgStats before = ORG.stats();
    WebClient http = http();
    List<Integer> statuses;
    // At most 10 kills (one per 100 successes): each request meets at most 10, within max-attempts 12.
    Disposable killing = KILLER.start("/sobjects/Account", 100, 100);
    try {
      statuses = Flux.range(0, 1_000)
          .flatMap(i -> http.post().uri("/accounts").contentType(MediaType.APPLICATION_JSON)
              .bodyValue(Map.of("name", "Concurrent-" + i))
              .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value())),
              1_000)
          .collectList()
          .block(BOUND);
    } finally {
      killing.dispose();
    }
    FakeOrgStats after = ORG.stats();

    assertThat(statuses).hasSize(1_000).containsOnly(201);
    assertThat(ORG.count("Account") - countBefore).isEqualTo(1_000);
    List<Object> names = ORG.records("Account").stream().map(r -> r.get("Name"))
        .filter(n -> String.valueOf(n).startsWith("Concurrent-")).toList();
    assertThat(names).hasSize(1_000).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 1_000).mapToObj(i -> "Concurrent-" + i).toList());
    assertThat(after.recordsCreated() - before.recordsCreated()).as("no write ran twice").isEqualTo(1_000);
    assertThat(after.unauthorized401() - before.unauthorized401()).as("writes rejected, then replayed")
        .isPositive();
  }

  /** The session killer's hook into the application's WebClients. */
  @TestConfiguration
  static class Sim {
    @Bean
    WebClientCustomizer sessionKiller() {
      return KILLER.customizer();
    }

    static void register(FakeOrg org, DynamicPropertyRegistry registry) {
      Credentials c = org.credentials();
      registry.add("forceflux.login-url", org::loginUrl);
      registry.add("forceflux.allowed-instance-origins", () -> org.loginUrl() + "," + org.myDomainUrl());
      registry.add("forceflux.grant.type", () -> "refresh-token");
      registry.add("forceflux.grant.client-id", c::clientId);
      registry.add("forceflux.grant.client-secret", c::clientSecret);
      registry.add("forceflux.grant.refresh-token", c::refreshToken);
      registry.add("forceflux.api-version", org::apiVersion);
    }
  }
}
