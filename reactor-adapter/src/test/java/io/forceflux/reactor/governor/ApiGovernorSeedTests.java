package io.forceflux.reactor.governor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forceflux.core.error.ApiLimitException;
import io.forceflux.core.error.LimitInfo;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.testkit.Fault;
import io.forceflux.testkit.FaultTarget;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** The governor's view seeded by one {@code GET /limits} before its first request. */
class ApiGovernorSeedTests extends GovernedOrgTests {
  private static final Duration BOUND = Duration.ofSeconds(60);

  @Test
  void aFreshClientOfAnOrgAlreadyInTheReserveRefusesItsFirstOrdinaryCallAfterTheSeed() {
    org.dailyApiLimit(10_000);
    org.apiUsage(9_600);
    ApiGovernor governor = ApiGovernor.builder().reserve(0.05).build();
    SalesforceClient client = client(governor);

    assertThatThrownBy(() -> client.describe("Account").block(BOUND))
        .isInstanceOfSatisfying(ApiLimitException.class,
            e -> assertThat(e.reason()).isEqualTo(ApiLimitException.Reason.DAILY_RESERVE));
    // The seed was the only call: the describe was refused before it was sent.
    assertThat(org.stats().apiUsage()).isEqualTo(9_601);
    assertThat(governor.usage()).contains(new LimitInfo(9_601, 10_000));

    assertThatThrownBy(() -> client.describe("Account").block(BOUND)).isInstanceOf(ApiLimitException.class);
    assertThat(ApiGovernor.critical(client.limits()).block(BOUND).dailyApiRequests().remaining()).isEqualTo(398);
    assertThat(org.stats().apiUsage()).isEqualTo(9_602);
  }

  @Test
  void requestsArrivingTogetherShareOneSeed() {
    org.dailyApiLimit(10_000);
    ApiGovernor governor = ApiGovernor.builder().maxInFlight(4).build();
    SalesforceClient client = client(governor);

    List<?> results = Flux.range(0, 50).flatMap(i -> client.describe("Account"), 50).collectList().block(BOUND);

    assertThat(results).hasSize(50);
    // 50 describes of one type: concurrent misses may each ask, but never more than 50, plus one seed.
    assertThat(org.stats().apiUsage()).isBetween(2L, 51L);
    long afterFirst = org.stats().apiUsage();
    client.limits().block(BOUND);
    assertThat(org.stats().apiUsage()).isEqualTo(afterFirst + 1);
  }

  @Test
  void exactlyOneSeedForManyClientsOfOneGovernor() {
    org.dailyApiLimit(10_000);
    ApiGovernor governor = ApiGovernor.builder().build();
    SalesforceClient first = client(governor);
    SalesforceClient second = client(governor);

    second.limits().block(BOUND);
    first.limits().block(BOUND);
    second.limits().block(BOUND);

    assertThat(org.stats().apiUsage()).isEqualTo(4);
  }

  @Test
  void aFailedSeedIsNotRetriedAndDoesNotBreakCalls() {
    org.dailyApiLimit(10_000);
    org.faults().next(1, FaultTarget.API, Fault.status(400,
        "[{\"errorCode\":\"UNKNOWN_EXCEPTION\",\"message\":\"seed refused\"}]", "application/json"));
    ApiGovernor governor = ApiGovernor.builder().build();
    SalesforceClient client = client(governor);

    for (int i = 0; i < 3; i++) {
      assertThat(client.limits().block(BOUND)).isNotNull();
    }

    assertThat(org.stats().faultsInjected()).isEqualTo(1);
    assertThat(org.stats().apiUsage()).isEqualTo(3);
    assertThat(governor.usage()).contains(new LimitInfo(3, 10_000));
  }

  @Test
  void withoutSeedingNoCallIsSpentOnIt() {
    org.dailyApiLimit(10_000);
    ApiGovernor governor = ApiGovernor.builder().seedOnStart(false).build();
    SalesforceClient client = client(governor);

    assertThat(governor.usage()).isEmpty();
    client.limits().block(BOUND);

    assertThat(org.stats().apiUsage()).isEqualTo(1);
    assertThat(governor.usage()).contains(new LimitInfo(1, 10_000));
  }
}
