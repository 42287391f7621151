package io.forceflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

class FakeOrgQueryTests extends ClockedOrgTests {

  private static final String INVALID_LOCATOR =
      "[{\"message\":\"invalid query locator\",\"errorCode\":\"INVALID_QUERY_LOCATOR\"}]";

  private Http.Response query(String token, String soql, String... headers) {
    return Http.get(org.instanceUrl() + "/services/data/v67.0/query?q=" + Http.q(soql), token, headers);
  }

  private Http.Response next(String token, JsonNode page, String... headers) {
    return Http.get(org.instanceUrl() + page.get("nextRecordsUrl").stringValue(), token, headers);
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    for (JsonNode record : page.get("records")) {
      ids.add(record.get("Id").stringValue());
    }
    return ids;
  }

  @Test
  void queryPagesThroughAllRecordsInIdOrder() {
    startOrg(b -> b.accounts(4500));
    String token = OAuth.accessToken(org);

    JsonNode page1 = query(token, "SELECT Id, Name FROM Account").json();
    JsonNode page2 = next(token, page1).json();
    JsonNode page3 = next(token, page2).json();

    assertThat(page1.propertyNames()).containsExactlyElementsOf(
        Fixtures.json("rest-query-200-page1-not-done.json").propertyNames());
    assertThat(page3.propertyNames()).containsExactlyElementsOf(
        Fixtures.json("rest-query-200-last-page-done.json").propertyNames());
    assertThat(page1.get("totalSize").longValue()).isEqualTo(4500);
    assertThat(page1.get("done").booleanValue()).isFalse();
    assertThat(page1.get("nextRecordsUrl").stringValue())
        .matches("/services/data/v67\\.0/query/01g[0-9A-Za-z]{15}-2000");
    assertThat(page2.get("nextRecordsUrl").stringValue()).endsWith("-4000");
    assertThat(page3.get("done").booleanValue()).isTrue();
    assertThat(page3.get("totalSize").longValue()).isEqualTo(4500);
    List<String> all = new ArrayList<>();
    all.addAll(ids(page1));
    all.addAll(ids(page2));
    all.addAll(ids(page3));
    assertThat(all).hasSize(4500).doesNotHaveDuplicates().isSorted()
        .allSatisfy(id -> assertThat(id).hasSize(18).startsWith("001"));
    JsonNode first = page1.get("records").get(0);
    assertThat(first.get("attributes").get("type").stringValue()).isEqualTo("Account");
    assertThat(first.get("attributes").get("url").stringValue())
        .isEqualTo("/services/data/v67.0/sobjects/Account/" + all.get(0));
    assertThat(first.get("Name").stringValue()).isEqualTo("Account 000001");
    assertThat(first.propertyNames()).containsExactly("attributes", "Id", "Name");
  }

  @Test
  void generatedAccountsCarryEveryDocumentedField() {
    startOrg(b -> b.accounts(3));
    String token = OAuth.accessToken(org);

    JsonNode record = query(token, "SELECT Id, Name, Industry, AnnualRevenue, NumberOfEmployees, "
        + "External_Id__c, CreatedDate, IsDeleted FROM Account").json().get("records").get(2);

    assertThat(record.get("Name").stringValue()).isEqualTo("Cedar 000003");
    assertThat(record.get("Industry").isString()).isTrue();
    assertThat(record.get("AnnualRevenue").isNumber()).isTrue();
    assertThat(record.get("NumberOfEmployees").isNumber()).isTrue();
    assertThat(record.get("External_Id__c").stringValue()).isEqualTo("EXT-00000003");
    assertThat(record.get("CreatedDate").stringValue())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");
    assertThat(record.get("IsDeleted").booleanValue()).isFalse();
    assertThat(org.record("Account", record.get("Id").stringValue())).hasValueSatisfying(
        m -> assertThat(m).containsEntry("Name", "Cedar 000003"));
  }

