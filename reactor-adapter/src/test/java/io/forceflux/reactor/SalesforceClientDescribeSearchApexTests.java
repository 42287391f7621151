package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.reactor.client.SaveResult;
import io.forceflux.reactor.client.SharedOrgTests;
import io.forceflux.reactor.client.TestClients;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** describe with its cache, SOSL search and Apex REST against a fake org. */
class SalesforceClientDescribeSearchApexTests extends SharedOrgTests {
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  record Hit(String id, String name) {}

  record PriceRequest(String sku, int quantity, BigDecimal unitPrice) {}

  record Quote(String sku, BigDecimal total, boolean discounted) {}

  private static JsonNode field(JsonNode describe, String name) {
    for (JsonNode f : describe.get("fields")) {
      if (f.get("name").stringValue().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no field " + name);
  }

  @Test
  void describeIsServedFromTheCacheOnTheSecondCall() {
    client.limits().block(BOUND);
    long before = org.stats().apiUsage();

    JsonNode first = client.describe("Account").block(BOUND);
    JsonNode second = client.describe("account").block(BOUND);

    assertThat(org.stats().apiUsage() - before).isEqualTo(1);
    assertThat(second).isEqualTo(first);
    assertThat(field(first, "External_Id__c").get("externalId").booleanValue()).isTrue();
    assertThat(field(first, "Name").get("nillable").booleanValue()).isFalse();
    assertThat(field(first, "Name").get("createable").booleanValue()).isTrue();
    assertThat(field(first, "Name").get("length").intValue()).isEqualTo(255);
    assertThat(field(first, "Id").get("createable").booleanValue()).isFalse();
  }

  @Test
  void anExpiredDescribeIsAskedAgainAndKeptWhenNotModified() {
    SalesforceClient eager = TestClients.builder(org).apiVersion("67.0").describeCacheTtl(Duration.ZERO).build();
    JsonNode first = eager.describe("Contact").block(BOUND);
    long before = org.stats().apiUsage();

    JsonNode second = eager.describe("Contact").block(BOUND);

    assertThat(org.stats().apiUsage() - before).isEqualTo(1);
    assertThat(second).isEqualTo(first);
    assertThat(eager.describeGlobal().block(BOUND).get("sobjects")).isNotEmpty();
  }

  @Test
  void soslFindsRecordsByNameAndBindsThemToATypedRecord() {
    List<String> ids = client.createAll("Account", Flux.just(Map.of("Name", "Zebra Logistics"),
        Map.of("Name", "Quokka Farms"), Map.of("Name", "zebra crossing ltd")), false)
        .map(SaveResult::id).collectList().block(BOUND);

    List<Hit> hits = client.search("FIND {Zebra} IN NAME FIELDS RETURNING Account(Id, Name)", Hit.class)
        .collectList().block(BOUND);

    assertThat(hits).containsExactly(new Hit(ids.get(0), "Zebra Logistics"), new Hit(ids.get(2),
        "zebra crossing ltd"));
  }

  @Test
  void apexRestRoundTripsTypedValues() {
    org.apexRest("POST", "pricing/quote", body -> {
      JsonNode in = JSON.readTree(body);
      BigDecimal total = in.get("unitPrice").decimalValue().multiply(BigDecimal.valueOf(in.get("quantity").intValue()));
      return JSON.writeValueAsString(Map.of("sku", in.get("sku").stringValue(), "total", total,
          "discounted", in.get("quantity").intValue() >= 10));
    });

    Quote quote = client.apexRest(HttpMethod.POST, "/pricing/quote", new PriceRequest("SKU-7", 12,
        new BigDecimal("9.99")), Quote.class).block(BOUND);

    assertThat(quote).isEqualTo(new Quote("SKU-7", new BigDecimal("119.88"), true));
  }

  @Test
  void apexRestPathsThatCouldLeaveTheResourceAreRefused() {
    for (String bad : List.of("../data/v67.0/limits", "a/../../x", "//evil.example/x", "https://evil.example/x",
        "a b")) {
      assertThatThrownBy(() -> client.apexRest(HttpMethod.GET, bad, null, JsonNode.class))
          .as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
