package io.forceflux.reactor.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Composite and Composite Batch against a fake org: one call, references, rollback, session death inside a 200. */
class CompositeTests extends SharedOrgTests {
  private static final Duration BOUND = Duration.ofSeconds(60);

  @BeforeEach
  void warmUp() {
    client.limits().block(BOUND); // the token is fetched here, not inside the measured calls
  }

  /** An Account, 23 Contacts referring to it, an Opportunity referring to it: 25 subrequests. */
  private static CompositeRequest.Builder accountWithContacts(String name) {
    CompositeRequest.Builder b = CompositeRequest.builder()
        .allOrNone(true)
        .create("acct", "Account", Map.of("Name", name));
    for (int i = 0; i < 23; i++) {
      b.create("contact" + i, "Contact", Map.of("LastName", name + " contact " + i, "AccountId", "@{acct.id}"));
    }
    return b.create("deal", "Opportunity", Map.of("Name", name + " deal", "AccountId", "@{acct.id}",
        "StageName", "Prospecting"));
  }

  @Test
  void twentyFiveSubrequestsCreateAnAccountItsContactsAndAnOpportunityInOneApiCall() {
    long before = org.stats().apiUsage();
    int contactsBefore = org.ledger("Contact").created();

    CompositeResult result = client.composite(accountWithContacts("Acme").build()).block(BOUND);

    assertThat(org.stats().apiUsage() - before).isEqualTo(1);
    assertThat(result.success()).isTrue();
    assertThat(result.rolledBack()).isFalse();
    assertThat(result.results()).hasSize(25).allSatisfy(r -> assertThat(r.status()).isEqualTo(201));
    String accountId = result.result("acct").orElseThrow().id();
    assertThat(org.record("Account", accountId).orElseThrow()).containsEntry("Name", "Acme");
    assertThat(org.ledger("Contact").created() - contactsBefore).isEqualTo(23);
    String contactId = result.result("contact7").orElseThrow().id();
    assertThat(org.record("Contact", contactId).orElseThrow()).containsEntry("AccountId", accountId);
    String dealId = result.result("deal").orElseThrow().id();
    assertThat(org.record("Opportunity", dealId).orElseThrow()).containsEntry("AccountId", accountId);
    assertThat(result.result("acct").orElseThrow().headers()).containsKey("Location");
  }

  @Test
  void withAllOrNoneOneFailingSubrequestRollsEverythingBackAndSaysWhich() {
    long accounts = org.count("Account");
    long contacts = org.count("Contact");
    long opportunities = org.count("Opportunity");
    CompositeRequest.Builder b = CompositeRequest.builder().allOrNone(true)
        .create("acct", "Account", Map.of("Name", "Doomed"));
    for (int i = 0; i < 22; i++) {
      b.create("contact" + i, "Contact", Map.of("LastName", "c" + i, "AccountId", "@{acct.id}"));
    }
    b.create("deal", "Opportunity", Map.of("Name", "d", "AccountId", "@{acct.id}"));
    b.create("nameless", "Account", Map.of("Industry", "Energy")); // Name is required

    CompositeResult result = client.composite(b.build()).block(BOUND);

    assertThat(result.success()).isFalse();
    assertThat(result.rolledBack()).isTrue();
    assertThat(result.failures()).singleElement().satisfies(f -> {
      assertThat(f.referenceId()).isEqualTo("nameless");
      assertThat(f.errors().get(0).errorCode()).isEqualTo("REQUIRED_FIELD_MISSING");
    });
    assertThat(result.results()).filteredOn(r -> !r.referenceId().equals("nameless"))
        .hasSize(24)
        .allSatisfy(r -> {
          assertThat(r.halted()).isTrue();
          assertThat(r.status()).isEqualTo(400);
        });
    assertThat(org.count("Account")).isEqualTo(accounts);
    assertThat(org.count("Contact")).isEqualTo(contacts);
    assertThat(org.count("Opportunity")).isEqualTo(opportunities);
  }

  @Test
  void withoutAllOrNoneOnlyTheSubrequestsDependingOnAFailureAreSkipped() {
    CompositeRequest request = CompositeRequest.builder()
        .create("bad", "Account", Map.of("Industry", "Energy"))
        .create("child", "Contact", Map.of("LastName", "orphan", "AccountId", "@{bad.id}"))
        .create("good", "Account", Map.of("Name", "Independent"))
        .build();

    CompositeResult result = client.composite(request).block(BOUND);

    assertThat(result.rolledBack()).isFalse();
    assertThat(result.result("bad").orElseThrow().errors().get(0).errorCode()).isEqualTo("REQUIRED_FIELD_MISSING");
    assertThat(result.result("child").orElseThrow().halted()).isTrue();
    assertThat(result.result("good").orElseThrow().success()).isTrue();
  }

