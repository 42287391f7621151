package io.forceflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class FakeOrgOAuthTests extends ClockedOrgTests {


  private FakeOrg start(UnaryOperator<FakeOrg.Builder> options) {
    return startOrg(b -> options.apply(b.accounts(10)));
  }

  private FakeOrg start() {
    return start(b -> b);
  }

  private int apiStatus(String accessToken) {
    return Http.get(org.instanceUrl() + "/services/data/v67.0/limits", accessToken).status();
  }

  @Test
  void refreshGrantAnswersLikeSalesforceWithoutExpiryOrNewRefreshToken() throws Exception {
    start();
    Http.Response response = OAuth.refresh(org, org.credentials().refreshToken());

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("application/json");
    JsonNode body = response.json();
    assertThat(body.propertyNames()).containsExactlyInAnyOrder("access_token", "signature", "scope",
        "instance_url", "id", "token_type", "issued_at");
    String orgId18 = org.orgId();
    assertThat(body.get("access_token").stringValue()).startsWith(orgId18.substring(0, 15) + "!")
        .matches("00D[0-9A-Za-z]{12}![A-Za-z0-9_\\-]{20,}");
    assertThat(body.get("instance_url").stringValue()).isEqualTo(org.myDomainUrl());
    assertThat(body.get("id").stringValue()).isEqualTo(org.loginUrl() + "/id/" + orgId18 + "/" + org.userId());
    assertThat(orgId18).hasSize(18);
    assertThat(body.get("token_type").stringValue()).isEqualTo("Bearer");
    assertThat(body.get("scope").stringValue()).isEqualTo("api refresh_token");
    assertThat(body.get("issued_at").stringValue()).isEqualTo(String.valueOf(clock.millis()));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(org.credentials().clientSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = Base64.getEncoder().encodeToString(mac.doFinal(
        (body.get("id").stringValue() + body.get("issued_at").stringValue()).getBytes(StandardCharsets.UTF_8)));
    assertThat(body.get("signature").stringValue()).isEqualTo(expected);
    assertThat(apiStatus(body.get("access_token").stringValue())).isEqualTo(200);
  }

  @Test
  void everyRefreshCreatesANewSessionAndOldOnesStayAlive() {
    start();
    String first = OAuth.accessToken(org);
    String second = OAuth.accessToken(org);

    assertThat(first).isNotEqualTo(second);
    assertThat(apiStatus(first)).isEqualTo(200);
    assertThat(apiStatus(second)).isEqualTo(200);
    assertThat(org.stats().sessionsCreated()).isEqualTo(2);
  }

  @Test
  void clientMayAuthenticateWithHttpBasic() {
    start();
    Credentials c = org.credentials();
    String basic = Base64.getEncoder().encodeToString((c.clientId() + ":" + c.clientSecret())
        .getBytes(StandardCharsets.UTF_8));
    Http.Response response = Http.form(OAuth.tokenUrl(org),
        Map.of("grant_type", "refresh_token", "refresh_token", c.refreshToken()),
        "Authorization", "Basic " + basic);

    assertThat(response.status()).isEqualTo(200);
  }

  @Test
  void unknownClientIdGetsTheRecordedInvalidClientIdBody() {
    start();
    Map<String, String> form = OAuth.refreshForm(org, org.credentials().refreshToken());
    form.put("client_id", "3MVG9nope");
    Http.Response response = Http.form(OAuth.tokenUrl(org), form);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json()).isEqualTo(Fixtures.json("oauth-token-400-invalid-client-id.json"));
    assertThat(response.header("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void wrongClientSecretGetsInvalidClient() {
    start();
    Map<String, String> form = OAuth.refreshForm(org, org.credentials().refreshToken());
    form.put("client_secret", "123");
    Http.Response response = Http.form(OAuth.tokenUrl(org), form);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body())
        .isEqualTo("{\"error\":\"invalid_client\",\"error_description\":\"invalid client credentials\"}");
  }

  @Test
  void unknownGrantTypeGetsTheRecordedUnsupportedGrantTypeBody() {
    start();
    Http.Response response = Http.form(OAuth.tokenUrl(org), Map.of("grant_type", "authorization_code"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json()).isEqualTo(Fixtures.json("oauth-token-400-unsupported-grant-type.json"));
    assertThat(org.stats().tokenRequests("unsupported")).isEqualTo(1);
    assertThat(org.stats().tokenOutcome("unsupportedGrantType")).isEqualTo(1);
  }

  @Test
  void unknownRefreshTokenGetsTheRecordedExpiredTokenBody() {
    start();
    Http.Response response = OAuth.refresh(org, "5Aep861nonsense");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json())
        .isEqualTo(Fixtures.json("oauth-token-400-invalid-grant-expired-refresh-token.json"));
  }

  @Test
  void rotationIssuesANewRefreshTokenAndInvalidatesThePresentedOne() {
    start(b -> b.refreshTokenRotation(true));
    String first = org.credentials().refreshToken();
    JsonNode body = OAuth.refresh(org, first).json();
    String second = body.get("refresh_token").stringValue();

    assertThat(second).isNotEqualTo(first);
    assertThat(OAuth.refresh(org, second).status()).isEqualTo(200);
  }

  @Test
  void reusingARotatedRefreshTokenRevokesTheWholeFamily() {
    start(b -> b.refreshTokenRotation(true));
    String rt0 = org.credentials().refreshToken();
    JsonNode r1 = OAuth.refresh(org, rt0).json();
    JsonNode r2 = OAuth.refresh(org, r1.get("refresh_token").stringValue()).json();
    String at1 = r1.get("access_token").stringValue();
    String at2 = r2.get("access_token").stringValue();
    String rt2 = r2.get("refresh_token").stringValue();
    String unrelated = OAuth.refresh(org, org.issueRefreshToken()).json().get("access_token").stringValue();

    Http.Response reuse = OAuth.refresh(org, rt0);

    assertThat(reuse.status()).isEqualTo(400);
    assertThat(reuse.json()).isEqualTo(Fixtures.json("oauth-token-400-invalid-grant-expired-refresh-token.json"));
    assertThat(OAuth.refresh(org, rt2).json())
        .isEqualTo(Fixtures.json("oauth-token-400-invalid-grant-expired-refresh-token.json"));
    assertThat(apiStatus(at1)).isEqualTo(401);
    assertThat(apiStatus(at2)).isEqualTo(401);
    assertThat(apiStatus(unrelated)).isEqualTo(200);
    assertThat(org.stats().familyRevocations()).isEqualTo(1);
    assertThat(org.stats().tokenOutcome("expiredRefreshToken")).isEqualTo(2);
  }

  @Test
  void aSecondRefreshWithTheSameTokenWhileTheFirstIsInFlightIsRejected() throws Exception {
    start(b -> b.tokenLatency(Duration.ofMillis(300)));
    Map<String, String> form = OAuth.refreshForm(org, org.credentials().refreshToken());

    CompletableFuture<Http.Response> first = Http.formAsync(OAuth.tokenUrl(org), form);
    CompletableFuture<Http.Response> second = Http.formAsync(OAuth.tokenUrl(org), form);
    List<Http.Response> responses = List.of(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS));

    assertThat(responses).extracting(Http.Response::status).containsExactlyInAnyOrder(200, 400);
    Http.Response rejected = responses.stream().filter(r -> r.status() == 400).findFirst().orElseThrow();
    assertThat(rejected.json())
        .isEqualTo(Fixtures.json("oauth-token-400-invalid-grant-token-request-already-processed.http"));
    assertThat(org.stats().concurrentRefreshRejected()).isEqualTo(1);
    assertThat(org.stats().tokenSuccesses()).isEqualTo(1);
    assertThat(OAuth.refresh(org, org.credentials().refreshToken()).status())
        .as("the token is not stuck in flight").isEqualTo(200);
  }

  @Test
  void passwordGrantTakesThePasswordFollowedByTheSecurityToken() {
    start();
    Credentials c = org.credentials();

    Http.Response ok = OAuth.password(org, c.passwordWithSecurityToken());
    Http.Response withoutToken = OAuth.password(org, c.password());

    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().has("refresh_token")).isFalse();
    assertThat(withoutToken.status()).isEqualTo(400);
    assertThat(withoutToken.json())
        .isEqualTo(Fixtures.json("oauth-token-400-invalid-grant-authentication-failure.json"));
    assertThat(org.stats().tokenRequests("password")).isEqualTo(2);
  }

  @Test
  void changingThePasswordFailsTheOldPasswordAndRevokesRefreshTokens() {
    start();
    Credentials before = org.credentials();
    String fromRefresh = OAuth.accessToken(org);
    String fromPassword = OAuth.password(org, before.passwordWithSecurityToken()).json().get("access_token")
        .stringValue();

    org.changePassword("N3w-Passw0rd");

    assertThat(OAuth.password(org, before.passwordWithSecurityToken()).json())
        .isEqualTo(Fixtures.json("oauth-token-400-invalid-grant-authentication-failure.json"));
    assertThat(OAuth.password(org, "N3w-Passw0rd" + before.securityToken()).status()).isEqualTo(200);
    assertThat(org.credentials().password()).isEqualTo("N3w-Passw0rd");
    assertThat(OAuth.refresh(org, before.refreshToken()).json())
        .isEqualTo(Fixtures.json("oauth-token-400-invalid-grant-expired-refresh-token.json"));
    assertThat(apiStatus(fromRefresh)).isEqualTo(401);
    assertThat(apiStatus(fromPassword)).isEqualTo(200);
  }

  @Test
  void jwtBearerGrantAcceptsAnAssertionSignedWithTheRegisteredKey() {
    start();
    Map<String, Object> claims = OAuth.claims(org);
    Http.Response response = OAuth.jwt(org, OAuth.sign(claims, org.credentials().privateKeyPem()));

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().has("refresh_token")).isFalse();
    assertThat(response.json().get("scope").stringValue()).isEqualTo("api");
    assertThat(apiStatus(response.json().get("access_token").stringValue())).isEqualTo(200);
    assertThat(org.stats().tokenRequests("jwt_bearer")).isEqualTo(1);
  }

  @Test
  void jwtExpiryMayBeANumberAndTheSandboxAudienceIsAccepted() {
    start();
    Map<String, Object> claims = OAuth.claims(org);
    claims.put("exp", clock.instant().getEpochSecond() + 60);
    claims.put("aud", "https://test.salesforce.com/");

    assertThat(OAuth.jwt(org, OAuth.sign(claims, org.credentials().privateKeyPem())).status()).isEqualTo(200);
  }

  @Test
  void jwtPrnClaimWinsOverSub() {
    start();
    Map<String, Object> prnRight = OAuth.claims(org);
    prnRight.put("sub", "someone.else@example.com");
    prnRight.put("prn", org.credentials().username());
    Map<String, Object> prnWrong = OAuth.claims(org);
    prnWrong.put("prn", "someone.else@example.com");

    assertThat(OAuth.jwt(org, OAuth.sign(prnRight, org.credentials().privateKeyPem())).status()).isEqualTo(200);
    Http.Response wrong = OAuth.jwt(org, OAuth.sign(prnWrong, org.credentials().privateKeyPem()));
    assertThat(wrong.body())
        .isEqualTo("{\"error\":\"invalid_grant\",\"error_description\":\"invalid assertion\"}");
  }

  @Test
  void jwtSignedWithAnotherKeyIsAnInvalidAssertion() throws Exception {
    start();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    String otherKey = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
        generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";

    Http.Response response = OAuth.jwt(org, OAuth.sign(OAuth.claims(org), otherKey));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body())
        .isEqualTo("{\"error\":\"invalid_grant\",\"error_description\":\"invalid assertion\"}");
    assertThat(OAuth.jwt(org, "not.a.jwt").json().get("error_description").stringValue())
        .isEqualTo("invalid assertion");
  }

  @Test
  void jwtWithAForeignAudienceGetsTheRecordedAudienceBody() {
    start();
    Map<String, Object> claims = OAuth.claims(org);
    claims.put("aud", "https://evil.example.com");
    Http.Response response = OAuth.jwt(org, OAuth.sign(claims, org.credentials().privateKeyPem()));

    assertThat(response.status()).isEqualTo(Fixtures.httpStatus(
        "oauth-token-400-invalid-grant-audience-validation-failed.http"));
    assertThat(response.json()).isEqualTo(Fixtures.json(
        "oauth-token-400-invalid-grant-audience-validation-failed.http"));
  }

  @Test
  void jwtExpiredOrTooFarInTheFutureIsAnInvalidAssertion() {
    start();
    Map<String, Object> expired = OAuth.claims(org);
    expired.put("exp", clock.instant().getEpochSecond() - 1);
    Map<String, Object> tooLate = OAuth.claims(org);
    tooLate.put("exp", clock.instant().getEpochSecond() + 301);
    Map<String, Object> missing = OAuth.claims(org);
    missing.remove("exp");

    for (Map<String, Object> claims : List.of(expired, tooLate, missing)) {
      Http.Response response = OAuth.jwt(org, OAuth.sign(claims, org.credentials().privateKeyPem()));
      assertThat(response.body()).as(claims.toString())
          .isEqualTo("{\"error\":\"invalid_grant\",\"error_description\":\"invalid assertion\"}");
    }
    String valid = OAuth.sign(OAuth.claims(org), org.credentials().privateKeyPem());
    clock.advance(Duration.ofMinutes(4));
    assertThat(OAuth.jwt(org, valid).status()).as("exp is checked against the injected clock").isEqualTo(400);
  }

  @Test
  void jwtFromAnUnknownIssuerGetsTheRecordedInvalidClientIdBody() {
    start();
    Map<String, Object> claims = OAuth.claims(org);
    claims.put("iss", "3MVG9unknown");

    assertThat(OAuth.jwt(org, OAuth.sign(claims, org.credentials().privateKeyPem())).json())
        .isEqualTo(Fixtures.json("oauth-token-400-invalid-client-id.json"));
  }

  @Test
  void jwtForAUserWhoHasNotApprovedTheAppGetsTheRecordedBody() {
    start();
    org.jwtUserApproved(false);

    Http.Response response = OAuth.jwt(org, OAuth.sign(OAuth.claims(org), org.credentials().privateKeyPem()));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json()).isEqualTo(Fixtures.json("oauth-token-400-invalid-grant-user-not-approved.json"));
  }

  @Test
  void clientCredentialsWorksOnlyOnTheMyDomainHost() {
    start();
    Credentials c = org.credentials();
    Map<String, String> form = Map.of("grant_type", "client_credentials", "client_id", c.clientId(),
        "client_secret", c.clientSecret());

    Http.Response onMyDomain = Http.form(org.myDomainUrl() + "/services/oauth2/token", form);
    Http.Response onLogin = Http.form(org.loginUrl() + "/services/oauth2/token", form);

    assertThat(onMyDomain.status()).isEqualTo(200);
    assertThat(onMyDomain.json().get("api_instance_url").stringValue()).isEqualTo(org.instanceUrl());
    assertThat(onMyDomain.json().has("refresh_token")).isFalse();
    assertThat(onLogin.status()).isEqualTo(400);
    assertThat(onLogin.json()).isEqualTo(Fixtures.json(
        "oauth-token-400-invalid-grant-request-not-supported-on-this-domain.json"));
    assertThat(org.stats().tokenRequests("client_credentials")).isEqualTo(2);
  }

  @Test
  void ipRestrictionRefusesEveryGrant() {
    start();
    String live = OAuth.accessToken(org);
    org.ipRestricted(true);

    Http.Response refresh = OAuth.refresh(org, org.credentials().refreshToken());
    Http.Response password = OAuth.password(org, org.credentials().passwordWithSecurityToken());

    for (Http.Response r : List.of(refresh, password)) {
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body()).isEqualTo("{\"error\":\"invalid_grant\",\"error_description\":\"ip restricted\"}");
    }
    org.ipRestricted(false);
    assertThat(apiStatus(live)).as("sessions survive the restriction").isEqualTo(200);
  }

  @Test
  void deactivatingTheUserKillsSessionsAndRefusesGrants() {
    start();
    String live = OAuth.accessToken(org);
    org.userActive(false);

    Http.Response refresh = OAuth.refresh(org, org.credentials().refreshToken());

    assertThat(refresh.body()).isEqualTo("{\"error\":\"invalid_grant\",\"error_description\":\"inactive user\"}");
    assertThat(apiStatus(live)).isEqualTo(401);
    org.userActive(true);
    assertThat(OAuth.refresh(org, org.credentials().refreshToken()).status()).isEqualTo(200);
  }

  @Test
  void loginsBeyondTheHourlyRateGetTheRecordedBodyUntilTheWindowSlides() {
    start(b -> b.loginsPerHour(3));
    for (int i = 0; i < 3; i++) {
      assertThat(OAuth.refresh(org, org.credentials().refreshToken()).status()).isEqualTo(200);
      clock.advance(Duration.ofMinutes(10));
    }

    Http.Response limited = OAuth.password(org, org.credentials().passwordWithSecurityToken());

    assertThat(limited.status()).isEqualTo(400);
    assertThat(limited.json()).isEqualTo(Fixtures.json("oauth-token-400-invalid-grant-login-rate-exceeded.json"));
    assertThat(org.stats().tokenOutcome("loginRateExceeded")).isEqualTo(1);
    clock.advance(Duration.ofMinutes(31));
    assertThat(OAuth.refresh(org, org.credentials().refreshToken()).status())
        .as("the oldest login left the sliding hour").isEqualTo(200);
  }

  @Test
  void theSixthApprovalRevokesTheOldestRefreshTokenAndItsSessions() {
    start();
    String oldest = org.credentials().refreshToken();
    String session = OAuth.accessToken(org);
    List<String> newer = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      newer.add(org.issueRefreshToken());
    }
    assertThat(OAuth.refresh(org, oldest).status()).as("five approvals are fine").isEqualTo(200);

    newer.add(org.issueRefreshToken());

    assertThat(OAuth.refresh(org, oldest).json())
        .isEqualTo(Fixtures.json("oauth-token-400-invalid-grant-expired-refresh-token.json"));
    assertThat(apiStatus(session)).isEqualTo(401);
    for (String token : newer) {
      assertThat(OAuth.refresh(org, token).status()).isEqualTo(200);
    }
  }

  @Test
  void revokingAllRefreshTokensKillsTheirSessionsOnly() {
    start();
    String fromRefresh = OAuth.accessToken(org);
    String fromPassword = OAuth.password(org, org.credentials().passwordWithSecurityToken()).json()
        .get("access_token").stringValue();

    org.revokeRefreshTokens();

    assertThat(OAuth.refresh(org, org.credentials().refreshToken()).json())
        .isEqualTo(Fixtures.json("oauth-token-400-invalid-grant-expired-refresh-token.json"));
    assertThat(apiStatus(fromRefresh)).isEqualTo(401);
    assertThat(apiStatus(fromPassword)).isEqualTo(200);
  }

  @Test
  void sandboxRefreshReplacesTheClientAndKillsEverything() {
    start();
    Credentials old = org.credentials();
    String session = OAuth.accessToken(org);

    org.sandboxRefresh();

    Credentials fresh = org.credentials();
    assertThat(fresh.clientId()).isNotEqualTo(old.clientId());
    assertThat(fresh.clientSecret()).isNotEqualTo(old.clientSecret());
    assertThat(Http.form(OAuth.tokenUrl(org), Map.of("grant_type", "refresh_token", "client_id", old.clientId(),
        "client_secret", old.clientSecret(), "refresh_token", old.refreshToken())).json())
        .isEqualTo(Fixtures.json("oauth-token-400-invalid-client-id.json"));
    assertThat(OAuth.refresh(org, old.refreshToken()).status()).isEqualTo(400);
    assertThat(apiStatus(session)).isEqualTo(401);
    assertThat(OAuth.refresh(org, fresh.refreshToken()).status()).isEqualTo(200);
  }

  @Test
  void movingTheInstanceChangesTheInstanceUrlOfLaterTokens() {
    start();
    assertThat(OAuth.refresh(org, org.credentials().refreshToken()).json().get("instance_url").stringValue())
        .isEqualTo(org.myDomainUrl());

    org.moveInstance(org.loginUrl() + "/");

    JsonNode body = OAuth.refresh(org, org.credentials().refreshToken()).json();
    assertThat(body.get("instance_url").stringValue()).isEqualTo(org.loginUrl());
    assertThat(Http.get(org.loginUrl() + "/services/data/v67.0/limits", body.get("access_token").stringValue())
        .status()).isEqualTo(200);
  }

  @Test
  void introspectionReportsLiveSessionsWithTheirSlidingExpiry() {
    start(b -> b.sessionTimeout(Duration.ofMinutes(30)));
    Instant issued = clock.instant();
    String token = OAuth.accessToken(org);
    Credentials c = org.credentials();
    String basic = Base64.getEncoder().encodeToString((c.clientId() + ":" + c.clientSecret())
        .getBytes(StandardCharsets.UTF_8));
    String url = org.myDomainUrl() + "/services/oauth2/introspect";

    JsonNode active = Http.form(url, Map.of("token", token, "token_type_hint", "access_token"),
        "Authorization", "Basic " + basic).json();

    assertThat(active.get("active").booleanValue()).isTrue();
    assertThat(active.get("token_type").stringValue()).isEqualTo("access_token");
    assertThat(active.get("client_id").stringValue()).isEqualTo(c.clientId());
    assertThat(active.get("username").stringValue()).isEqualTo(c.username());
    assertThat(active.get("sub").stringValue()).endsWith("/id/" + org.orgId() + "/" + org.userId());
    assertThat(active.get("scope").stringValue()).isEqualTo("api refresh_token");
    assertThat(active.get("exp").longValue()).isEqualTo(issued.plus(Duration.ofMinutes(30)).getEpochSecond());
    assertThat(active.get("iat").longValue()).isEqualTo(issued.getEpochSecond());
    assertThat(active.get("nbf").longValue()).isEqualTo(issued.getEpochSecond());

    clock.advance(Duration.ofMinutes(10));
    apiStatus(token);
    Map<String, String> bodyAuth = new LinkedHashMap<>(Map.of("token", token, "client_id", c.clientId(),
        "client_secret", c.clientSecret()));
    assertThat(Http.form(url, bodyAuth).json().get("exp").longValue())
        .isEqualTo(issued.plus(Duration.ofMinutes(40)).getEpochSecond());

    clock.advance(Duration.ofMinutes(30));
    assertThat(Http.form(url, bodyAuth).body()).isEqualTo("{\"active\":false}");
    bodyAuth.put("token", "00Dnonsense!x");
    assertThat(Http.form(url, bodyAuth).body()).isEqualTo("{\"active\":false}");
    bodyAuth.put("token", c.refreshToken());
    assertThat(Http.form(url, bodyAuth).json().get("token_type").stringValue()).isEqualTo("refresh_token");
    assertThat(org.stats().introspectRequests()).isEqualTo(5);
  }

  @Test
  void revokingAnAccessTokenKillsOnlyThatSession() {
    start();
    String revoked = OAuth.accessToken(org);
    String other = OAuth.accessToken(org);
    String url = org.loginUrl() + "/services/oauth2/revoke";

    Http.Response response = Http.form(url, Map.of("token", revoked));

    assertThat(response.status()).isEqualTo(200);
    assertThat(apiStatus(revoked)).isEqualTo(401);
    assertThat(apiStatus(other)).isEqualTo(200);
    Http.Response again = Http.form(url, Map.of("token", revoked));
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.body()).isEqualTo("{\"error\":\"invalid_token\",\"error_description\":\"invalid token\"}");
  }

  @Test
  void revokingARefreshTokenKillsItsSessions() {
    start();
    String session = OAuth.accessToken(org);
    String refreshToken = org.credentials().refreshToken();

    assertThat(Http.form(org.loginUrl() + "/services/oauth2/revoke", Map.of("token", refreshToken)).status())
        .isEqualTo(200);

    assertThat(apiStatus(session)).isEqualTo(401);
    assertThat(OAuth.refresh(org, refreshToken).status()).isEqualTo(400);
    assertThat(org.stats().revokeRequests()).isEqualTo(1);
  }

  @Test
  void tokenRequestsAreCountedPerGrantAndOutcome() {
    start();
    OAuth.accessToken(org);
    OAuth.refresh(org, "bogus");
    OAuth.password(org, "wrong");

    FakeOrgStats stats = org.stats();
    assertThat(stats.tokenRequests()).isEqualTo(3);
    assertThat(stats.tokenRequestsByGrant()).containsEntry("refresh_token", 2L).containsEntry("password", 1L);
    assertThat(stats.tokenOutcomes()).containsEntry("success", 1L).containsEntry("expiredRefreshToken", 1L)
        .containsEntry("authenticationFailure", 1L);
  }

  @Test
  void theIdentityUrlAnswersLiveTokensAndRefusesDeadOnesWithPlainText() {
    start();
    JsonNode token = OAuth.refresh(org, org.credentials().refreshToken()).json();
    String id = token.get("id").stringValue();
    String access = token.get("access_token").stringValue();

    JsonNode identity = Http.get(id, access).json();

    assertThat(identity.get("user_id").stringValue()).isEqualTo(org.userId());
    assertThat(identity.get("organization_id").stringValue()).isEqualTo(org.orgId());
    assertThat(identity.get("username").stringValue()).isEqualTo(org.credentials().username());
    assertThat(identity.get("urls").get("rest").stringValue())
        .isEqualTo(org.instanceUrl() + "/services/data/v{version}/");
    org.expireSession(access);
    Http.Response dead = Http.get(id, access);
    assertThat(dead.status()).isEqualTo(403);
    assertThat(dead.header("Content-Type")).startsWith("text/plain");
    assertThat(dead.body()).isEqualTo("Bad_OAuth_Token");
    assertThat(Http.get(org.loginUrl() + "/id/00D000000000000AAA/005000000000000AAA", access).status())
        .isEqualTo(404);
  }

  @Test
  void getOnTheTokenEndpointIsRefused() {
    start();
    Http.Response response = Http.get(OAuth.tokenUrl(org), null);

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("error").stringValue()).isEqualTo("invalid_request");
  }
}
