package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.reactor.client.SaveResult;
import io.forceflux.reactor.client.SharedOrgTests;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** sObject Collections upsert, delete and retrieve: chunks of 200, results in input order, allOrNone per call. */
@SharedOrgTests.Accounts(100) // generated Accounts carry External_Id__c EXT-00000001 .. EXT-00000100
class SalesforceClientCollectionsTests extends SharedOrgTests {
  private static final Duration BOUND = Duration.ofSeconds(120);

  record Account(String id, String name) {}

  private static String ext(int i) {
    return String.format("EXT-%08d", i);
  }

  @Test
  void tenThousandAndOneUpsertsTakeFiftyOneCallsWithResultsInInputOrder() {
    client.limits().block(BOUND);
    long before = org.stats().apiUsage();
    // 1..100 exist (updated), 101..10,101 do not (created).
    Flux<Map<String, Object>> records = Flux.range(1, 10_001)
        .map(i -> Map.of("External_Id__c", ext(i), "Name", "Upserted " + i));

    List<SaveResult> results = client.upsertAll("Account", "External_Id__c", records, false).collectList()
        .block(BOUND);

    assertThat(org.stats().apiUsage() - before).isEqualTo(51);
    assertThat(results).hasSize(10_001).allSatisfy(r -> assertThat(r.success()).isTrue());
    for (int i = 0; i < results.size(); i++) {
      SaveResult r = results.get(i);
      assertThat(r.created()).as("created flag of record %d", i + 1).isEqualTo(i >= 100);
      assertThat(org.record("Account", r.id()).orElseThrow())
          .containsEntry("External_Id__c", ext(i + 1))
          .containsEntry("Name", "Upserted " + (i + 1));
    }
  }

  @Test
  void anUpsertCallWithAllOrNoneRollsBackAsAWholeAndLaterCallsStillRun() {
    long count = org.count("Account");
    Flux<Map<String, Object>> records = Flux.range(0, 201).map(i -> i == 5
        ? Map.<String, Object>of("External_Id__c", "AON-" + i, "Name", "")
        : Map.<String, Object>of("External_Id__c", "AON-" + i, "Name", "ok " + i));

    List<SaveResult> results = client.upsertAll("Account", "External_Id__c", records, true).collectList()
        .block(BOUND);

    assertThat(results.get(5).errors().get(0).errorCode()).isEqualTo("REQUIRED_FIELD_MISSING");
    assertThat(results.subList(0, 200)).filteredOn(r -> r != results.get(5))
        .allSatisfy(r -> assertThat(r.errors().get(0).errorCode()).isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK"));
    assertThat(results.get(200).success()).isTrue();
    assertThat(org.count("Account")).isEqualTo(count + 1);
  }

  @Test
  void anUpsertRecordWithoutItsExternalIdIsRefusedBeforeAnythingIsSent() {
    StepVerifier.create(client.upsertAll("Account", "External_Id__c", Flux.just(Map.of("Name", "no key")), false))
        .expectError(IllegalArgumentException.class)
        .verify(BOUND);
  }

  @Test
  void retrievesRecordsInInputOrderWithAGapForAMissingOne() {
    List<String> ids = client.createAll("Account", Flux.range(0, 3).map(i -> Map.of("Name", "Read " + i)), false)
        .map(SaveResult::id).collectList().block(BOUND);
    String missing = "001000000000000AAA";

    List<Optional<Account>> read = client.retrieveAll("Account",
        Flux.just(ids.get(2), missing, ids.get(0), ids.get(1)), Account.class, "Id", "Name").collectList()
        .block(BOUND);

    assertThat(read).hasSize(4);
    assertThat(read.get(0)).contains(new Account(ids.get(2), "Read 2"));
    assertThat(read.get(1)).isEmpty();
    assertThat(read.get(2)).contains(new Account(ids.get(0), "Read 0"));
    assertThat(read.get(3)).contains(new Account(ids.get(1), "Read 1"));
  }

  @Test
  void deletesInInputOrderAndAllOrNoneKeepsEveryRecordWhenOneCannotBeDeleted() {
    List<String> ids = client.createAll("Account", Flux.range(0, 250).map(i -> Map.of("Name", "Del " + i)), false)
        .map(SaveResult::id).collectList().block(BOUND);
    long count = org.count("Account");
    String unknown = "001000000000000AAA";

    List<SaveResult> refused = client.deleteAll(Flux.just(ids.get(0), unknown, ids.get(1)), true).collectList()
        .block(BOUND);

    assertThat(refused).extracting(SaveResult::success).containsExactly(false, false, false);
    assertThat(refused.get(1).errors().get(0).errorCode()).isEqualTo("INVALID_CROSS_REFERENCE_KEY");
    assertThat(refused.get(0).errors().get(0).errorCode()).isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
    assertThat(org.count("Account")).isEqualTo(count);

    List<SaveResult> deleted = client.deleteAll(Flux.fromIterable(ids), true).collectList().block(BOUND);

    assertThat(deleted).extracting(SaveResult::id).containsExactlyElementsOf(ids);
    assertThat(deleted).allSatisfy(r -> assertThat(r.success()).isTrue());
    assertThat(org.count("Account")).isEqualTo(count - 250);
  }
}
