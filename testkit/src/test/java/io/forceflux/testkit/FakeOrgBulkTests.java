package io.forceflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FakeOrgBulkTests extends ClockedOrgTests {


  private String url(String path) {
    return org.instanceUrl() + "/services/data/v67.0/jobs/" + path;
  }

  private Http.Response put(String path, String csv) {
    return Http.send("PUT", url(path), token, csv, "text/csv", new String[0]);
  }

  private String createIngest(String object, String operation) {
    Http.Response created = Http.postJson(url("ingest"), token, "{\"object\":\"" + object + "\",\"operation\":\""
        + operation + "\",\"externalIdFieldName\":\"External_Id__c\",\"contentType\":\"CSV\"}");
    assertThat(created.status()).isEqualTo(200);
    assertThat(created.json().get("state").stringValue()).isEqualTo("Open");
    String id = created.json().get("id").stringValue();
    assertThat(created.json().get("contentUrl").stringValue())
        .isEqualTo("services/data/v67.0/jobs/ingest/" + id + "/batches");
    return id;
  }

  private JsonNode info(String kind, String id) {
    return Http.get(url(kind + "/" + id), token).json();
  }

  @Test
  void ingestJobRunsOnTheClockAndReportsEveryRowOnce() {
    startSignedIn(b -> b.accounts(10).bulkRecordsPerSecond(2));
    String id = createIngest("Account", "insert");
    String longName = "x".repeat(256);
    assertThat(put("ingest/" + id + "/batches", "Name,Industry\nAcme,Energy\n,Retail\n" + longName
        + ",Media\n\"Quote \"\"Co\"\", Inc\",Banking\n").status()).isEqualTo(201);
    assertThat(put("ingest/" + id + "/batches", "Name\nSecond\n").status()).isEqualTo(409);
    assertThat(Http.patchJson(url("ingest/" + id), token, "{\"state\":\"UploadComplete\"}").status())
        .isEqualTo(200);

    clock.advance(Duration.ofMillis(1000));
    JsonNode running = info("ingest", id);
    assertThat(running.get("state").stringValue()).isEqualTo("InProgress");
    assertThat(running.get("numberRecordsProcessed").asInt()).isEqualTo(2);
    assertThat(Http.get(url("ingest/" + id + "/successfulResults"), token).status()).isEqualTo(409);

    clock.advance(Duration.ofMillis(1000));
    JsonNode done = info("ingest", id);
    assertThat(done.get("state").stringValue()).isEqualTo("JobComplete");
    assertThat(done.get("numberRecordsProcessed").asInt()).isEqualTo(4);
    assertThat(done.get("numberRecordsFailed").asInt()).isEqualTo(2);

    Http.Response ok = Http.get(url("ingest/" + id + "/successfulResults/"), token);
    assertThat(ok.header("Content-Type")).startsWith("text/csv");
    assertThat(ok.body()).startsWith("\"sf__Id\",\"sf__Created\",\"Name\",\"Industry\"\n")
        .contains("\"true\",\"Acme\",\"Energy\"").contains("\"Quote \"\"Co\"\", Inc\"");
    String failed = Http.get(url("ingest/" + id + "/failedResults/"), token).body();
    assertThat(failed).startsWith("\"sf__Id\",\"sf__Error\",\"Name\",\"Industry\"\n")
        .contains("REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --")
        .contains("STRING_TOO_LONG:");
    assertThat(Http.get(url("ingest/" + id + "/unprocessedrecords/"), token).body())
        .isEqualTo("\"Name\",\"Industry\"\n");
    assertThat(org.records("Account")).hasSize(2);
    assertThat(org.stats().bulkJobsCreated()).isEqualTo(1);
    assertThat(org.stats().bulkRequests()).isGreaterThanOrEqualTo(9);
  }

  @Test
  void updateDeleteAndUpsertReportMissingIdsPerRow() {
    startSignedIn(b -> b.accounts(10).bulkRecordsPerSecond(1_000_000));
    String gone = Ids.id("001", 3);
    org.ledger("Account");
    String del = createIngest("Account", "delete");
    put("ingest/" + del + "/batches", "Id\n" + gone + "\n");
    Http.patchJson(url("ingest/" + del), token, "{\"state\":\"UploadComplete\"}");
    clock.advance(Duration.ofSeconds(1));
    assertThat(info("ingest", del).get("state").stringValue()).isEqualTo("JobComplete");

    String upd = createIngest("Account", "update");
    put("ingest/" + upd + "/batches", "Id,Industry\n" + gone + ",Energy\n" + Ids.id("001", 999)
        + ",Energy\n" + Ids.id("001", 4) + ",Energy\n");
    Http.patchJson(url("ingest/" + upd), token, "{\"state\":\"UploadComplete\"}");
    clock.advance(Duration.ofSeconds(1));
    assertThat(Http.get(url("ingest/" + upd + "/failedResults"), token).body())
        .contains("ENTITY_IS_DELETED").contains("INVALID_CROSS_REFERENCE_KEY");
    assertThat(org.record("Account", Ids.id("001", 4)).orElseThrow()).containsEntry("Industry", "Energy");

    String ups = createIngest("Account", "upsert");
    put("ingest/" + ups + "/batches", "External_Id__c,Name\nEXT-00000005,Renamed\nNEW-1,Brand New\n");
    Http.patchJson(url("ingest/" + ups), token, "{\"state\":\"UploadComplete\"}");
    clock.advance(Duration.ofSeconds(1));
    String ok = Http.get(url("ingest/" + ups + "/successfulResults"), token).body();
    assertThat(ok).contains("\"" + Ids.id("001", 5) + "\",\"false\"").contains("\"true\",\"NEW-1\"");
  }

  @Test
  void unknownColumnFailsTheWholeJobAndLeavesRowsUnprocessed() {
    startSignedIn(b -> b.accounts(0));
    String id = createIngest("Account", "insert");
    put("ingest/" + id + "/batches", "Name,Bogus__x\nA,1\nB,2\n");
    Http.patchJson(url("ingest/" + id), token, "{\"state\":\"UploadComplete\"}");
    JsonNode failed = info("ingest", id);
    assertThat(failed.get("state").stringValue()).isEqualTo("Failed");
    assertThat(failed.get("errorMessage").stringValue()).isEqualTo("InvalidBatch : Field name not found : Bogus__x");
    assertThat(Http.get(url("ingest/" + id + "/unprocessedrecords"), token).body()).contains("\"A\",\"1\"")
        .contains("\"B\",\"2\"");
  }

  @Test
  void expiredSessionGets401WithTheRestBodyAndNothingRuns() {
    startSignedIn(b -> b.accounts(0).sessionTimeout(Duration.ofMinutes(15)));
    clock.advance(Duration.ofMinutes(15));
    Http.Response denied = Http.postJson(url("ingest"), token, "{\"object\":\"Account\",\"operation\":\"insert\"}");
    assertThat(denied.status()).isEqualTo(401);
    assertThat(denied.json().get(0).get("errorCode").stringValue()).isEqualTo("INVALID_SESSION_ID");
    assertThat(org.stats().bulkJobsCreated()).isZero();
    assertThat(org.stats().bulkRequests()).isZero();
  }

  @Test
  void uploadsOverTheCapAreRefused() {
    startSignedIn(b -> b.accounts(0).bulkUploadLimitBytes(20));
    String id = createIngest("Account", "insert");
    Http.Response refused = put("ingest/" + id + "/batches", "Name\n" + "n\n".repeat(20));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).contains("ClientInputError");
  }

  @Test
  void queryJobPagesByLocatorAndRepeatsAPageOnRequest() {
    startSignedIn(b -> b.accounts(2500).bulkRecordsPerSecond(1000).bulkQueryPageSize(1000));
    Http.Response created = Http.postJson(url("query"), token,
        "{\"operation\":\"query\",\"query\":\"SELECT Id, Name FROM Account\"}");
    assertThat(created.status()).isEqualTo(200);
    String id = created.json().get("id").stringValue();
    assertThat(created.json().get("state").stringValue()).isEqualTo("UploadComplete");
    assertThat(info("query", id).get("state").stringValue()).isEqualTo("InProgress");
    assertThat(Http.get(url("query/" + id + "/results"), token).status()).isEqualTo(409);
    clock.advance(Duration.ofMillis(2500));
    assertThat(info("query", id).get("state").stringValue()).isEqualTo("JobComplete");

    Set<String> seen = new HashSet<>();
    String locator = "";
    int pages = 0;
    String firstPageAgain = null;
    while (!locator.equals("null")) {
      Http.Response page = Http.get(url("query/" + id + "/results" + (locator.isEmpty() ? ""
          : "?locator=" + locator)), token);
      assertThat(page.status()).isEqualTo(200);
      List<String> lines = page.body().lines().toList();
      assertThat(lines.get(0)).isEqualTo("\"Id\",\"Name\"");
      assertThat(lines).hasSize(1 + Integer.parseInt(page.header("Sforce-NumberOfRecords")));
      lines.subList(1, lines.size()).forEach(line -> assertThat(seen.add(line)).isTrue());
      if (pages == 0) {
        firstPageAgain = page.body();
      }
      locator = page.header("Sforce-Locator");
      pages++;
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(2500);
    assertThat(Http.get(url("query/" + id + "/results"), token).body()).isEqualTo(firstPageAgain);
    Http.Response small = Http.get(url("query/" + id + "/results?maxRecords=10&locator="
        + FakeBulkQuery.locator(2495)), token);
    assertThat(small.header("Sforce-NumberOfRecords")).isEqualTo("5");
    assertThat(small.header("Sforce-Locator")).isEqualTo("null");
    assertThat(Http.get(org.instanceUrl() + "/services/data/v66.0/jobs/query/" + id + "/results", token)
        .status()).isEqualTo(409);
  }

  @Test
  void queriesBulkApiRefusesAreRefusedAtCreation() {
    startSignedIn(b -> b.accounts(10));
    for (String soql : List.of("SELECT COUNT() FROM Account", "SELECT Industry FROM Account GROUP BY Industry",
        "SELECT Id FROM Account LIMIT 5 OFFSET 2", "SELECT TYPEOF What WHEN Account THEN Name END FROM Task")) {
      Http.Response refused = Http.postJson(url("query"), token, "{\"operation\":\"query\",\"query\":\""
          + soql + "\"}");
      assertThat(refused.status()).as(soql).isEqualTo(400);
      assertThat(refused.json().get(0).get("errorCode").stringValue()).isEqualTo("API_ERROR");
    }
    assertThat(org.stats().bulkJobsCreated()).isZero();
  }

  @Test
  void limitsShowBulkAllocationsAndJobsAreListed() {
    startSignedIn(b -> b.accounts(10).bulkDailyLimits(1, 100));
    Http.postJson(url("query"), token, "{\"operation\":\"query\",\"query\":\"SELECT Id FROM Account\"}");
    Http.Response second = Http.postJson(url("query"), token,
        "{\"operation\":\"query\",\"query\":\"SELECT Id FROM Account\"}");
    assertThat(second.status()).isEqualTo(400);
    assertThat(second.body()).contains("ExceededQuota");
    JsonNode limits = Http.get(org.instanceUrl() + "/services/data/v67.0/limits", token).json();
    assertThat(limits.get("DailyBulkV2QueryJobs").get("Remaining").asLong()).isZero();
    assertThat(limits.get("DailyBulkV2QueryFileStorageMB").get("Max").asLong()).isPositive();
    JsonNode list = Http.get(url("query"), token).json();
    assertThat(list.get("done").asBoolean()).isTrue();
    assertThat(list.get("records")).hasSize(1);
  }
}