  @Test
  void theBatchSizeHeaderIsClampedBetween200And2000() {
    startOrg(b -> b.accounts(5000));
    String token = OAuth.accessToken(org);

    JsonNode small = query(token, "SELECT Id FROM Account", "Sforce-Query-Options", "batchSize=50").json();
    JsonNode medium = query(token, "SELECT Id FROM Account", "Sforce-Query-Options", "batchSize=500").json();
    JsonNode large = query(token, "SELECT Id FROM Account", "Sforce-Query-Options", "batchSize=5000").json();

    assertThat(small.get("records").size()).isEqualTo(200);
    assertThat(medium.get("records").size()).isEqualTo(500);
    assertThat(medium.get("nextRecordsUrl").stringValue()).endsWith("-500");
    assertThat(large.get("records").size()).isEqualTo(2000);
    JsonNode mediumNext = next(token, medium).json();
    assertThat(mediumNext.get("records").size()).as("the cursor keeps its batch size").isEqualTo(500);
    assertThat(mediumNext.get("nextRecordsUrl").stringValue()).endsWith("-1000");
  }

  @Test
  void keywordsAreCaseInsensitiveAndSpacesMayBePlusOrPercentEncoded() {
    startOrg(b -> b.accounts(300));
    String token = OAuth.accessToken(org);
    String hundredth = ids(query(token, "SELECT Id FROM Account LIMIT 100").json()).get(99);

    String url = org.instanceUrl() + "/services/data/v67.0/query?q=select+id,%20name+from+account"
        + "+where+ID+%3E+'" + hundredth + "'+order+by+Id+asc+limit+5";
    JsonNode page = Http.get(url, token).json();

    assertThat(page.get("totalSize").longValue()).isEqualTo(5);
    assertThat(page.get("done").booleanValue()).isTrue();
    assertThat(ids(page)).hasSize(5).allSatisfy(id -> assertThat(id).isGreaterThan(hundredth));
    assertThat(page.get("records").get(0).get("Name").stringValue()).isEqualTo("Account 000101");
    assertThat(page.get("records").get(0).propertyNames()).containsExactly("attributes", "Id", "Name");
  }

  @Test
  void limitCapsTheTotalSizeAcrossPages() {
    startOrg(b -> b.accounts(5000));
    String token = OAuth.accessToken(org);

    JsonNode page1 = query(token, "SELECT Id FROM Account LIMIT 2500").json();
    JsonNode page2 = next(token, page1).json();

    assertThat(page1.get("totalSize").longValue()).isEqualTo(2500);
    assertThat(page2.get("records").size()).isEqualTo(500);
    assertThat(page2.get("done").booleanValue()).isTrue();
  }

  @Test
  void anythingOutsideTheSubsetIsAMalformedQuery() {
    startOrg(b -> b.accounts(10));
    String token = OAuth.accessToken(org);
    for (String soql : List.of("SELECT FROM Account", "SELECT Id FROM Account WHERE Name == 'x'",
        "SELECT COUNT(*) FROM Account", "SELECT Id FROM Account GROUP BY Name", "SELECT Id Account",
        "SELECT Id FROM Account LIMIT", "SELECT Id FROM Account ORDER BY Id DOWN", "DELETE FROM Account")) {
      Http.Response response = query(token, soql);
      assertThat(response.status()).as(soql).isEqualTo(400);
      assertThat(response.json().get(0).get("errorCode").stringValue()).as(soql).isEqualTo("MALFORMED_QUERY");
      assertThat(response.json().get(0).get("message").stringValue()).as(soql).contains("unexpected token");
    }
    Http.Response missing = Http.get(org.instanceUrl() + "/services/data/v67.0/query", token);
    assertThat(missing.json().get(0).get("errorCode").stringValue()).isEqualTo("MALFORMED_QUERY");
  }

  @Test
  void anUnknownFieldGetsTheRecordedInvalidFieldShapeWithTheQueryWording() {
    startOrg(b -> b.accounts(10));
    String token = OAuth.accessToken(org);

    Http.Response response = query(token, "SELECT Id, foo FROM Account");

    assertThat(response.status()).isEqualTo(400);
    JsonNode recorded = Fixtures.json("rest-400-invalid-field.json");
    assertThat(response.json().get(0).propertyNames())
        .containsExactlyInAnyOrderElementsOf(recorded.get(0).propertyNames());
    assertThat(response.json().get(0).get("errorCode").stringValue()).isEqualTo("INVALID_FIELD");
    assertThat(response.json().get(0).get("message").stringValue())
        .isEqualTo("\nSELECT Id, foo FROM Account\n           ^\nERROR at Row:1:Column:12\n"
            + "No such column 'foo' on entity 'Account'. If you are attempting to use a custom field, be "
            + "sure to append the '__c' after the custom field name. Please reference your WSDL or the "
            + "describe call for the appropriate names.");
  }

