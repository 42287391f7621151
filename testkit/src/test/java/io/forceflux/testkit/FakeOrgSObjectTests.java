package io.forceflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FakeOrgSObjectTests extends ClockedOrgTests {

  private static final String NOT_FOUND =
      "[{\"errorCode\":\"NOT_FOUND\",\"message\":\"The requested resource does not exist\"}]";

  private FakeOrg start(UnaryOperator<FakeOrg.Builder> options) {
    return startSignedIn(b -> options.apply(b.accounts(100)));
  }

  private String url(String path) {
    return org.instanceUrl() + "/services/data/v67.0" + path;
  }

  private String generatedId(int n) {
    Http.Response page = Http.get(url("/query?q=" + Http.q("SELECT Id FROM Account LIMIT " + n)), token);
    return page.json().get("records").get(n - 1).get("Id").stringValue();
  }

  @Test
  void createAnswers201AndIsRecordedInTheLedger() {
    start(b -> b);
    Http.Response response = Http.postJson(url("/sobjects/Account"), token,
        "{\"Name\":\"Acme\",\"Industry\":\"Energy\",\"NumberOfEmployees\":12}");

    assertThat(response.status()).isEqualTo(201);
    JsonNode body = response.json();
    String id = body.get("id").stringValue();
    assertThat(id).hasSize(18).startsWith("001");
    assertThat(body.get("success").booleanValue()).isTrue();
    assertThat(body.get("errors").size()).isZero();
    assertThat(org.ledger("Account").createdIds()).containsExactly(id);
    assertThat(org.records("Account")).singleElement().satisfies(record -> assertThat(record)
        .containsEntry("Id", id).containsEntry("Name", "Acme").containsEntry("NumberOfEmployees", 12)
        .containsEntry("CreatedDate", "2026-03-01T10:00:00.000+0000").containsEntry("IsDeleted", false));
    assertThat(org.stats().recordsCreated()).isEqualTo(1);
    assertThat(org.count("Account")).isEqualTo(101);
    assertThat(id).as("created records sort after generated ones").isGreaterThan(generatedId(100));
  }

  @Test
  void readReturnsTheRecordWithAttributesAndOptionallySelectedFields() {
    start(b -> b);
    String id = generatedId(7);

    JsonNode full = Http.get(url("/sobjects/Account/" + id), token).json();
    JsonNode some = Http.get(url("/sobjects/Account/" + id + "?fields=Name,External_Id__c"), token).json();
    Http.Response fifteen = Http.get(url("/sobjects/Account/" + id.substring(0, 15)), token);

    assertThat(full.get("attributes").get("url").stringValue())
        .isEqualTo("/services/data/v67.0/sobjects/Account/" + id);
    assertThat(full.propertyNames()).contains("Id", "Name", "Industry", "AnnualRevenue", "NumberOfEmployees",
        "External_Id__c", "CreatedDate", "IsDeleted");
    assertThat(some.propertyNames()).containsExactly("attributes", "Name", "External_Id__c");
    assertThat(some.get("External_Id__c").stringValue()).isEqualTo("EXT-00000007");
    assertThat(fifteen.status()).isEqualTo(200);
    assertThat(Http.get(url("/sobjects/Account/" + id + "?fields=Nope"), token).status()).isEqualTo(400);
  }

  @Test
  void invalidWritesGetSalesforceErrorsAndAreNotRecorded() {
    start(b -> b);
    Http.Response noName = Http.postJson(url("/sobjects/Account"), token, "{\"Industry\":\"Energy\"}");
    Http.Response badField = Http.postJson(url("/sobjects/Account"), token, "{\"Name\":\"x\",\"foo\":1}");
    Http.Response readOnly = Http.postJson(url("/sobjects/Account"), token, "{\"Name\":\"x\",\"Id\":\"001\"}");
    Http.Response notJson = Http.postJson(url("/sobjects/Account"), token, "{nope");

    assertThat(noName.status()).isEqualTo(400);
    assertThat(noName.body()).isEqualTo("[{\"message\":\"Required fields are missing: [Name]\","
        + "\"errorCode\":\"REQUIRED_FIELD_MISSING\",\"fields\":[\"Name\"]}]");
    JsonNode fixture = FakeJson.MAPPER.readTree(Fixtures.text("rest-400-invalid-field.json")
        .replace("of type Bar", "of type Account"));
    assertThat(badField.json().get(0).get("message")).isEqualTo(fixture.get(0).get("message"));
    assertThat(badField.json().get(0).get("errorCode")).isEqualTo(fixture.get(0).get("errorCode"));
    assertThat(readOnly.json().get(0).get("errorCode").stringValue()).isEqualTo("INVALID_FIELD_FOR_INSERT_UPDATE");
    assertThat(notJson.json().get(0).get("errorCode").stringValue()).isEqualTo("JSON_PARSER_ERROR");
    assertThat(org.ledger("Account").created()).isZero();
    assertThat(org.stats().recordsCreated()).isZero();
  }

  @Test
  void patchUpdatesARecordAndAnswers204() {
    start(b -> b);
    String id = generatedId(3);

    Http.Response response = Http.patchJson(url("/sobjects/Account/" + id), token, "{\"Name\":\"Renamed\"}");

    assertThat(response.status()).isEqualTo(204);
    assertThat(response.body()).isEmpty();
    assertThat(Http.get(url("/sobjects/Account/" + id), token).json().get("Name").stringValue())
        .isEqualTo("Renamed");
    assertThat(org.ledger("Account").updatedIds()).containsExactly(id);
    assertThat(org.stats().recordsUpdated()).isEqualTo(1);
    assertThat(org.record("Account", id)).hasValueSatisfying(r -> assertThat(r)
        .containsEntry("Name", "Renamed").containsEntry("External_Id__c", "EXT-00000003"));
  }

  @Test
  void upsertByExternalIdCreatesOnceThenUpdates() {
    start(b -> b);
    String path = url("/sobjects/Account/External_Id__c/ORDER-42");

    Http.Response first = Http.patchJson(path, token, "{\"Name\":\"Upserted\"}");
    Http.Response second = Http.patchJson(path, token, "{\"Name\":\"Upserted again\"}");
    Http.Response generated = Http.patchJson(url("/sobjects/Account/External_Id__c/EXT-00000005"), token,
        "{\"Industry\":\"Media\"}");

    assertThat(first.status()).isEqualTo(201);
    assertThat(first.json().get("created").booleanValue()).isTrue();
    assertThat(first.json().get("success").booleanValue()).isTrue();
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.json().get("created").booleanValue()).isFalse();
    assertThat(second.json().get("id")).isEqualTo(first.json().get("id"));
    assertThat(generated.status()).isEqualTo(200);
    assertThat(generated.json().get("id").stringValue()).isEqualTo(generatedId(5));
    assertThat(org.ledger("Account").created()).isEqualTo(1);
    assertThat(org.ledger("Account").updated()).isEqualTo(2);
    assertThat(Http.get(url("/sobjects/Account/External_Id__c/ORDER-42"), token).json().get("Name")
        .stringValue()).isEqualTo("Upserted again");
    assertThat(Http.patchJson(url("/sobjects/Account/Nope__c/1"), token, "{}").status()).isEqualTo(404);
  }

  @Test
  void deleteAnswers204AndTheRecordIsGone() {
    start(b -> b);
    String id = generatedId(9);

    assertThat(Http.delete(url("/sobjects/Account/" + id), token).status()).isEqualTo(204);

    for (Http.Response r : new Http.Response[] {Http.get(url("/sobjects/Account/" + id), token),
        Http.delete(url("/sobjects/Account/" + id), token),
        Http.patchJson(url("/sobjects/Account/" + id), token, "{\"Name\":\"x\"}")}) {
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.body()).contains("\"errorCode\":\"ENTITY_IS_DELETED\"");
    }
    assertThat(org.ledger("Account").deletedIds()).containsExactly(id);
    assertThat(org.stats().recordsDeleted()).isEqualTo(1);
    assertThat(org.count("Account")).isEqualTo(99);
    assertThat(org.record("Account", id)).hasValueSatisfying(r -> assertThat(r).containsEntry("IsDeleted", true));
  }

  @Test
  void unknownIdsAndTypesAre404() {
    start(b -> b);
    assertThat(Http.get(url("/sobjects/Account/001000000000999AAA"), token).body()).isEqualTo(NOT_FOUND);
    assertThat(Http.get(url("/sobjects/Account/garbage"), token).body()).isEqualTo(NOT_FOUND);
    assertThat(Http.postJson(url("/sobjects/Nope"), token, "{}").body()).isEqualTo(NOT_FOUND);
    assertThat(Http.get(url("/nothing/here"), token).body()).isEqualTo(NOT_FOUND);
    assertThat(Http.get(org.instanceUrl() + "/services/data/v99.0/limits", token).status()).isEqualTo(404);
    assertThat(Http.get(org.instanceUrl() + "/services/data/v30.0/limits", token).status()).isEqualTo(404);
  }

  @Test
  void otherTypesStartEmptyAndAcceptCreates() {
    start(b -> b);
    Http.Response contact = Http.postJson(url("/sobjects/Contact"), token,
        "{\"LastName\":\"Smith\",\"Email\":\"s@example.com\"}");
    Http.Response invoice = Http.postJson(url("/sobjects/Invoice__c"), token, "{\"Amount__c\":12.5}");

    assertThat(contact.status()).isEqualTo(201);
    assertThat(contact.json().get("id").stringValue()).startsWith("003");
    assertThat(invoice.json().get("id").stringValue()).startsWith("a00");
    JsonNode page = Http.get(url("/query?q=" + Http.q("SELECT Id, LastName, Email FROM Contact")), token).json();
    assertThat(page.get("totalSize").longValue()).isEqualTo(1);
    assertThat(page.get("records").get(0).get("LastName").stringValue()).isEqualTo("Smith");
    assertThat(org.records("contact")).singleElement()
        .satisfies(r -> assertThat(r).containsEntry("Email", "s@example.com"));
    assertThat(org.ledger("Invoice__c").created()).isEqualTo(1);
  }

  @Test
  void collectionsCreateRecordByRecordWithoutAllOrNone() {
    start(b -> b);
    Http.Response response = Http.postJson(url("/composite/sobjects"), token, "{\"allOrNone\":false,\"records\":["
        + "{\"attributes\":{\"type\":\"Account\"},\"Name\":\"One\"},"
        + "{\"attributes\":{\"type\":\"Account\"},\"Industry\":\"No name\"},"
        + "{\"attributes\":{\"type\":\"Contact\"},\"LastName\":\"Three\"}]}");

    assertThat(response.status()).isEqualTo(200);
    JsonNode results = response.json();
    assertThat(results.size()).isEqualTo(3);
    assertThat(results.get(0).get("success").booleanValue()).isTrue();
    assertThat(results.get(0).get("id").stringValue()).startsWith("001");
    assertThat(results.get(0).get("errors").size()).isZero();
    assertThat(results.get(1).get("success").booleanValue()).isFalse();
    assertThat(results.get(1).get("errors").get(0).get("statusCode").stringValue())
        .isEqualTo("REQUIRED_FIELD_MISSING");
    assertThat(results.get(2).get("id").stringValue()).startsWith("003");
    assertThat(org.ledger("Account").created()).isEqualTo(1);
    assertThat(org.ledger("Contact").created()).isEqualTo(1);
  }

  @Test
  void collectionsWithAllOrNoneRollBackEverythingWhenOneRecordFails() {
    start(b -> b);
    Http.Response response = Http.postJson(url("/composite/sobjects"), token, "{\"allOrNone\":true,\"records\":["
        + "{\"attributes\":{\"type\":\"Account\"},\"Name\":\"One\"},"
        + "{\"attributes\":{\"type\":\"Account\"},\"Name\":\"Two\",\"Bogus\":1}]}");

    JsonNode results = response.json();
    assertThat(response.status()).isEqualTo(200);
    assertThat(results.get(0).get("success").booleanValue()).isFalse();
    assertThat(results.get(0).get("errors").get(0).get("statusCode").stringValue())
        .isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
    assertThat(results.get(1).get("errors").get(0).get("statusCode").stringValue()).isEqualTo("INVALID_FIELD");
    assertThat(org.ledger("Account").created()).isZero();
    assertThat(org.stats().recordsCreated()).isZero();
  }

  @Test
  void collectionsPatchUpdatesRecordsById() {
    start(b -> b);
    String a = generatedId(1);
    String b = generatedId(2);

    JsonNode results = Http.patchJson(url("/composite/sobjects"), token, "{\"records\":["
        + "{\"attributes\":{\"type\":\"Account\"},\"id\":\"" + a + "\",\"Name\":\"A\"},"
        + "{\"attributes\":{\"type\":\"Account\"},\"id\":\"" + b + "\",\"Name\":\"B\"},"
        + "{\"attributes\":{\"type\":\"Account\"},\"Name\":\"no id\"}]}").json();

    assertThat(results.get(0).get("id").stringValue()).isEqualTo(a);
    assertThat(results.get(1).get("success").booleanValue()).isTrue();
    assertThat(results.get(2).get("errors").get(0).get("statusCode").stringValue()).isEqualTo("MISSING_ARGUMENT");
    assertThat(org.ledger("Account").updatedIds()).containsExactly(a, b);
    assertThat(org.record("Account", b)).hasValueSatisfying(r -> assertThat(r).containsEntry("Name", "B"));
  }

  @Test
  void collectionsOfMoreThan200RecordsAreRefused() {
    start(b -> b);
    StringBuilder body = new StringBuilder("{\"records\":[");
    for (int i = 0; i < 201; i++) {
      body.append(i == 0 ? "" : ",").append("{\"attributes\":{\"type\":\"Account\"},\"Name\":\"n").append(i)
          .append("\"}");
    }
    Http.Response response = Http.postJson(url("/composite/sobjects"), token, body.append("]}").toString());

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get(0).get("errorCode").stringValue()).isEqualTo("EXCEEDED_ID_LIMIT");
    assertThat(org.ledger("Account").created()).isZero();
  }

  @Test
  void everyApiCallCountsTowardTheDailyLimitAndReportsIt() {
    start(b -> b.dailyApiLimit(5));
    Http.Response first = Http.get(url("/limits"), token);
    Http.Response second = Http.get(url("/sobjects/Account/" + "001000000000999AAA"), token);

    assertThat(first.header("Sforce-Limit-Info")).isEqualTo("api-usage=1/5");
    assertThat(second.header("Sforce-Limit-Info")).isEqualTo("api-usage=2/5");
    JsonNode limits = Http.get(url("/limits"), token).json();
    assertThat(limits.get("DailyApiRequests").get("Max").longValue()).isEqualTo(5);
    assertThat(limits.get("DailyApiRequests").get("Remaining").longValue()).isEqualTo(2);
    // The recorded body predates Bulk API 2.0's entries; the fake adds them (see src/docs/bulk-api-2.md).
    java.util.Set<String> expected = new java.util.HashSet<>(
        Fixtures.json("rest-limits-200-camel.json").propertyNames());
    expected.addAll(java.util.List.of("DailyBulkV2QueryJobs", "DailyBulkV2QueryFileStorageMB",
        "DailyBulkV2IngestRecords"));
    assertThat(limits.propertyNames()).containsExactlyInAnyOrderElementsOf(expected);
    Http.Response versions = Http.get(org.instanceUrl() + "/services/data/", null);
    assertThat(versions.header("Sforce-Limit-Info")).isNull();

    Http.get(url("/limits"), token);
    Http.get(url("/limits"), token);
    Http.Response refused = Http.postJson(url("/sobjects/Account"), token, "{\"Name\":\"Too late\"}");

    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json()).isEqualTo(Fixtures.json("rest-403-request-limit-exceeded.json"));
    assertThat(refused.header("Sforce-Limit-Info")).isEqualTo("api-usage=5/5");
    assertThat(org.ledger("Account").created()).as("a refused request does not run").isZero();
    org.dailyApiLimit(10);
    assertThat(Http.get(url("/limits"), token).status()).isEqualTo(200);
    org.apiUsage(10);
    assertThat(Http.get(url("/limits"), token).status()).isEqualTo(403);
    assertThat(org.stats().apiUsage()).isEqualTo(10);
  }

  @Test
  void theVersionsListEndsAtTheConfiguredVersion() {
    start(b -> b.apiVersion("64.0"));
    JsonNode versions = Http.get(org.instanceUrl() + "/services/data/", null).json();
    JsonNode withoutSlash = Http.get(org.instanceUrl() + "/services/data", null).json();

    assertThat(versions).isEqualTo(withoutSlash);
    assertThat(versions.get(0).get("version").stringValue()).isEqualTo("31.0");
    assertThat(versions.get(0).get("label").stringValue()).isEqualTo("Summer '14");
    JsonNode last = versions.get(versions.size() - 1);
    assertThat(last).isEqualTo(FakeJson.MAPPER.valueToTree(Map.of(
        "label", "Summer '25", "url", "/services/data/v64.0", "version", "64.0")));
    assertThat(org.stats().apiUsage()).isZero();
    assertThat(Http.get(org.instanceUrl() + "/services/data/v65.0/limits", token).status()).isEqualTo(404);
  }
}
