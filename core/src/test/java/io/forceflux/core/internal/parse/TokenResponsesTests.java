package io.forceflux.core.internal.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.forceflux.core.Fixtures;
import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.GrantType;
import io.forceflux.core.auth.InstanceUrlPolicy;
import io.forceflux.core.auth.TokenResponse;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenResponsesTests {
  private static final String ACCESS_TOKEN = "00D5g000004ABCD!AQ8AQJ.x_verylongtokenvalue123";
  private static final String REFRESH_TOKEN = "5Aep861abcRotatedRefreshToken";
  private static final InstanceUrlPolicy STANDARD = InstanceUrlPolicy.standard();

  private static TokenResponse parse(GrantType grant, int status, String contentType, String body, Instant at,
      InstanceUrlPolicy policy) {
    return TokenResponses.parse(grant, status, contentType, body.getBytes(StandardCharsets.UTF_8), at, policy);
  }

  private static TokenResponse parse(String body) {
    return parse(GrantType.REFRESH_TOKEN, 200, "application/json", body, Instant.now(), STANDARD);
  }

  private static SalesforceException failure(GrantType grant, int status, String contentType, byte[] body,
      InstanceUrlPolicy policy) {
    SalesforceException e = catchThrowableOfType(SalesforceException.class,
        () -> TokenResponses.parse(grant, status, contentType, body, Instant.now(), policy));
    assertThat(e).as("a SalesforceException").isNotNull();
    return e;
  }

  private static SalesforceException failure(String body) {
    return failure(GrantType.REFRESH_TOKEN, 200, "application/json", body.getBytes(StandardCharsets.UTF_8), STANDARD);
  }

  /** The failure for the recorded SOAP login success with {@code edit} applied to its text. */
  private static SalesforceException soapLoginFailure(UnaryOperator<String> edit) {
    String body = edit.apply(new String(Fixtures.bytes("soap-login-200-success-enterprise.xml"),
        StandardCharsets.UTF_8));
    return failure(GrantType.SOAP_LOGIN, 200, "text/xml", body.getBytes(StandardCharsets.UTF_8), STANDARD);
  }

  private static String tokenBody(String instanceUrl) {
    return "{\"access_token\":\"" + ACCESS_TOKEN + "\",\"refresh_token\":\"" + REFRESH_TOKEN + "\",\"instance_url\":\""
        + instanceUrl + "\",\"id\":\"https://login.salesforce.com/id/00Dx0000000BV7z/005x00000012Q9P\","
        + "\"token_type\":\"Bearer\",\"issued_at\":\"1278448832702\"}";
  }

  // ---- recorded successes ----

  static Stream<Arguments> recordedSuccesses() {
    return Stream.of(
        Arguments.of("oauth-token-200-password-camel.json", "https://eu11.salesforce.com", 1674496911543L,
            "00D4100000xxxxx!faketoken"),
        Arguments.of("oauth-token-200-password-postman-collection.json", "https://pozil-dev-ed.my.salesforce.com",
            1609942615640L, "ACCESS_TOKEN_GOES_HERE"),
        Arguments.of("oauth-token-200-password-restforce.json", "https://na1.salesforce.com", 1278448832702L,
            "00Dx0000000BV7z!AR8AQAxo9UfVkh8AlV0Gomt9Czx9LjHnSSpwBMmbRcgKFmxOtvxjTrKW19ye6PE3Ds1eQz3z8jr3W7_VbWmEu4"
                + "Q8TVGSTHxs"),
        Arguments.of("oauth-token-200-with-is_readonly-camel.json", "https://xxxxxxxx--xxxxxxx.cs5.my.salesforce.com",
            1442798068621L, "00XXXXXXXXXXXX!ARMAQKg_lg_hGaRElvizVFBQHoCpvX8tzwGnROQ0_MDPXSceMeZHtm3JHkPmMhlgK0Km3rpJkw"
                + "xwHInd_8o022KsDy.p4O.X"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordedSuccesses")
  void parsesEveryRecordedTokenResponse(String file, String instanceUrl, long issuedAtMillis, String accessToken) {
    Instant issuedAt = Instant.ofEpochMilli(issuedAtMillis);

    TokenResponse response = TokenResponses.parse(GrantType.PASSWORD, 200, "application/json", Fixtures.bytes(file),
        issuedAt.plusSeconds(2), STANDARD);

    AccessToken token = response.token();
    assertThat(token.value()).isEqualTo(accessToken);
    assertThat(token.instanceUrl()).isEqualTo(URI.create(instanceUrl));
    assertThat(token.issuedAt()).isEqualTo(issuedAt);
    assertThat(token.grantType()).isEqualTo(GrantType.PASSWORD);
    assertThat(token.identityUrl()).startsWith("https://").contains("/id/00D");
    assertThat(token.expiresAt()).isNull();
    assertThat(token.idleTimeout()).isNull();
    assertThat(response.rotatedRefreshToken()).isNull();
  }

  @Test
  void coversEveryRecordedTokenSuccessFixture() {
    assertThat(Fixtures.names().stream().filter(n -> n.startsWith("oauth-token-200-")))
        .containsExactlyInAnyOrder(
            "oauth-token-200-password-camel.json",
            "oauth-token-200-password-postman-collection.json",
            "oauth-token-200-password-restforce.json",
            "oauth-token-200-with-is_readonly-camel.json",
            "oauth-token-200-client-credentials-postman-collection.json");
  }

  @Test
  void refusesThePostmanClientCredentialsTemplateWhosePlaceholderIsNoUrl() {
    SalesforceException e = failure(GrantType.CLIENT_CREDENTIALS, 200, "application/json",
        Fixtures.bytes("oauth-token-200-client-credentials-postman-collection.json"), STANDARD);

    assertThat(e.failureCause()).isEqualTo(FailureCause.UNTRUSTED_URL);
  }

  @Test
  void parsesTheClientCredentialsShapeWithARealHostAndFallsBackToReceiptTimeForAPlaceholderIssuedAt() {
    String body = new String(Fixtures.bytes("oauth-token-200-client-credentials-postman-collection.json"),
        StandardCharsets.UTF_8).replace("https://<my_domain>", "https://acme.my.salesforce.com");
    Instant received = Instant.parse("2026-03-01T10:00:00Z");

    TokenResponse response = parse(GrantType.CLIENT_CREDENTIALS, 200, "application/json", body, received, STANDARD);

    assertThat(response.token().instanceUrl()).isEqualTo(URI.create("https://acme.my.salesforce.com"));
    assertThat(response.token().issuedAt()).isEqualTo(received);
    assertThat(response.scope()).isEqualTo("<scope list>");
    assertThat(response.rotatedRefreshToken()).isNull();
  }

  // ---- fields ----

  @Test
  void picksUpARotatedRefreshToken() {
    TokenResponse response = parse(tokenBody("https://na1.salesforce.com"));

    assertThat(response.rotatedRefreshToken()).isNotNull();
    assertThat(response.rotatedRefreshToken().reveal()).isEqualTo(REFRESH_TOKEN);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"\"", "\"  \"", "null", "{\"a\":1}"})
  void ignoresARefreshTokenThatIsBlankOrNotAString(String refresh) {
    TokenResponse response = parse("{\"access_token\":\"" + ACCESS_TOKEN + "\",\"instance_url\":"
        + "\"https://na1.salesforce.com\",\"refresh_token\":" + refresh + "}");

    assertThat(response.rotatedRefreshToken()).isNull();
  }

  @Test
  void readsIssuedAtAsMillisecondsAndTenDigitsAsSeconds() {
    Instant received = Instant.ofEpochMilli(1674496911543L).plusSeconds(1);
    String millis = "{\"access_token\":\"t\",\"instance_url\":\"https://na1.salesforce.com\",\"issued_at\":\"1674496911543\"}";
    String seconds = millis.replace("1674496911543", "1674496911");

    assertThat(parse(GrantType.PASSWORD, 200, null, millis, received, STANDARD).token().issuedAt())
        .isEqualTo(Instant.ofEpochMilli(1674496911543L));
    assertThat(parse(GrantType.PASSWORD, 200, null, seconds, received, STANDARD).token().issuedAt())
        .isEqualTo(Instant.ofEpochSecond(1674496911L));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"1278448832702\"", "\"not-a-number\"", "\"99999999999999999999999\"", "\"-5\"", "{}"})
  void usesTheReceiptTimeWhenIssuedAtIsAbsurd(String issuedAt) {
    Instant received = Instant.parse("2026-03-01T10:00:00Z");

    TokenResponse response = parse(GrantType.PASSWORD, 200, null, "{\"access_token\":\"t\",\"instance_url\":"
        + "\"https://na1.salesforce.com\",\"issued_at\":" + issuedAt + "}", received, STANDARD);

    assertThat(response.token().issuedAt()).isEqualTo(received);
  }

  @Test
  void keepsOnlyTheOriginOfAnInstanceUrlWithATrailingSlash() {
    TokenResponse response = parse(tokenBody("https://yourInstance.salesforce.com/"));

    assertThat(response.token().instanceUrl()).isEqualTo(URI.create("https://yourinstance.salesforce.com"));
    assertThat(response.token().isSameOrigin(URI.create("https://yourinstance.salesforce.com:443/services/data")))
        .isTrue();
  }

  // ---- errors ----

  static Stream<Arguments> recordedErrors() {
    return Stream.of(
        Arguments.of("oauth-token-400-invalid-grant-expired-refresh-token.json", FailureCause.REFRESH_TOKEN_REVOKED),
        Arguments.of("oauth-token-400-invalid-grant-authentication-failure.json", FailureCause.AUTHENTICATION_FAILURE),
        Arguments.of("oauth-token-400-invalid-grant-token-request-already-processed.http",
            FailureCause.CONCURRENT_REFRESH),
        Arguments.of("oauth-token-400-invalid-grant-user-not-approved.json", FailureCause.USER_NOT_APPROVED),
        Arguments.of("oauth-token-400-invalid-grant-request-not-supported-on-this-domain.json",
            FailureCause.WRONG_DOMAIN),
        Arguments.of("oauth-token-400-invalid-client-id.json", FailureCause.UNKNOWN_CLIENT),
        Arguments.of("oauth-token-400-invalid-grant-audience-validation-failed.http", FailureCause.INVALID_ASSERTION));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("recordedErrors")
  void turnsEveryRecordedTokenErrorIntoAClassifiedException(String file, FailureCause expected) {
    Fixtures.Recorded r = Fixtures.load(file);

    SalesforceException e = failure(GrantType.REFRESH_TOKEN, r.status(), r.contentType(), r.body(), STANDARD);

    assertThat(e.failureCause()).isEqualTo(expected);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.error()).isNotNull();
    assertThat(e.getMessage()).contains(expected.name()).contains(expected.runbook());
  }

  @Test
  void turnsAnAnswerWithoutAnAccessTokenIntoAMalformedResponse() {
    SalesforceException e = failure("{\"instance_url\":\"https://na1.salesforce.com\",\"refresh_token\":\""
        + REFRESH_TOKEN + "\"}");

    assertThat(e.failureCause()).isEqualTo(FailureCause.MALFORMED_RESPONSE);
    assertThat(e.getMessage()).contains("access_token").doesNotContain(REFRESH_TOKEN);
    assertThat(e.error().snippet()).isEmpty();
  }

  @Test
  void turnsAnAnswerWithoutAnInstanceUrlIntoAMalformedResponse() {
    SalesforceException e = failure("{\"access_token\":\"" + ACCESS_TOKEN + "\"}");

    assertThat(e.failureCause()).isEqualTo(FailureCause.MALFORMED_RESPONSE);
    assertThat(e.getMessage()).contains("instance_url");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "<!DOCTYPE html><html><head><title>Salesforce</title></head><body>Log in</body></html>",
      "{\"access_token\":\"00D5g000004ABCD!AQ8AQJ.x_verylongtokenvalue123\",\"instance_url\":\"https://na1.sales",
      "",
      "[]",
      "\"00D5g000004ABCD!AQ8AQJ.x_verylongtokenvalue123\"",
      "null"})
  void turnsAGarbledSuccessIntoAMalformedResponse(String body) {
    SalesforceException e = failure(body);

    assertThat(e.failureCause()).isEqualTo(FailureCause.MALFORMED_RESPONSE);
    assertThat(e.getMessage()).doesNotContain(ACCESS_TOKEN).doesNotContain("verylongtokenvalue");
    assertThat(e.error().snippet()).isEmpty();
  }

  @Test
  void turnsAnHtmlPageWithAnHtmlContentTypeIntoAMalformedResponse() {
    SalesforceException e = failure(GrantType.PASSWORD, 200, "text/html",
        "<html><title>Captive portal</title></html>".getBytes(StandardCharsets.UTF_8), STANDARD);

    assertThat(e.failureCause()).isEqualTo(FailureCause.MALFORMED_RESPONSE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://evil.example", "https://evil.example", "http://na1.salesforce.com",
      "https://salesforce.com.evil.example", "https://evilsalesforce.com", "https://na1.salesforce.com@evil.example",
      "https://na1.salesforce.com.", "ftp://na1.salesforce.com", "https://<not a url>", "/services/data",
      "javascript:alert(1)"})
  void refusesAnInstanceUrlOutsideSalesforce(String instanceUrl) {
    SalesforceException e = failure(tokenBody(instanceUrl));

    assertThat(e.failureCause()).isEqualTo(FailureCause.UNTRUSTED_URL);
    assertThat(e.getMessage()).doesNotContain(ACCESS_TOKEN).doesNotContain("verylongtokenvalue")
        .doesNotContain(REFRESH_TOKEN);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://na1.salesforce.com", "https://acme.my.salesforce.com",
      "https://acme--dev.sandbox.my.salesforce.com", "https://acme.lightning.force.com", "https://ACME.MY.SALESFORCE.COM",
      "https://acme.my.site.com", "https://acme.my.salesforce.mil"})
  void trustsHttpsInstanceUrlsOnSalesforceDomains(String instanceUrl) {
    assertThat(parse(tokenBody(instanceUrl)).token().value()).isEqualTo(ACCESS_TOKEN);
  }

  @Test
  void trustsExactlyTheAllowListedOrigin() {
    InstanceUrlPolicy loopback = InstanceUrlPolicy.allowing("http://127.0.0.1:8080");

    assertThat(loopback.allows(URI.create("http://127.0.0.1:8080"))).isTrue();
    assertThat(loopback.allows(URI.create("http://127.0.0.1:8080/services/data/v67.0"))).isTrue();
    assertThat(loopback.allows(URI.create("http://127.0.0.1:8081"))).isFalse();
    assertThat(loopback.allows(URI.create("http://127.0.0.1"))).isFalse();
    assertThat(loopback.allows(URI.create("https://127.0.0.1:8080"))).isFalse();
    assertThat(loopback.allows(URI.create("http://localhost:8080"))).isFalse();
    assertThat(loopback.allows(URI.create("http://evil.example:8080"))).isFalse();
    assertThat(loopback.allows(URI.create("https://na1.salesforce.com"))).isTrue();
    assertThat(STANDARD.allows(URI.create("http://127.0.0.1:8080"))).isFalse();
  }

  @Test
  void acceptsATokenForTheAllowListedOriginOnly() {
    InstanceUrlPolicy loopback = InstanceUrlPolicy.allowing("http://127.0.0.1:8080");

    TokenResponse response = parse(GrantType.REFRESH_TOKEN, 200, null, tokenBody("http://127.0.0.1:8080/"),
        Instant.now(), loopback);
    SalesforceException refused = failure(GrantType.REFRESH_TOKEN, 200, null,
        tokenBody("http://127.0.0.1:9090").getBytes(StandardCharsets.UTF_8), loopback);

    assertThat(response.token().instanceUrl()).isEqualTo(URI.create("http://127.0.0.1:8080"));
    assertThat(refused.failureCause()).isEqualTo(FailureCause.UNTRUSTED_URL);
  }

  @Test
  void anUntrustedInstanceUrlNamesTheBuilderCallThatAllowsItsOrigin() {
    SalesforceException e = failure(tokenBody("http://localhost:9090"));

    assertThat(e.getMessage())
        .contains(".instanceUrlPolicy(InstanceUrlPolicy.allowing(\"http://localhost:9090\"))");
  }

  @Test
  void anAllowListWithADefaultPortMatchesTheUrlWithoutIt() {
    InstanceUrlPolicy policy = InstanceUrlPolicy.allowing("http://fake-org.test:80");

    assertThat(policy.allows(URI.create("http://fake-org.test/"))).isTrue();
    assertThat(policy.toString()).contains("http://fake-org.test");
  }

  @Test
  void anAllowListEntryThatIsNoHttpOriginIsRejected() {
    assertThatThrownBy(() -> InstanceUrlPolicy.allowing("ftp://127.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- SOAP login ----

  @Test
  void readsTheRecordedSoapLoginWithTheSessionsIdleTimeout() {
    Instant received = Instant.parse("2026-03-01T10:00:00Z");

    TokenResponse response = TokenResponses.parse(GrantType.SOAP_LOGIN, 200, "text/xml; charset=utf-8",
        Fixtures.bytes("soap-login-200-success-enterprise.xml"), received, STANDARD);

    AccessToken token = response.token();
    assertThat(token.value()).isEqualTo("12345");
    assertThat(token.instanceUrl()).isEqualTo(URI.create("https://na15.salesforce.com"));
    assertThat(token.idleTimeout()).isEqualTo(Duration.ofSeconds(7200));
    assertThat(token.issuedAt()).isEqualTo(received);
    assertThat(token.grantType()).isEqualTo(GrantType.SOAP_LOGIN);
    assertThat(response.rotatedRefreshToken()).isNull();
  }

  @Test
  void buildsTheSoapLoginIdentityUrlOnTheInstanceOrigin() {
    TokenResponse response = TokenResponses.parse(GrantType.SOAP_LOGIN, 200, "text/xml",
        Fixtures.bytes("soap-login-200-success-enterprise.xml"), Instant.now(), STANDARD);

    assertThat(response.token().identityUrl())
        .isEqualTo("https://na15.salesforce.com/id/00Di0000000icUBEAY/005i0000002MUqLAAW");
  }

  @Test
  void turnsARecordedSoapLoginFaultIntoAnAuthenticationFailure() {
    Fixtures.Recorded r = Fixtures.load("soap-fault-500-invalid-login-enterprise.xml");

    SalesforceException e = failure(GrantType.SOAP_LOGIN, r.status(), r.contentType(), r.body(), STANDARD);

    assertThat(r.status()).isEqualTo(500);
    assertThat(e.failureCause()).isEqualTo(FailureCause.AUTHENTICATION_FAILURE);
    assertThat(e.errorCode()).isEqualTo("INVALID_LOGIN");
    assertThat(e.recoverable()).isFalse();
  }

  @Test
  void turnsASoapFaultSentWithStatus200IntoItsCause() {
    SalesforceException e = failure(GrantType.SOAP_LOGIN, 200, "text/xml",
        Fixtures.bytes("soap-fault-500-invalid-login-enterprise.xml"), STANDARD);

    assertThat(e.failureCause()).isEqualTo(FailureCause.AUTHENTICATION_FAILURE);
  }

  @Test
  void refusesASoapLoginWhoseServerUrlIsOutsideSalesforce() {
    SalesforceException e = soapLoginFailure(body -> body
        .replace("https://na15.salesforce.com/services/Soap/c", "http://evil.example/services/Soap/c"));

    assertThat(e.failureCause()).isEqualTo(FailureCause.UNTRUSTED_URL);
  }

  @Test
  void refusesASoapLoginWithAnExpiredPassword() {
    SalesforceException e = soapLoginFailure(body -> body
        .replace("<passwordExpired>false</passwordExpired>", "<passwordExpired>true</passwordExpired>"));

    assertThat(e.failureCause()).isEqualTo(FailureCause.EXPIRED_PASSWORD);
  }

  @ParameterizedTest
  @ValueSource(strings = {"<html><title>Maintenance</title></html>", "not xml", "",
      "<loginResponse><result><serverUrl>https://na15.salesforce.com</serverUrl></result></loginResponse>"})
  void turnsAnUnreadableSoapLoginIntoAMalformedResponse(String body) {
    SalesforceException e = failure(GrantType.SOAP_LOGIN, 200, "text/xml", body.getBytes(StandardCharsets.UTF_8),
        STANDARD);

    assertThat(e.failureCause()).isEqualTo(FailureCause.MALFORMED_RESPONSE);
  }

  @Test
  void neverShowsTheSessionIdOfAnUntrustedSoapLogin() {
    SalesforceException e = soapLoginFailure(body -> body
        .replace("<sessionId>12345</sessionId>", "<sessionId>" + ACCESS_TOKEN + "</sessionId>")
        .replace("https://na15.salesforce.com/services/Soap/c", "https://evil.example/services/Soap/c"));

    assertThat(e.getMessage()).doesNotContain(ACCESS_TOKEN).doesNotContain("verylongtokenvalue");
  }

  @Test
  void aTokenResponseCarryingAnErrorIsAnError() {
    SalesforceException e = failure(GrantType.REFRESH_TOKEN, 400, "application/json",
        ("{\"error\":\"invalid_grant\",\"error_description\":\"expired access/refresh token\",\"refresh_token\":\""
            + REFRESH_TOKEN + "\"}").getBytes(StandardCharsets.UTF_8), STANDARD);

    assertThat(e.failureCause()).isEqualTo(FailureCause.REFRESH_TOKEN_REVOKED);
    assertThat(e.getMessage()).doesNotContain(REFRESH_TOKEN);
  }
}