  @Test
  void aLookupIsWrittenAsANestedRecordAndCountsAsTheirOwnShapes() {
    startOrg(b -> b.accounts(10));
    String token = OAuth.accessToken(org);

    JsonNode page = query(token, "SELECT Name, Owner.Name, Owner.Email FROM Account WHERE Id IN ('"
        + ids(query(token, "SELECT Id FROM Account LIMIT 1").json()).get(0) + "')").json();
    JsonNode count = query(token, "SELECT COUNT() FROM Account WHERE Name LIKE 'a%'").json();
    JsonNode aggregate = query(token, "SELECT COUNT(Id) total FROM Account").json();

    JsonNode owner = page.get("records").get(0).get("Owner");
    assertThat(page.get("records").get(0).propertyNames()).containsExactly("attributes", "Name", "Owner");
    assertThat(owner.propertyNames()).containsExactly("attributes", "Name", "Email");
    assertThat(owner.get("attributes").get("type").stringValue()).isEqualTo("User");
    assertThat(owner.get("attributes").get("url").stringValue())
        .matches("/services/data/v67\\.0/sobjects/User/005\\w{15}");
    assertThat(owner.get("Name").stringValue()).isEqualTo("Ada Lovelace");
    assertThat(count.toString()).isEqualTo("{\"totalSize\":4,\"done\":true,\"records\":[]}");
    assertThat(aggregate.toString()).isEqualTo("{\"totalSize\":1,\"done\":true,\"records\":[{\"attributes\":"
        + "{\"type\":\"AggregateResult\"},\"total\":10}]}");
  }

  @Test
  void aCreatedRecordWithoutOwnerHasANullOwner() {
    startOrg(b -> b.accounts(0));
    String token = OAuth.accessToken(org);
    Http.postJson(org.instanceUrl() + "/services/data/v67.0/sobjects/Account/", token, "{\"Name\":\"Solo\"}");

    JsonNode record = query(token, "SELECT Name, Owner.Name FROM Account").json().get("records").get(0);

    assertThat(record.get("Owner").isNull()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(CursorMode.class)
  void aFilteredSortedResultPagesStablyWhileRecordsChange(CursorMode mode) {
    startOrg(b -> b.accounts(5000).cursorMode(mode));
    String token = OAuth.accessToken(org);
    String soql = "SELECT Id, Name FROM Account WHERE Name LIKE 'A%' AND NumberOfEmployees > 100 "
        + "ORDER BY Name DESC";
    JsonNode page = query(token, soql, "Sforce-Query-Options", "batchSize=300").json();
    long total = page.get("totalSize").longValue();
    String sobjects = org.instanceUrl() + "/services/data/v67.0/sobjects/Account/";
    String created = Http.postJson(sobjects, token, "{\"Name\":\"Azz late\",\"NumberOfEmployees\":999}")
        .json().get("id").stringValue();
    String renamed = ids(page).get(0);
    assertThat(Http.patchJson(sobjects + renamed, token, "{\"Name\":\"Banana\"}").status()).isEqualTo(204);

    List<String> names = new ArrayList<>();
    List<String> seen = new ArrayList<>(ids(page));
    page.get("records").forEach(r -> names.add(r.get("Name").stringValue()));
    while (!page.get("done").booleanValue()) {
      page = next(token, page).json();
      seen.addAll(ids(page));
      page.get("records").forEach(r -> names.add(r.get("Name").stringValue()));
    }

    assertThat(total).isBetween(1500L, 2000L);
    assertThat(seen).hasSize((int) total).doesNotHaveDuplicates().doesNotContain(created);
    assertThat(names.subList(1, names.size())).allSatisfy(n -> assertThat(n).startsWithIgnoringCase("a"))
        .isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER.reversed());
    assertThat(query(token, "SELECT COUNT() FROM Account WHERE Name LIKE 'A%' AND NumberOfEmployees > 100")
        .json().get("totalSize").longValue()).as("one renamed away, one created").isEqualTo(total);
  }

  @Test
  void anUnknownObjectIsAnInvalidType() {
    startOrg(b -> b.accounts(10));
    String token = OAuth.accessToken(org);

    Http.Response response = query(token, "SELECT Id FROM Bar");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get(0).get("errorCode").stringValue()).isEqualTo("INVALID_TYPE");
    assertThat(response.json().get(0).get("message").stringValue())
        .contains("\nsObject type 'Bar' is not supported.");
  }

