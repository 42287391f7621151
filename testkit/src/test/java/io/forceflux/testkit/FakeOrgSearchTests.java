package io.forceflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Parameterised search in both forms, over records written through the API. */
class FakeOrgSearchTests {
  private static FakeOrg org;
  private static String token;

  @BeforeAll
  static void start() {
    org = FakeOrg.builder().accounts(20).build().start();
    token = OAuth.accessToken(org);
    for (String name : List.of("Harbour Freight", "Inland Farms", "harbour view ltd", "Harbour Mills")) {
      assertThat(Http.postJson(url("/sobjects/Account"), token, "{\"Name\":\"" + name + "\"}").status())
          .isEqualTo(201);
    }
    assertThat(Http.postJson(url("/sobjects/Contact"), token, "{\"Name\":\"Ann Harbour\",\"Email\":\"a@x.test\"}")
        .status()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    org.close();
  }

  private static String url(String path) {
    return org.instanceUrl() + "/services/data/v67.0" + path;
  }

  private static List<String> names(Http.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    for (JsonNode r : response.json().get("searchRecords")) {
      out.add(r.get("attributes").get("type").stringValue() + ":" + (r.has("Name") ? r.get("Name").stringValue()
          : r.get("Id").stringValue().substring(0, 3)));
    }
    return out;
  }

  @Test
  void postSearchesTheNamedTypesWithTheirFieldsAndLimits() {
    Http.Response response = Http.postJson(url("/parameterizedSearch"), token, """
        {"q":"harbour","fields":["Id"],
         "sobjects":[{"name":"Account","fields":["Id","Name"],"limit":2},{"name":"Contact","fields":["Name"]}]}
        """);

    assertThat(names(response)).containsExactly("Account:Harbour Freight", "Account:harbour view ltd",
        "Contact:Ann Harbour");
  }

  @Test
  void overallLimitCutsAcrossTypesAndGlobalFieldsApplyToTypesWithoutTheirOwn() {
    Http.Response response = Http.postJson(url("/parameterizedSearch"), token, """
        {"q":"HARBOUR","fields":["Name"],"overallLimit":4,"sobjects":[{"name":"Account"},{"name":"Contact"}]}
        """);

    assertThat(names(response)).containsExactly("Account:Harbour Freight", "Account:harbour view ltd",
        "Account:Harbour Mills", "Contact:Ann Harbour");
    Http.Response cut = Http.postJson(url("/parameterizedSearch"), token,
        "{\"q\":\"harbour\",\"overallLimit\":2}");
    assertThat(names(cut)).containsExactly("Account:001", "Account:001");
  }

  @Test
  void getTakesOneTypeWithItsFieldsAndLimit() {
    Http.Response response = Http.get(url("/parameterizedSearch/?q=" + Http.q("harbour")
        + "&sobject=Account&Account.fields=Id,Name&Account.limit=1"), token);

    assertThat(names(response)).containsExactly("Account:Harbour Freight");
  }

  @Test
  void badParametersAreRefusedWithSalesforceErrorCodes() {
    assertThat(Http.postJson(url("/parameterizedSearch"), token, "{\"q\":\"harbour\",\"sobjects\":[{\"name\":"
        + "\"Nope\"}]}").body()).contains("INVALID_TYPE");
    assertThat(Http.postJson(url("/parameterizedSearch"), token, "{\"q\":\"harbour\",\"sobjects\":[{\"name\":"
        + "\"Account\",\"fields\":[\"Nope\"]}]}").body()).contains("INVALID_FIELD");
    assertThat(Http.postJson(url("/parameterizedSearch"), token, "{\"q\":\"h\"}").body()).contains("INVALID_SEARCH");
    assertThat(Http.postJson(url("/parameterizedSearch"), token, "{\"fields\":[\"Id\"]}").body())
        .contains("MISSING_ARGUMENT");
    assertThat(Http.postJson(url("/parameterizedSearch"), token, "{\"q\":\"harbour\",\"overallLimit\":2001}")
        .status()).isEqualTo(400);
  }
}
