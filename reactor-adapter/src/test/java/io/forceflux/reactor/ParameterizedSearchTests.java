package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forceflux.core.error.SalesforceException;
import io.forceflux.reactor.client.ParameterizedSearch;
import io.forceflux.reactor.client.SharedOrgTests;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** Parameterised search ({@code POST /parameterizedSearch}) through the client, typed like SOSL search. */
class ParameterizedSearchTests extends SharedOrgTests {
  private static final Duration BOUND = Duration.ofSeconds(60);

  private static List<String> accountIds;

  record Hit(String id, String name) {}

  @BeforeAll
  static void start() {
    accountIds = client.createAll("Account", Flux.just(Map.of("Name", "Pelican Air"), Map.of("Name", "Tern Ltd"),
            Map.of("Name", "pelican bay resort"), Map.of("Name", "Pelican Tools")), false)
        .map(r -> r.id()).collectList().block(BOUND);
    client.createAll("Contact", Flux.just(Map.of("Name", "Pat Pelican")), false).blockLast(BOUND);
  }

  @Test
  void findsRecordsOfTheNamedTypesWithTheirFieldsAndLimitsInOneCall() {
    long before = org.stats().apiUsage();

    List<Hit> hits = client.search(ParameterizedSearch.builder("pelican")
        .sobject("Account", 2, "Id", "Name")
        .sobject("Contact", 10, "Id", "Name")
        .build(), Hit.class).collectList().block(BOUND);

    assertThat(hits).extracting(Hit::name).containsExactly("Pelican Air", "pelican bay resort", "Pat Pelican");
    assertThat(hits.get(0).id()).isEqualTo(accountIds.get(0));
    assertThat(org.stats().apiUsage() - before).isEqualTo(1);
  }

  @Test
  void theOverallLimitAndTheSearchWideFieldsAreSent() {
    List<Hit> hits = client.search(ParameterizedSearch.builder("PELICAN").fields("Id", "Name")
        .sobject("Account").sobject("Contact").overallLimit(2).build(), Hit.class).collectList().block(BOUND);

    assertThat(hits).containsExactly(new Hit(accountIds.get(0), "Pelican Air"),
        new Hit(accountIds.get(2), "pelican bay resort"));
  }

  @Test
  void nothingFoundCompletesEmpty() {
    assertThat(client.search(ParameterizedSearch.builder("albatross").sobject("Account", 5, "Id", "Name").build(),
        Hit.class).collectList().block(BOUND)).isEmpty();
  }

  @Test
  void anOrgRefusalIsATypedError() {
    assertThatThrownBy(() -> client.search(ParameterizedSearch.builder("pelican").sobject("Gull").build(),
        Hit.class).blockLast(BOUND))
        .isInstanceOfSatisfying(SalesforceException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.errorCode()).isEqualTo("INVALID_TYPE");
        });
  }

  @Test
  void aSearchSalesforceWouldRefuseForItsShapeIsRefusedBeforeAnyCall() {
    long before = org.stats().apiUsage();
    List<Runnable> bad = List.of(
        () -> ParameterizedSearch.builder(" ").build(),
        () -> ParameterizedSearch.builder("x".repeat(10_001)).build(),
        () -> ParameterizedSearch.builder("acme").sobject("Account", 0, "Id").build(),
        () -> ParameterizedSearch.builder("acme").sobject("Account", 2001, "Id").build(),
        () -> ParameterizedSearch.builder("acme").overallLimit(2001).build(),
        () -> ParameterizedSearch.builder("acme").fields("Id; DELETE").build(),
        () -> ParameterizedSearch.builder("acme").sobject("Account/../x").build(),
        () -> ParameterizedSearch.builder("acme").sobject("Account").sobject("account").build());
    for (Runnable r : bad) {
      assertThatThrownBy(r::run).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(ParameterizedSearch.builder("acme").fields("Owner.Name").build().fields()).containsExactly(
        "Owner.Name");
    assertThat(org.stats().apiUsage()).isEqualTo(before);
  }
}