  @Test
  void otherObjectsStartEmpty() {
    startOrg(b -> b.accounts(10));
    String token = OAuth.accessToken(org);

    JsonNode contacts = query(token, "SELECT Id, Name FROM Contact").json();
    JsonNode custom = query(token, "SELECT Id FROM Invoice__c").json();

    for (JsonNode page : List.of(contacts, custom)) {
      assertThat(page.get("totalSize").longValue()).isZero();
      assertThat(page.get("done").booleanValue()).isTrue();
      assertThat(page.get("records").size()).isZero();
      assertThat(page.has("nextRecordsUrl")).isFalse();
    }
  }

  @Test
  void aCursorExpiresAfterItsLifetime() {
    startOrg(b -> b.accounts(2500).cursorLifetime(Duration.ofHours(1)).sessionTimeout(Duration.ofHours(24)));
    String token = OAuth.accessToken(org);
    JsonNode page1 = query(token, "SELECT Id FROM Account").json();
    JsonNode again = query(token, "SELECT Id FROM Account").json();
    clock.advance(Duration.ofMinutes(59));
    assertThat(next(token, again).status()).isEqualTo(200);

    clock.advance(Duration.ofMinutes(1));
    Http.Response expired = next(token, page1);

    assertThat(expired.status()).isEqualTo(400);
    assertThat(expired.body()).isEqualTo(INVALID_LOCATOR);
  }

  @Test
  void cursorsLiveTwoDaysByDefault() {
    startOrg(b -> b.accounts(2500));
    String token = OAuth.accessToken(org);
    JsonNode page1 = query(token, "SELECT Id FROM Account").json();
    clock.advance(Duration.ofDays(2).minusSeconds(1));
    String later = OAuth.accessToken(org);
    assertThat(next(later, page1).status()).isEqualTo(200);

    clock.advance(Duration.ofSeconds(1));

    assertThat(next(OAuth.accessToken(org), page1).body()).isEqualTo(INVALID_LOCATOR);
  }

  @Test
  void inUserModeAnotherSessionOfTheUserMayContinueACursor() {
    startOrg(b -> b.accounts(2500).cursorMode(CursorMode.USER));
    String first = OAuth.accessToken(org);
    JsonNode page1 = query(first, "SELECT Id FROM Account").json();
    org.expireAllSessions();

    Http.Response continued = next(OAuth.accessToken(org), page1);

    assertThat(continued.status()).isEqualTo(200);
    assertThat(continued.json().get("records").size()).isEqualTo(500);
    assertThat(next(first, page1).status()).as("the dead session itself gets a 401").isEqualTo(401);
  }

  @Test
  void inSessionModeOnlyTheCreatingSessionMayContinueACursor() {
    startOrg(b -> b.accounts(2500).cursorMode(CursorMode.SESSION));
    String first = OAuth.accessToken(org);
    String second = OAuth.accessToken(org);
    JsonNode page1 = query(first, "SELECT Id FROM Account").json();

    Http.Response fromSecond = next(second, page1);
    Http.Response fromFirst = next(first, page1);

    assertThat(fromSecond.status()).isEqualTo(400);
    assertThat(fromSecond.body()).isEqualTo(INVALID_LOCATOR);
    assertThat(fromFirst.status()).isEqualTo(200);
  }

  @Test
  void anUnknownOrOutOfRangeLocatorIsInvalid() {
    startOrg(b -> b.accounts(2500));
    String token = OAuth.accessToken(org);
    String nextUrl = query(token, "SELECT Id FROM Account").json().get("nextRecordsUrl").stringValue();
    String base = org.instanceUrl() + "/services/data/v67.0/query/";

    assertThat(Http.get(base + "01gAAAAAAAAAAAAAAA-2000", token).body()).isEqualTo(INVALID_LOCATOR);
    assertThat(Http.get(base + "nonsense", token).body()).isEqualTo(INVALID_LOCATOR);
    assertThat(Http.get(org.instanceUrl() + nextUrl.replace("-2000", "-2500"), token).body())
        .isEqualTo(INVALID_LOCATOR);
    assertThat(Http.get(org.instanceUrl() + nextUrl, token).status()).isEqualTo(200);
    assertThat(Http.get(org.instanceUrl() + nextUrl, token).status()).as("a page may be fetched again")
        .isEqualTo(200);
  }

