package io.forceflux.reactor.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class PageTests {
  private static final Page.Decoding<JsonNode> NODES = Page.Decoding.bound(Json.recordReader(JsonNode.class));

  record Account(String id, String name) {}

  private static Page parse(String json) {
    return Page.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertRefused(String json, FailureCause cause) {
    assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(SalesforceException.class,
        e -> assertThat(e.failureCause()).isEqualTo(cause));
  }

  @Test
  void indexesAPageWithoutDecodingItsRecords() {
    Page page = Pages.page(1, 3, 10, "/services/data/v67.0/query/01gXX-3");

    assertThat(page.size()).isEqualTo(3);
    assertThat(page.remaining()).isEqualTo(3);
    assertThat(page.totalSize()).isEqualTo(10);
    assertThat(page.lastId()).isEqualTo(Pages.id(3));
    assertThat(page.nextRecordsUrl()).isEqualTo("/services/data/v67.0/query/01gXX-3");
  }

  @Test
  void decodesRecordsOneAtATimeIntoTheRequestedType() {
    Page page = Pages.page(7, 2, 2, null);
    Page.Decoding<Account> reader = Page.Decoding.bound(Json.recordReader(Account.class));

    Account first = page.next(reader);
    assertThat(page.remaining()).isEqualTo(1);
    Account second = page.next(reader);

    assertThat(first).isEqualTo(new Account(Pages.id(7), "Account 7"));
    assertThat(second).isEqualTo(new Account(Pages.id(8), "Account 8"));
    assertThat((Object) page.next(reader)).isNull();
    assertThat(page.nextRecordsUrl()).isNull();
  }

  @Test
  void findsRecordsWhateverTheKeyOrder() {
    Page page = parse("{\"records\":[{\"Id\":\"" + Pages.id(1) + "\",\"nested\":{\"records\":[1,2]}}],"
        + "\"nextRecordsUrl\":\"/services/data/v67.0/query/01g-1\",\"done\":false,\"totalSize\":2}");

    List<JsonNode> records = new ArrayList<>();
    for (JsonNode n = page.next(NODES); n != null; n = page.next(NODES)) {
      records.add(n);
    }

    assertThat(records).hasSize(1);
    assertThat(records.get(0).get("Id").stringValue()).isEqualTo(Pages.id(1));
    assertThat(page.nextRecordsUrl()).isEqualTo("/services/data/v67.0/query/01g-1");
  }

  @Test
  void aDonePageHasNoNextPageEvenIfItNamesOne() {
    assertThat(parse("{\"done\":true,\"nextRecordsUrl\":\"https://evil.example/x\",\"records\":[]}")
        .nextRecordsUrl()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://evil.example/services/data/v67.0/query/01g-2",
      "http://localhost:1234/services/data/v67.0/query/01g-2",
      "//evil.example/services/data/v67.0/query/01g-2",
      "/services/data//evil.example/x",
      "/services/data/v67.0/../../../oauth2/token",
      "/services/data/v67.0/%2e%2e/x",
      "/services/dataX/v67.0/query/01g-2",
      "/services/apexrest/steal",
      "services/data/v67.0/query/01g-2",
      "/services/data/v67.0/query/01g-2?redirect=https://evil",
      "/services/data/v67.0/query/01g-2#x",
      "/services/data/v67.0\\\\query",
      "/services/data/v67.0/query/01g-2@evil",
      " /services/data/v67.0/query/01g-2"})
  void refusesANextRecordsUrlThatCouldLeaveTheInstance(String url) {
    assertRefused("{\"done\":false,\"nextRecordsUrl\":\"" + url + "\",\"records\":[]}", FailureCause.UNTRUSTED_URL);
  }

  @Test
  void refusesARecordWhoseAttributesUrlPointsElsewhere() {
    assertRefused("{\"done\":true,\"records\":[{\"attributes\":{\"type\":\"Account\",\"url\":"
        + "\"https://evil.example/x\"},\"Id\":\"" + Pages.id(1) + "\"}]}", FailureCause.UNTRUSTED_URL);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "[]",
      "<html><body>maintenance</body></html>",
      "{\"totalSize\":3,\"done\":true,\"records\":[{\"attributes\":{\"type\":\"Acc",
      "{\"totalSize\":3,\"done\":true,\"records\":[",
      "{\"done\":true}",
      "{\"records\":[]}",
      "{\"done\":\"yes\",\"records\":[]}",
      "{\"done\":false,\"records\":[]}",
      "{\"done\":true,\"records\":[1,2]}",
      "{\"done\":true,\"records\":{}}",
      "{\"done\":true,\"records\":[]} trailing",
      "{\"done\":true,\"records\":[]}{}"})
  void refusesAnythingButACompleteQueryResult(String body) {
    assertRefused(body, FailureCause.MALFORMED_RESPONSE);
  }

  @Test
  void aRecordThatDoesNotBindIsAMalformedResponseWithoutItsValues() {
    Page page = parse("{\"done\":true,\"records\":[{\"id\":\"" + Pages.id(1) + "\",\"name\":{\"secret\":\"s3cr3t\"}}]}");

    assertThatThrownBy(() -> page.next(Page.Decoding.bound(Json.recordReader(Account.class))))
        .isInstanceOfSatisfying(SalesforceException.class, e -> {
          assertThat(e.failureCause()).isEqualTo(FailureCause.MALFORMED_RESPONSE);
          assertThat(e.getMessage()).doesNotContain("s3cr3t");
        });
  }
}
