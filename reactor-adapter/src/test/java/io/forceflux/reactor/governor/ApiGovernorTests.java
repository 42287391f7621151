package io.forceflux.reactor.governor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.error.ApiLimitException;
import io.forceflux.core.error.LimitInfo;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.reactor.client.TestClients;
import io.forceflux.testkit.Fault;
import io.forceflux.testkit.FaultTarget;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The org-limit governor against a fake org that enforces its daily allowance and long-running request limit. */
class ApiGovernorTests extends GovernedOrgTests {
  private static final Duration BOUND = Duration.ofSeconds(120);

  /** Runs {@code n} calls with {@code concurrency} in flight; the outcome of each: "ok" or the error's kind. */
  private static Map<String, Long> run(int n, int concurrency, Function<Integer, Mono<?>> call) {
    return run(n, concurrency, call, BOUND);
  }

  private static Map<String, Long> run(int n, int concurrency, Function<Integer, Mono<?>> call, Duration bound) {
    List<String> outcomes = Flux.range(0, n)
        .flatMap(i -> call.apply(i).thenReturn("ok").onErrorResume(e -> Mono.just(
            e instanceof ApiLimitException a ? a.reason().name() : e.getClass().getSimpleName() + ":"
                + e.getMessage())), concurrency)
        .collectList()
        .block(bound);
    return outcomes.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  @Test
  void spendsExactlyTheAllowanceUpToTheReserveAndRefusesTheRestWithoutAskingTheOrg() {
    org.dailyApiLimit(10_000);
    ApiGovernor governor = ApiGovernor.builder().reserve(0.05).maxInFlight(512).build();
    SalesforceClient client = client(governor);

    Map<String, Long> outcomes = run(20_000, 512, i -> client.limits());

    assertThat(outcomes).containsOnlyKeys("ok", "DAILY_RESERVE");
    // One of the 9,500 calls is the governor's own GET /limits that seeds its view.
    assertThat(outcomes.get("ok")).isEqualTo(9_499L);
    assertThat(outcomes.get("DAILY_RESERVE")).isEqualTo(10_501L);
    assertThat(org.stats().apiUsage()).isEqualTo(9_500L);
    assertThat(governor.usage()).contains(new LimitInfo(9_500, 10_000));
    assertThat(governor.refused()).isEqualTo(10_501L);
    assertThat(governor.inFlight()).isZero();
  }

  @Test
  void criticalCallsMaySpendTheReserveButNeverTheLastCall() {
    org.dailyApiLimit(100);
    ApiGovernor governor = ApiGovernor.builder().reserve(0.1).maxInFlight(1).build();
    SalesforceClient client = client(governor);

    Map<String, Long> ordinary = run(200, 1, i -> client.limits());
    Map<String, Long> critical = run(20, 1, i -> ApiGovernor.critical(client.limits()));

    // The seed is the ninetieth ordinary call.
    assertThat(ordinary).containsEntry("ok", 89L).containsEntry("DAILY_RESERVE", 111L);
    assertThat(critical).containsEntry("ok", 10L).containsEntry("DAILY_RESERVE", 10L);
    assertThat(org.stats().apiUsage()).isEqualTo(100L);
  }

  @Test
  void capsRequestsInFlightSoTheOrgNeverSeesMoreThanTwentyAndNoneFails() {
    // Any request beyond 20 running for 5 ms or more at once would be refused by the org.
    org.concurrentLongRunningLimit(20, Duration.ofMillis(5));
    org.faults().next(5_000, FaultTarget.API, Fault.latency(Duration.ofMillis(10)));
    // The last of 5,000 queued requests waits for nearly the whole run: on a loaded machine that is minutes.
    ApiGovernor governor = ApiGovernor.builder().maxInFlight(20).maxWait(Duration.ofMinutes(10)).build();
    SalesforceClient client = client(governor);

    Map<String, Long> outcomes = run(5_000, 5_000, i -> client.limits(), Duration.ofMinutes(10));

    assertThat(outcomes).containsExactly(Map.entry("ok", 5_000L));
    assertThat(org.maxConcurrentApiRequests()).isEqualTo(20);
    assertThat(org.longRunningRejections()).isZero();
    assertThat(governor.inFlight()).isZero();
    assertThat(governor.queued()).isZero();
  }

  @Test
  void withoutTheGovernorTheOrgRefusesLongRunningRequestsAndNoRefreshFollows() {
    org.concurrentLongRunningLimit(20, Duration.ofMillis(5));
    org.faults().next(200, FaultTarget.API, Fault.latency(Duration.ofMillis(100)));
    SalesforceClient client = TestClients.builder(org).apiVersion("67.0").build();

    Map<String, Long> outcomes = run(200, 200, i -> client.limits());

    assertThat(outcomes.get("ORG_REJECTED")).isPositive();
    assertThat(org.longRunningRejections()).isEqualTo(outcomes.get("ORG_REJECTED"));
    assertThat(org.stats().tokenRequests()).isEqualTo(1L);
  }
}
