package io.forceflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

@ExtendWith(FakeOrgExtension.class)
@FakeOrgSettings(accounts = 42, rotation = true, sessionTimeoutMillis = 60_000, cursorMode = CursorMode.SESSION)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FakeOrgExtensionTests {

  private static FakeOrg fromBeforeAll;
  private final FakeOrg fromConstructor;

  FakeOrgExtensionTests(FakeOrg org) {
    this.fromConstructor = org;
  }

  @BeforeAll
  static void remember(FakeOrg org) {
    fromBeforeAll = org;
  }

  @Test
  @Order(1)
  void injectsTheSameStartedOrgEverywhereWithTheAnnotatedSettings(FakeOrg org, MutableClock clock) {
    assertThat(org).isSameAs(fromBeforeAll).isSameAs(fromConstructor);
    assertThat(org.clock()).isSameAs(clock);
    assertThat(org.count("Account")).isEqualTo(42);
    assertThat(org.sessionTimeout()).isEqualTo(Duration.ofMinutes(1));
    JsonNode token = OAuth.refresh(org, org.issueRefreshToken()).json();
    assertThat(token.has("refresh_token")).as("rotation is on").isTrue();
    String limits = org.instanceUrl() + "/services/data/v67.0/limits";
    String access = token.get("access_token").stringValue();
    assertThat(Http.get(limits, access).status()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(1));
    assertThat(Http.get(limits, access).status()).isEqualTo(401);
  }

  @Test
  @Order(2)
  void aTestMayLeaveSwitchesAndFaultsBehind(FakeOrg org) {
    String access = OAuth.refresh(org, org.issueRefreshToken()).json().get("access_token").stringValue();
    assertThat(Http.postJson(org.instanceUrl() + "/services/data/v67.0/sobjects/Account", access,
        "{\"Name\":\"Kept\"}").status()).isEqualTo(201);
    org.ipRestricted(true);
    org.userActive(false);
    org.jwtUserApproved(false);
    org.dailyApiLimit(1);
    org.faults().next(10, FaultTarget.ANY, Fault.serverUnavailable());
  }

  @Test
  @Order(3)
  void theNextTestStartsWithSwitchesResetAndDataKept(FakeOrg org) {
    assertThat(org.faults().active()).isZero();
    assertThat(org.ledger("Account").created()).isEqualTo(1);
    assertThat(org.records("Account")).singleElement().satisfies(r -> assertThat(r).containsEntry("Name", "Kept"));
    assertThat(OAuth.refresh(org, org.issueRefreshToken()).status()).isEqualTo(200);
    assertThat(OAuth.jwt(org, OAuth.sign(OAuth.claims(org), org.credentials().privateKeyPem())).status())
        .isEqualTo(200);
    assertThat(org.stats().dailyApiLimit()).isEqualTo(100_000);
  }

  @Nested
  class Inner {
    @Test
    void nestedClassesShareTheEnclosingOrg(FakeOrg org) {
      assertThat(org).isSameAs(fromBeforeAll);
    }
  }
}