  @Test
  void referencesAndLimitsAreCheckedWhenBuiltSoTheyCostNoCall() {
    assertThatThrownBy(() -> CompositeRequest.builder()
        .create("contact", "Contact", Map.of("AccountId", "@{acct.id}"))
        .create("acct", "Account", Map.of("Name", "late")).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("@{acct.id}");
    CompositeRequest.Builder tooMany = CompositeRequest.builder();
    for (int i = 0; i < 26; i++) {
      tooMany.get("r" + i, "Account", "001000000000001AAA");
    }
    assertThatThrownBy(tooMany::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("26");
    CompositeRequest.Builder queries = CompositeRequest.builder();
    for (int i = 0; i < 6; i++) {
      queries.query("q" + i, "SELECT Id FROM Account");
    }
    assertThatThrownBy(queries::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("5");
    assertThatThrownBy(() -> CompositeRequest.builder().get("a-b", "Account", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CompositeRequest.builder().get("a", "Account", "x").get("a", "Account", "y").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("twice");
  }

  @Test
  void aQueryResultCanBeReferencedByALaterSubrequest() {
    CompositeRequest request = CompositeRequest.builder()
        .query("found", "SELECT Id, Name FROM Account LIMIT 1")
        .update("renamed", "Account", "@{found.records[0].Id}", Map.of("Name", "Renamed by reference"))
        .build();

    CompositeResult result = client.composite(request).block(BOUND);

    assertThat(result.success()).isTrue();
    String id = result.result("found").orElseThrow().body().get("records").get(0).get("Id").stringValue();
    assertThat(org.record("Account", id).orElseThrow()).containsEntry("Name", "Renamed by reference");
  }

  @Test
  void aSessionThatDiesInsideAnAllOrNoneCallIsRefreshedAndTheWholeCallReplayedOnce() {
    org.resetStats();
    int created = org.ledger("Account").created();
    org.sessionDiesInComposite(3);

    CompositeResult result = client.composite(accountWithContacts("Replayed").build()).block(BOUND);

    assertThat(result.success()).isTrue();
    assertThat(org.ledger("Account").created() - created).isEqualTo(1);
    assertThat(org.stats().tokenRequests()).isEqualTo(1);
  }

  @Test
  void aSessionThatDiesAfterSomeSubrequestsRanIsNotReplayedAndSaysWhichWereRefused() {
    int created = org.ledger("Account").created();
    org.sessionDiesInComposite(2);
    CompositeRequest request = CompositeRequest.builder()
        .create("a0", "Account", Map.of("Name", "ran 0"))
        .create("a1", "Account", Map.of("Name", "ran 1"))
        .create("a2", "Account", Map.of("Name", "refused 2"))
        .create("a3", "Account", Map.of("Name", "refused 3"))
        .build();

    CompositeResult result = client.composite(request).block(BOUND);

    assertThat(org.ledger("Account").created() - created).isEqualTo(2);
    assertThat(result.result("a1").orElseThrow().success()).isTrue();
    assertThat(result.result("a2").orElseThrow().errors().get(0).errorCode()).isEqualTo("INVALID_SESSION_ID");
    assertThat(result.failures()).extracting(SubrequestResult::referenceId).containsExactly("a2", "a3");
  }

  @Test
  void aBatchCountsEachSubrequestAndHaltsOnError() {
    long before = org.stats().apiUsage();
    BatchRequest reads = BatchRequest.builder()
        .subrequest("GET", "/limits", null)
        .subrequest("GET", "/query?q=SELECT+Id+FROM+Account+LIMIT+1", null)
        .subrequest("POST", "/sobjects/Account", Map.of("Name", "batched"))
        .build();

    BatchResult ok = client.batch(reads).block(BOUND);

    assertThat(ok.hasErrors()).isFalse();
    assertThat(ok.results()).extracting(SubrequestResult::status).containsExactly(200, 200, 201);
    assertThat(org.stats().apiUsage() - before).isEqualTo(3);

    BatchRequest halting = BatchRequest.builder().haltOnError(true)
        .subrequest("POST", "/sobjects/Account", Map.of("Industry", "no name"))
        .subrequest("POST", "/sobjects/Account", Map.of("Name", "never created"))
        .build();
    BatchResult halted = client.batch(halting).block(BOUND);

    assertThat(halted.hasErrors()).isTrue();
    assertThat(halted.results().get(0).errors().get(0).errorCode()).isEqualTo("REQUIRED_FIELD_MISSING");
    assertThat(halted.results().get(1).status()).isEqualTo(412);
    assertThat(halted.results().get(1).halted()).isTrue();
  }
}