  @Test
  void queryAllIncludesDeletedRecordsAndPagesThroughTheQueryResource() {
    startOrg(b -> b.accounts(2100));
    String token = OAuth.accessToken(org);
    List<String> firstIds = ids(query(token, "SELECT Id FROM Account LIMIT 3").json());
    String sobjects = org.instanceUrl() + "/services/data/v67.0/sobjects/Account/";
    assertThat(Http.delete(sobjects + firstIds.get(1), token).status()).isEqualTo(204);

    JsonNode live = query(token, "SELECT Id, IsDeleted FROM Account").json();
    JsonNode all = Http.get(org.instanceUrl() + "/services/data/v67.0/queryAll?q="
        + Http.q("SELECT Id, IsDeleted FROM Account"), token).json();

    assertThat(live.get("totalSize").longValue()).isEqualTo(2099);
    assertThat(ids(live)).doesNotContain(firstIds.get(1));
    assertThat(all.get("totalSize").longValue()).isEqualTo(2100);
    assertThat(all.get("records").get(1).get("Id").stringValue()).isEqualTo(firstIds.get(1));
    assertThat(all.get("records").get(1).get("IsDeleted").booleanValue()).isTrue();
    assertThat(all.get("nextRecordsUrl").stringValue()).contains("/services/data/v67.0/query/01g");
    assertThat(next(token, all).json().get("done").booleanValue()).isTrue();
  }

  @Test
  void aCursorServesTheResultSetAsItWasWhenTheQueryRan() {
    startOrg(b -> b.accounts(4000));
    String token = OAuth.accessToken(org);
    JsonNode page1 = query(token, "SELECT Id FROM Account").json();
    String sobjects = org.instanceUrl() + "/services/data/v67.0/sobjects/Account/";
    String created = Http.postJson(sobjects, token, "{\"Name\":\"Late arrival\"}").json().get("id")
        .stringValue();
    String onPage2 = ids(query(token, "SELECT Id FROM Account").json()).get(0);
    JsonNode second = query(token, "SELECT Id FROM Account WHERE Id > '" + ids(page1).get(1999) + "' LIMIT 1")
        .json();
    String deleted = ids(second).get(0);
    assertThat(Http.delete(sobjects + deleted, token).status()).isEqualTo(204);

    JsonNode page2 = next(token, page1).json();

    assertThat(page2.get("totalSize").longValue()).isEqualTo(4000);
    assertThat(ids(page2)).hasSize(2000).contains(deleted).doesNotContain(created, onPage2);
    assertThat(page2.get("done").booleanValue()).isTrue();
    JsonNode fresh = query(token, "SELECT Id FROM Account WHERE Id > '" + ids(page1).get(1999) + "'").json();
    assertThat(fresh.get("totalSize").longValue()).isEqualTo(2000);
    assertThat(ids(fresh)).doesNotContain(deleted).endsWith(created);
  }

  @Test
  void oneMillionRecordsStreamWithoutTheFakeHoldingThem() {
    startOrg(b -> b.accounts(1_000_000).sessionTimeout(Duration.ofHours(24)));
    String token = OAuth.accessToken(org);

    JsonNode page = query(token, "SELECT Id, Name FROM Account").json();
    long count = 0;
    String previousLast = "";
    int pages = 0;
    while (true) {
      pages++;
      List<String> ids = ids(page);
      assertThat(ids.get(0)).isGreaterThan(previousLast);
      previousLast = ids.get(ids.size() - 1);
      count += ids.size();
      if (page.get("done").booleanValue()) {
        break;
      }
      page = next(token, page).json();
    }

    assertThat(count).isEqualTo(1_000_000);
    assertThat(pages).isEqualTo(500);
    assertThat(page.get("records").get(1999).get("Name").stringValue()).isEqualTo("Granite 1000000");
    assertThat(org.records("Account")).isEmpty();
    assertThat(org.count("Account")).isEqualTo(1_000_000);
    assertThat(org.materialized("Account")).as("records held in memory").isZero();
  }
}
