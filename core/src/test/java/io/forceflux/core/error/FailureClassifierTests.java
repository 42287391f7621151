package io.forceflux.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.Fixtures;
import io.forceflux.core.internal.parse.ErrorParser;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class FailureClassifierTests {

  private static SalesforceError fixture(String name) {
    Fixtures.Recorded r = Fixtures.load(name);
    return ErrorParser.parse(r.status(), r.contentType(), r.body());
  }

  private static SalesforceError body(int status, String contentType, String body) {
    return ErrorParser.parse(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  private static SalesforceError oauth(String error, String description) {
    return body(400, "application/json",
        "{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}");
  }

  private static SalesforceError rest(int status, String errorCode, String message) {
    return body(status, "application/json;charset=UTF-8",
        "[{\"message\":\"" + message + "\",\"errorCode\":\"" + errorCode + "\"}]");
  }

  // ---- token endpoint ----

  static Stream<Arguments> recordedTokenErrors() {
    return Stream.of(
        Arguments.of("oauth-token-400-invalid-grant-expired-refresh-token.json", FailureCause.REFRESH_TOKEN_REVOKED),
        Arguments.of("oauth-token-400-invalid-grant-authentication-failure.json", FailureCause.AUTHENTICATION_FAILURE),
        Arguments.of("oauth-token-400-invalid-grant-authentication-failure-invalid-password.json",
            FailureCause.AUTHENTICATION_FAILURE),
        Arguments.of("oauth-token-400-invalid-grant-user-not-approved.json", FailureCause.USER_NOT_APPROVED),
        Arguments.of("oauth-token-400-invalid-grant-login-rate-exceeded.json", FailureCause.LOGIN_RATE_EXCEEDED),
        Arguments.of("oauth-token-400-invalid-grant-token-request-already-processed.http",
            FailureCause.CONCURRENT_REFRESH),
        Arguments.of("oauth-token-400-invalid-grant-expired-authorization-code-concurrent-legacy.http",
            FailureCause.CONCURRENT_REFRESH),
        Arguments.of("oauth-token-400-invalid-grant-request-not-supported-on-this-domain.json",
            FailureCause.WRONG_DOMAIN),
        Arguments.of("oauth-token-400-invalid-grant-audience-validation-failed.http", FailureCause.INVALID_ASSERTION),
        Arguments.of("oauth-token-400-invalid-client-id.json", FailureCause.UNKNOWN_CLIENT),
        Arguments.of("oauth-token-400-unsupported-grant-type.json", FailureCause.UNSUPPORTED_GRANT),
        Arguments.of("soap-fault-500-invalid-login-enterprise.xml", FailureCause.AUTHENTICATION_FAILURE));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("recordedTokenErrors")
  void classifiesEveryRecordedTokenError(String file, FailureCause expected) {
    assertThat(FailureClassifier.classifyTokenError(fixture(file))).isEqualTo(expected);
  }

  static Stream<Arguments> unrecordedTokenErrors() {
    return Stream.of(
        Arguments.of("invalid_grant", "ip restricted", FailureCause.IP_RESTRICTED),
        Arguments.of("invalid_grant", "IP restricted or invalid login hours", FailureCause.IP_RESTRICTED),
        Arguments.of("invalid_grant", "inactive user", FailureCause.INACTIVE_USER),
        Arguments.of("inactive_user", "user is inactive", FailureCause.INACTIVE_USER),
        Arguments.of("inactive_org", "organization is inactive", FailureCause.INACTIVE_ORG),
        Arguments.of("invalid_grant", "invalid assertion", FailureCause.INVALID_ASSERTION),
        Arguments.of("invalid_client", "invalid client credentials", FailureCause.INVALID_CLIENT_CREDENTIALS),
        Arguments.of("invalid_app_access", "user is not admin approved to access this app",
            FailureCause.USER_NOT_APPROVED),
        Arguments.of("rate_limit_exceeded", "rate limit exceeded", FailureCause.LOGIN_RATE_EXCEEDED));
  }

  @ParameterizedTest(name = "{0}/{1} -> {2}")
  @MethodSource("unrecordedTokenErrors")
  void classifiesTokenErrorsKnownFromTheDocumentation(String error, String description, FailureCause expected) {
    assertThat(FailureClassifier.classifyTokenError(oauth(error, description))).isEqualTo(expected);
  }

  @Test
  void treatsAConcurrentRefreshAsRecoverableByRetrying() {
    FailureCause cause = FailureClassifier.classifyTokenError(
        fixture("oauth-token-400-invalid-grant-token-request-already-processed.http"));

    assertThat(cause.recoverable()).isTrue();
    assertThat(cause.remedy()).isEqualTo(FailureCause.Remedy.RETRY);
  }

  @Test
  void treatsARevokedRefreshTokenAsNotRecoverable() {
    FailureCause cause = FailureClassifier.classifyTokenError(
        fixture("oauth-token-400-invalid-grant-expired-refresh-token.json"));

    assertThat(cause.recoverable()).isFalse();
  }

  @Test
  void classifiesSoapLoginFaultsByTheirCode() {
    assertThat(FailureClassifier.classifyTokenError(soapFault("LOGIN_MUST_USE_SECURITY_TOKEN")))
        .isEqualTo(FailureCause.AUTHENTICATION_FAILURE);
    assertThat(FailureClassifier.classifyTokenError(soapFault("sf:LOGIN_DURING_RESTRICTED_TIME")))
        .isEqualTo(FailureCause.IP_RESTRICTED);
    assertThat(FailureClassifier.classifyTokenError(soapFault("sf:INVALID_OPERATION_WITH_EXPIRED_PASSWORD")))
        .isEqualTo(FailureCause.EXPIRED_PASSWORD);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {500, 502, 503, 504, 599})
  void anyServerErrorFromTheTokenEndpointIsServerUnavailableWhateverItsFormat(int status) {
    String oauth = "{\"error\":\"unknown_error\",\"error_description\":\"retry your request\"}";
    assertThat(FailureClassifier.classifyTokenError(body(status, "application/json", oauth)))
        .isEqualTo(FailureCause.SERVER_UNAVAILABLE);
    assertThat(FailureClassifier.classifyTokenError(body(status, "application/json",
        "{\"error\":\"invalid_grant\",\"error_description\":\"authentication failure\"}")))
        .isEqualTo(FailureCause.SERVER_UNAVAILABLE);
    assertThat(FailureClassifier.classifyTokenError(body(status, "application/json", "{}")))
        .isEqualTo(FailureCause.SERVER_UNAVAILABLE);
    assertThat(FailureClassifier.classifyTokenError(body(status, null, ""))).isEqualTo(FailureCause.SERVER_UNAVAILABLE);
  }

  @Test
  void unknownErrorFromTheTokenEndpointIsRetried() {
    assertThat(FailureClassifier.classifyTokenError(oauth("unknown_error", "retry your request")).recoverable())
        .isTrue();
  }

  @Test
  void aSoapLoginFaultKeepsItsMeaningAlthoughSoapSendsItAtFiveHundred() {
    assertThat(FailureClassifier.classifyTokenError(fixture("soap-fault-500-invalid-login-enterprise.xml")))
        .isEqualTo(FailureCause.AUTHENTICATION_FAILURE);
  }

  @Test
  void treatsAMaintenancePageFromTheTokenEndpointAsServerUnavailable() {
    SalesforceError page = body(503, "text/html", "<html><title>Maintenance</title></html>");

    assertThat(FailureClassifier.classifyTokenError(page)).isEqualTo(FailureCause.SERVER_UNAVAILABLE);
  }

  private static SalesforceError soapFault(String faultcode) {
    return body(500, "text/xml",
        "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><soapenv:Fault>"
            + "<faultcode>" + faultcode + "</faultcode><faultstring>x</faultstring></soapenv:Fault></soapenv:Body>"
            + "</soapenv:Envelope>");
  }

  // ---- API calls ----

  @Test
  void classifiesAnExpiredSessionAsRecoverableByRefreshing() {
    FailureCause cause = FailureClassifier.classifyApiError(fixture("rest-401-invalid-session-id.json"));

    assertThat(cause).isEqualTo(FailureCause.SESSION_EXPIRED);
    assertThat(cause.recoverable()).isTrue();
    assertThat(cause.remedy()).isEqualTo(FailureCause.Remedy.REFRESH);
  }

  @Test
  void classifiesARecordedExpiredSessionWithHeadersTheSame() {
    assertThat(FailureClassifier.classifyApiError(fixture("rest-401-invalid-session-id-post-with-headers.http")))
        .isEqualTo(FailureCause.SESSION_EXPIRED);
  }

  @Test
  void classifiesASessionRejectedByPolicyAsNotRecoverable() {
    FailureCause cause = FailureClassifier.classifyApiError(
        fixture("rest-401-invalid-session-id-not-valid-for-rest-api-with-headers.http"));

    assertThat(cause).isEqualTo(FailureCause.SESSION_POLICY);
    assertThat(cause.recoverable()).isFalse();
    assertThat(cause.remedy()).isEqualTo(FailureCause.Remedy.NONE);
  }

  @Test
  void classifiesTheSoapVariantOfASessionPolicyRejectionTheSame() {
    SalesforceError fault = body(500, "text/xml",
        "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><soapenv:Fault>"
            + "<faultcode>sf:INVALID_SESSION_ID</faultcode><faultstring>INVALID_SESSION_ID: This session is not valid "
            + "for use with the API</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>");

    assertThat(FailureClassifier.classifyApiError(fault)).isEqualTo(FailureCause.SESSION_POLICY);
  }

  @Test
  void classifiesSoapAndBulkInvalidSessionsAsExpiredSessions() {
    SalesforceError bulk = body(400, "application/xml",
        "<error xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\"><exceptionCode>InvalidSessionId"
            + "</exceptionCode><exceptionMessage>Invalid session id</exceptionMessage></error>");

    assertThat(FailureClassifier.classifyApiError(fixture("soap-fault-500-invalid-session-id-after-logout-enterprise.xml")))
        .isEqualTo(FailureCause.SESSION_EXPIRED);
    assertThat(FailureClassifier.classifyApiError(fixture("soap-fault-invalid-session-id-partner-cumulusci.xml")))
        .isEqualTo(FailureCause.SESSION_EXPIRED);
    assertThat(FailureClassifier.classifyApiError(bulk)).isEqualTo(FailureCause.SESSION_EXPIRED);
  }

  @Test
  void classifiesAnInvalidAuthHeaderAsNotRecoverable() {
    FailureCause cause = FailureClassifier.classifyApiError(
        fixture("rest-401-invalid-auth-header-jwt-format-with-headers.http"));

    assertThat(cause).isEqualTo(FailureCause.INVALID_AUTH_HEADER);
    assertThat(cause.recoverable()).isFalse();
  }

  @Test
  void classifiesAnExhaustedApiAllocationAsApiLimitExceeded() {
    FailureCause cause = FailureClassifier.classifyApiError(fixture("rest-403-request-limit-exceeded.json"));

    assertThat(cause).isEqualTo(FailureCause.API_LIMIT_EXCEEDED);
    assertThat(cause.recoverable()).isFalse();
  }

  @Test
  void classifiesAMaintenancePageAsServerUnavailable() {
    SalesforceError page = body(503, "text/html", "<!DOCTYPE html><html><title>Down for Maintenance</title></html>");

    FailureCause cause = FailureClassifier.classifyApiError(page);

    assertThat(cause).isEqualTo(FailureCause.SERVER_UNAVAILABLE);
    assertThat(cause.remedy()).isEqualTo(FailureCause.Remedy.RETRY);
  }

  @Test
  void classifiesAServerTooBusyErrorAsServerUnavailable() {
    assertThat(FailureClassifier.classifyApiError(rest(503, "SERVER_UNAVAILABLE", "Server too busy")))
        .isEqualTo(FailureCause.SERVER_UNAVAILABLE);
  }

  @Test
  void classifiesAnHtmlPageServedWithStatus200AsAMalformedResponse() {
    SalesforceError page = body(200, "text/html", "<html><head><title>Login</title></head></html>");

    assertThat(FailureClassifier.classifyApiError(page)).isEqualTo(FailureCause.MALFORMED_RESPONSE);
  }

  @Test
  void classifiesAnInvalidQueryLocator() {
    assertThat(FailureClassifier.classifyApiError(rest(400, "INVALID_QUERY_LOCATOR", "invalid query locator")))
        .isEqualTo(FailureCause.QUERY_LOCATOR_INVALID);
  }

  @Test
  void classifiesARowLock() {
    assertThat(FailureClassifier.classifyApiError(
        rest(400, "UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record")))
        .isEqualTo(FailureCause.ROW_LOCKED);
  }

  @Test
  void classifiesAMalformedQueryAsAnApiErrorThatIsNotRecoverable() {
    FailureCause cause = FailureClassifier.classifyApiError(rest(400, "MALFORMED_QUERY", "unexpected token: q"));

    assertThat(cause).isEqualTo(FailureCause.API_ERROR);
    assertThat(cause.recoverable()).isFalse();
  }

  @Test
  void classifiesARecordedInvalidFieldAsAnApiError() {
    assertThat(FailureClassifier.classifyApiError(fixture("rest-400-invalid-field.json")))
        .isEqualTo(FailureCause.API_ERROR);
  }

  @Test
  void classifiesAnExpiredPasswordAndADisabledApi() {
    assertThat(FailureClassifier.classifyApiError(rest(401, "INVALID_OPERATION_WITH_EXPIRED_PASSWORD", "expired")))
        .isEqualTo(FailureCause.EXPIRED_PASSWORD);
    assertThat(FailureClassifier.classifyApiError(
        rest(403, "API_DISABLED_FOR_ORG", "The REST API is not enabled for this Organization.")))
        .isEqualTo(FailureCause.API_DISABLED);
  }

  @Test
  void classifiesAnEmptyOrGarbledErrorAsUnknownOrMalformed() {
    assertThat(FailureClassifier.classifyApiError(body(500, null, ""))).isEqualTo(FailureCause.UNKNOWN);
    assertThat(FailureClassifier.classifyApiError(body(400, null, "[{\"message\":\"trunc")))
        .isEqualTo(FailureCause.MALFORMED_RESPONSE);
    assertThat(FailureClassifier.classifyApiError(body(200, null, ""))).isEqualTo(FailureCause.MALFORMED_RESPONSE);
  }

  // ---- causes ----

  @ParameterizedTest
  @EnumSource(FailureCause.class)
  void everyCauseHasARunbook(FailureCause cause) {
    assertThat(cause.runbook()).isNotBlank().hasSizeGreaterThan(40);
  }

  @Test
  void onlyTransientCausesAreRecoverable() {
    Set<FailureCause> recoverable = Arrays.stream(FailureCause.values())
        .filter(FailureCause::recoverable)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(FailureCause.class)));

    assertThat(recoverable).containsExactlyInAnyOrder(FailureCause.SESSION_EXPIRED, FailureCause.CONCURRENT_REFRESH,
        FailureCause.SERVER_UNAVAILABLE, FailureCause.TRANSPORT, FailureCause.TOKEN_STORE_UNAVAILABLE);
  }
}
