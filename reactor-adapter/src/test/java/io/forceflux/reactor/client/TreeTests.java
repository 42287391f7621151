package io.forceflux.reactor.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** sObject Tree: nested records in one call, all or nothing. */
class TreeTests extends SharedOrgTests {
  private static final Duration BOUND = Duration.ofSeconds(60);

  private static Map<String, Object> account(String ref, String name, String... contacts) {
    List<Map<String, Object>> children = java.util.Arrays.stream(contacts)
        .map(c -> Map.<String, Object>of("attributes", Map.of("type", "Contact", "referenceId", c), "LastName", c))
        .toList();
    return name == null ? Map.of("attributes", Map.of("type", "Account", "referenceId", ref),
        "Contacts", Map.of("records", children))
        : Map.of("attributes", Map.of("type", "Account", "referenceId", ref), "Name", name,
            "Contacts", Map.of("records", children));
  }

  @Test
  void createsAccountsWithTheirContactsInOneCall() {
    long before = org.stats().apiUsage();

    TreeResult result = client.tree("Account", List.of(account("acme", "Acme", "ann", "bob"),
        account("globex", "Globex", "cid"))).block(BOUND);

    assertThat(result.success()).isTrue();
    assertThat(result.ids()).containsOnlyKeys("acme", "ann", "bob", "globex", "cid");
    assertThat(org.record("Contact", result.ids().get("bob")).orElseThrow())
        .containsEntry("AccountId", result.ids().get("acme"));
    assertThat(org.stats().apiUsage() - before).isLessThanOrEqualTo(2); // the token call is not counted
  }

  @Test
  void aFailingRecordCreatesNothingAndIsNamed() {
    long accounts = org.count("Account");
    long contacts = org.count("Contact");

    TreeResult result = client.tree("Account", List.of(account("ok", "Fine", "dan"),
        account("broken", null, "eve"))).block(BOUND);

    assertThat(result.success()).isFalse();
    assertThat(result.ids()).isEmpty();
    assertThat(result.errors()).containsOnlyKeys("broken");
    assertThat(result.errors().get("broken").get(0).errorCode()).isEqualTo("REQUIRED_FIELD_MISSING");
    assertThat(org.count("Account")).isEqualTo(accounts);
    assertThat(org.count("Contact")).isEqualTo(contacts);
  }

  @Test
  void aRecordWithoutAReferenceIdIsRefusedBeforeAnythingIsSent() {
    assertThatThrownBy(() -> client.tree("Account", List.of(Map.of("attributes", Map.of("type", "Account"),
        "Name", "x")))).isInstanceOf(IllegalArgumentException.class);
  }
}
