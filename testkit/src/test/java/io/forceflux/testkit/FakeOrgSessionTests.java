package io.forceflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class FakeOrgSessionTests extends ClockedOrgTests {

  private static final String FIXTURE_401 = "rest-401-invalid-session-id-post-with-headers.http";

  private FakeOrg start(UnaryOperator<FakeOrg.Builder> options) {
    return startOrg(b -> options.apply(b.accounts(10)));
  }

  private Http.Response call(String token) {
    return Http.get(org.instanceUrl() + "/services/data/v67.0/limits", token);
  }

  private Http.Response callWithHeader(String authorization) {
    return Http.send("GET", org.instanceUrl() + "/services/data/v67.0/limits", null, null, null,
        new String[] {"Authorization", authorization});
  }

  @Test
  void aSessionDiesAfterTheInactivityTimeoutWithTheRecorded401() {
    start(b -> b.sessionTimeout(Duration.ofMinutes(15)));
    String token = OAuth.accessToken(org);
    clock.advance(Duration.ofMinutes(15).minusMillis(1));
    assertThat(call(token).status()).isEqualTo(200);

    clock.advance(Duration.ofMinutes(15));
    Http.Response expired = call(token);

    assertThat(expired.status()).isEqualTo(Fixtures.httpStatus(FIXTURE_401));
    assertThat(expired.json()).isEqualTo(Fixtures.json(FIXTURE_401));
    assertThat(expired.header("WWW-Authenticate")).isEqualTo(Fixtures.httpHeader(FIXTURE_401,
        "www-authenticate"));
    assertThat(expired.header("Content-Type")).isEqualTo(Fixtures.httpHeader(FIXTURE_401, "content-type"));
    assertThat(expired.header("Sforce-Limit-Info")).isNull();
    assertThat(expired.json()).isEqualTo(Fixtures.json("rest-401-invalid-session-id.json"));
    FakeOrgStats stats = org.stats();
    assertThat(stats.unauthorized401()).isEqualTo(1);
    assertThat(stats.sessionsExpired()).isEqualTo(1);
  }

  @Test
  void everyCallResetsTheInactivityTimer() {
    start(b -> b.sessionTimeout(Duration.ofMinutes(15)));
    String token = OAuth.accessToken(org);
    for (int i = 0; i < 8; i++) {
      clock.advance(Duration.ofMinutes(14));
      assertThat(call(token).status()).isEqualTo(200);
    }
    clock.advance(Duration.ofMinutes(15));
    assertThat(call(token).status()).isEqualTo(401);
  }

  @Test
  void withTheHalfTimeoutQuirkEarlyActivityDoesNotExtendTheSession() {
    start(b -> b.sessionTimeout(Duration.ofHours(2)).halfTimeoutQuirk(true));
    String early = OAuth.accessToken(org);
    String late = OAuth.accessToken(org);

    clock.advance(Duration.ofMinutes(59));
    assertThat(call(early).status()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(2));
    assertThat(call(late).status()).as("61 minutes passed: this call moves the timer").isEqualTo(200);

    clock.set(Instant.parse("2026-03-01T12:00:00Z"));
    assertThat(call(early).status()).as("the 59-minute call did not count").isEqualTo(401);
    assertThat(call(late).status()).isEqualTo(200);
    clock.set(Instant.parse("2026-03-01T13:01:00Z"));
    assertThat(call(late).status()).isEqualTo(401);
  }

  @Test
  void withoutTheQuirkEveryCallCounts() {
    start(b -> b.sessionTimeout(Duration.ofHours(2)));
    String token = OAuth.accessToken(org);
    clock.advance(Duration.ofMinutes(59));
    assertThat(call(token).status()).isEqualTo(200);
    clock.set(Instant.parse("2026-03-01T12:00:00Z"));
    assertThat(call(token).status()).isEqualTo(200);
  }

  @Test
  void aOneMillisecondTimeoutIsAccepted() {
    start(b -> b.sessionTimeout(Duration.ofMillis(1)));
    String token = OAuth.accessToken(org);
    clock.advance(Duration.ofMillis(1));

    assertThat(call(token).status()).isEqualTo(401);
  }

  @Test
  void expiringOneSessionLeavesTheOthers() {
    start(b -> b);
    String doomed = OAuth.accessToken(org);
    String survivor = OAuth.accessToken(org);

    assertThat(org.expireSession(doomed)).isTrue();
    assertThat(org.expireSession(doomed)).isFalse();

    assertThat(call(doomed).status()).isEqualTo(401);
    assertThat(call(survivor).status()).isEqualTo(200);
  }

  @Test
  void expiringAllSessionsOrRestartingTheInstanceKillsEverySessionButNotRefreshTokens() {
    start(b -> b);
    String a = OAuth.accessToken(org);
    String b = OAuth.password(org, org.credentials().passwordWithSecurityToken()).json().get("access_token")
        .stringValue();
    org.expireAllSessions();
    assertThat(call(a).status()).isEqualTo(401);
    assertThat(call(b).status()).isEqualTo(401);
    assertThat(org.liveSessions()).isZero();

    String c = OAuth.accessToken(org);
    org.restartInstance();
    assertThat(call(c).status()).isEqualTo(401);
    assertThat(org.stats().sessionsExpired()).isEqualTo(3);
  }

  @Test
  void timedOutSessionsAreCountedEvenIfNobodyUsesThemAgain() {
    start(b -> b.sessionTimeout(Duration.ofMinutes(30)));
    OAuth.accessToken(org);
    OAuth.accessToken(org);
    assertThat(org.liveSessions()).isEqualTo(2);

    clock.advance(Duration.ofMinutes(30));

    assertThat(org.stats().sessionsExpired()).isEqualTo(2);
    assertThat(org.liveSessions()).isZero();
  }

  @Test
  void aMissingAuthorizationHeaderIsAnInvalidSession() {
    start(b -> b);
    Http.Response response = Http.get(org.instanceUrl() + "/services/data/v67.0/limits", null);

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.json()).isEqualTo(Fixtures.json("rest-401-invalid-session-id.json"));
  }

  @Test
  void anUnknownTokenIsAnInvalidSession() {
    start(b -> b);
    Http.Response response = callWithHeader("Bearer 00D00000FakeOrg!doesnotexist");

    assertThat(response.json()).isEqualTo(Fixtures.json("rest-401-invalid-session-id.json"));
  }

  @Test
  void aGarbledAuthorizationHeaderGetsTheRecordedInvalidAuthHeaderBody() {
    start(b -> b);
    String fixture = "rest-401-invalid-auth-header-jwt-format-with-headers.http";
    for (String header : new String[] {"Basic dXNlcjpwYXNz", "Bearer", "Bearer eyJhbGciOi.garbage.x"}) {
      Http.Response response = callWithHeader(header);
      assertThat(response.status()).as(header).isEqualTo(Fixtures.httpStatus(fixture));
      assertThat(response.json()).as(header).isEqualTo(Fixtures.json(fixture));
      assertThat(response.header("WWW-Authenticate")).isEqualTo(Fixtures.httpHeader(fixture,
          "WWW-Authenticate"));
    }
    assertThat(org.stats().unauthorized401()).isEqualTo(3);
  }

  @Test
  void theOAuthSchemeIsAcceptedLikeBearer() {
    start(b -> b);
    String token = OAuth.accessToken(org);

    assertThat(callWithHeader("OAuth " + token).status()).isEqualTo(200);
  }

  @Test
  void aRestPolicyRestrictionGetsTheRecordedNotValidForRestBody() {
    start(b -> b);
    String fixture = "rest-401-invalid-session-id-not-valid-for-rest-api-with-headers.http";
    String token = OAuth.accessToken(org);
    org.restPolicyRestricted(true);

    Http.Response response = call(token);

    assertThat(response.status()).isEqualTo(Fixtures.httpStatus(fixture));
    assertThat(response.json()).isEqualTo(Fixtures.json(fixture));
    org.restPolicyRestricted(false);
    assertThat(call(token).status()).isEqualTo(200);
  }

  @Test
  void anIpRestrictionMakesApiCallsInvalidSessions() {
    start(b -> b);
    String token = OAuth.accessToken(org);
    org.ipRestricted(true);

    Http.Response response = call(token);

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.json()).isEqualTo(Fixtures.json("rest-401-invalid-session-id.json"));
  }

  @Test
  void aWriteRejectedWith401IsNeverExecuted() {
    start(b -> b.sessionTimeout(Duration.ofMinutes(15)));
    String token = OAuth.accessToken(org);
    clock.advance(Duration.ofMinutes(15));
    org.resetStats();

    Http.Response response = Http.postJson(org.instanceUrl() + "/services/data/v67.0/sobjects/Account", token,
        "{\"Name\":\"Should not exist\"}");

    assertThat(response.status()).isEqualTo(401);
    assertThat(org.ledger("Account").created()).isZero();
    assertThat(org.records("Account")).isEmpty();
    FakeOrgStats stats = org.stats();
    assertThat(stats.recordsCreated()).isZero();
    assertThat(stats.requestsExecuted()).isZero();
    assertThat(stats.apiRequests()).isEqualTo(1);
    assertThat(stats.apiUsage()).isZero();
  }
}
