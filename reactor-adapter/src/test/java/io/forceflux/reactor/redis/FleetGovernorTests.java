package io.forceflux.reactor.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.error.ApiLimitException;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.reactor.client.TestClients;
import io.forceflux.reactor.governor.ApiGovernor;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Governors of one credential in several "processes" sharing their usage count through a real Redis. */
class FleetGovernorTests {
  private static final Duration BOUND = Duration.ofSeconds(180);

  private static FakeOrg org;
  private static RedisServer redis;
  private final List<RedisApiUsage> counts = new ArrayList<>();

  @BeforeAll
  static void start() {
    org = FakeOrg.builder().accounts(10).build().start();
    redis = RedisServer.start();
  }

  @AfterAll
  static void stop() {
    org.close();
    redis.close();
  }

  @BeforeEach
  void reset() {
    org.resetControls();
    org.resetStats();
  }

  @AfterEach
  void closeCounts() {
    counts.forEach(RedisApiUsage::close);
  }

  /** One replica: its own shared-count client, governor and Salesforce client, as in its own process. */
  private SalesforceClient replica(String credential, RedisServer server, int maxInFlight) {
    RedisApiUsage count = RedisApiUsage.builder(server.uri(), credential).build();
    counts.add(count);
    ApiGovernor governor = ApiGovernor.builder().reserve(0.05).maxInFlight(maxInFlight).sharedUsage(count).build();
    return TestClients.builder(org).apiVersion("67.0").governor(governor).build();
  }

  private static Map<String, Long> outcomes(Flux<Mono<?>> calls, int concurrency) {
    return calls.flatMap(call -> call.thenReturn("ok").onErrorResume(e -> Mono.just(
            e instanceof ApiLimitException a ? a.reason().name() : e.getClass().getSimpleName())), concurrency)
        .collectList().block(BOUND)
        .stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  @Test
  void threeReplicasTogetherSpendExactlyUpToTheReserveAndRefuseTheRestWithoutAskingTheOrg() {
    org.dailyApiLimit(10_000);
    String credential = "fleet|" + UUID.randomUUID();
    List<SalesforceClient> fleet = List.of(replica(credential, redis, 170), replica(credential, redis, 170),
        replica(credential, redis, 170));

    Map<String, Long> outcomes = outcomes(Flux.range(0, 20_000).map(i -> fleet.get(i % 3).limits()), 510);

    // Each replica's first call waited for its own GET /limits seed: 3 of the 9,500 calls.
    assertThat(outcomes).containsOnlyKeys("ok", "DAILY_RESERVE");
    assertThat(outcomes.get("ok")).isEqualTo(9_497L);
    assertThat(outcomes.get("DAILY_RESERVE")).isEqualTo(10_503L);
    assertThat(org.stats().apiUsage()).isEqualTo(9_500L);
  }

  @Test
  void aRedisOutageDoesNotStopCallsAndTheLocalViewStillKeepsTheReserve() {
    org.dailyApiLimit(10_000);
    try (RedisServer own = RedisServer.start()) {
      SalesforceClient client = replica("outage|" + UUID.randomUUID(), own, 20);
      assertThat(outcomes(Flux.range(0, 10).map(i -> client.limits()), 4)).containsExactly(Map.entry("ok", 10L));

      own.kill();
      assertThat(outcomes(Flux.range(0, 20).map(i -> client.limits()), 4)).containsExactly(Map.entry("ok", 20L));

      // Other processes spent nearly everything meanwhile: the responses tell this one, which stops at 95%.
      org.apiUsage(9_490);
      Map<String, Long> tail = outcomes(Flux.range(0, 30).map(i -> client.limits()), 1);
      assertThat(tail).containsOnlyKeys("ok", "DAILY_RESERVE");
      assertThat(org.stats().apiUsage()).isEqualTo(9_500L);
    }
  }
}
