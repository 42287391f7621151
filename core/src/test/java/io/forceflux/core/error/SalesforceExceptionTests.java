package io.forceflux.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.Fixtures;
import io.forceflux.core.internal.parse.ErrorParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SalesforceExceptionTests {
  private static final String SESSION_ID = "00D5g000004ABCD!AQ8AQJ.x_verylongtokenvalue123";
  private static final String REFRESH_TOKEN = "5Aep861abcRefreshTokenValue";

  private static SalesforceError fixture(String name) {
    Fixtures.Recorded r = Fixtures.load(name);
    return ErrorParser.parse(r.status(), r.contentType(), r.body());
  }

  @Test
  void saysTheCauseErrorCodeAttemptsAndRunbook() {
    SalesforceException e = SalesforceException.ofApiError(fixture("rest-401-invalid-session-id.json"));

    assertThat(e.failureCause()).isEqualTo(FailureCause.SESSION_EXPIRED);
    assertThat(e.getMessage())
        .contains("SESSION_EXPIRED")
        .contains("INVALID_SESSION_ID")
        .contains("Session expired or invalid")
        .contains("HTTP 401")
        .contains("1 attempt")
        .contains("recoverable")
        .contains(FailureCause.SESSION_EXPIRED.runbook());
  }

  @Test
  void exposesStatusErrorCodeRunbookAndRecoverability() {
    SalesforceException e = SalesforceException.ofTokenError(
        fixture("oauth-token-400-invalid-grant-expired-refresh-token.json"));

    assertThat(e.failureCause()).isEqualTo(FailureCause.REFRESH_TOKEN_REVOKED);
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.errorCode()).isEqualTo("invalid_grant");
    assertThat(e.recoverable()).isFalse();
    assertThat(e.runbook()).isEqualTo(FailureCause.REFRESH_TOKEN_REVOKED.runbook());
    assertThat(e.getMessage()).contains("not recoverable by refresh").contains("expired access/refresh token");
  }

  @Test
  void saysHowManyAttemptsWereMade() {
    SalesforceException e = new SalesforceException(FailureCause.SERVER_UNAVAILABLE, "gave up", null, 5, null);

    assertThat(e.attempts()).isEqualTo(5);
    assertThat(e.getMessage()).contains("5 attempts").contains("SERVER_UNAVAILABLE").contains("gave up");
  }

  @Test
  void hasNoStatusOrErrorCodeWithoutAResponse() {
    IOException io = new IOException("connection reset");

    SalesforceException e = new SalesforceException(FailureCause.TRANSPORT, "connection failed", null, 1, io);

    assertThat(e.status()).isZero();
    assertThat(e.errorCode()).isNull();
    assertThat(e.error()).isNull();
    assertThat(e.getCause()).isSameAs(io);
    assertThat(e.getMessage()).contains("TRANSPORT").contains(FailureCause.TRANSPORT.runbook());
  }

  @Test
  void keepsCauseErrorAndUnderlyingExceptionWhenTheAttemptsChange() {
    SalesforceError error = fixture("rest-401-invalid-session-id.json");
    IOException io = new IOException("x");
    SalesforceException first = new SalesforceException(FailureCause.SESSION_EXPIRED, "replay failed", error, 1, io);

    SalesforceException third = first.withAttempts(3);

    assertThat(third).isNotSameAs(first);
    assertThat(third.attempts()).isEqualTo(3);
    assertThat(third.failureCause()).isEqualTo(FailureCause.SESSION_EXPIRED);
    assertThat(third.error()).isSameAs(error);
    assertThat(third.getCause()).isSameAs(io);
    assertThat(third.getStackTrace()).isEqualTo(first.getStackTrace());
    assertThat(third.getMessage()).contains("3 attempts").contains("replay failed").doesNotContain("1 attempt,");
    assertThat(first.attempts()).isEqualTo(1);
  }

  @Test
  void returnsItselfWhenTheAttemptsDoNotChange() {
    SalesforceException e = SalesforceException.ofApiError(fixture("rest-401-invalid-session-id.json"));

    assertThat(e.withAttempts(1)).isSameAs(e);
  }

  @Test
  void neverShowsASecretInTheDetail() {
    SalesforceException e = new SalesforceException(FailureCause.UNKNOWN,
        "sent Authorization: Bearer " + SESSION_ID + " with refresh_token=" + REFRESH_TOKEN + " and password=hunter2",
        null, 1, null);

    assertThat(e.getMessage()).doesNotContain(SESSION_ID).doesNotContain("verylongtokenvalue")
        .doesNotContain(REFRESH_TOKEN).doesNotContain("hunter2");
    assertThat(e.toString()).doesNotContain(SESSION_ID).doesNotContain(REFRESH_TOKEN);
  }

  @Test
  void neverShowsASecretFromTheParsedResponse() {
    SalesforceError parsed = ErrorParser.parse(401, "application/json",
        ("[{\"message\":\"Session " + SESSION_ID + " expired\",\"errorCode\":\"INVALID_SESSION_ID\"}]").getBytes(StandardCharsets.UTF_8));

    SalesforceException e = SalesforceException.ofApiError(parsed);

    assertThat(e.getMessage()).doesNotContain(SESSION_ID).doesNotContain("verylongtokenvalue");
  }

  @Test
  void neverShowsASecretFromAnErrorThatWasNotRedactedBeforehand() {
    SalesforceError unredacted = new SalesforceError(400, ErrorFormat.OAUTH, SESSION_ID,
        "refresh_token=" + REFRESH_TOKEN, List.of(), "");

    SalesforceException e = SalesforceException.ofTokenError(unredacted);

    assertThat(e.getMessage()).doesNotContain(SESSION_ID).doesNotContain("verylongtokenvalue")
        .doesNotContain(REFRESH_TOKEN);
  }

  @Test
  void anApiLimitExceptionCarriesTheOrgsUsage() {
    LimitInfo usage = LimitInfo.parse("api-usage=15000/15000; api-bursts=1/750").orElseThrow();

    ApiLimitException e = new ApiLimitException(fixture("rest-403-request-limit-exceeded.json"), usage);

    assertThat(e.failureCause()).isEqualTo(FailureCause.API_LIMIT_EXCEEDED);
    assertThat(e.limitInfo()).isEqualTo(new LimitInfo(15000, 15000));
    assertThat(e.limitInfo().remaining()).isZero();
    assertThat(e.getMessage()).contains("api-usage=15000/15000").contains("REQUEST_LIMIT_EXCEEDED");
  }

  @Test
  void anApiLimitExceptionWithoutUsageSaysSo() {
    ApiLimitException e = new ApiLimitException(fixture("rest-403-request-limit-exceeded.json"), null);

    assertThat(e.limitInfo()).isNull();
    assertThat(e.getMessage()).contains("API request limit exceeded [");
  }

  @Test
  void readsUsageOnlyFromAWellFormedLimitHeader() {
    assertThat(LimitInfo.parse("api-usage=10018/100000")).contains(new LimitInfo(10018, 100000));
    assertThat(LimitInfo.parse("per-app-api-usage=17/250(appName=x)")).isEmpty();
    assertThat(LimitInfo.parse("api-usage=abc/100")).isEmpty();
    assertThat(LimitInfo.parse(null)).isEmpty();
  }

  @Test
  void theNamedFactoriesBuildTheMessageTheConstructorDoes() {
    SalesforceError error = fixture("rest-401-invalid-session-id.json");
    IOException io = new IOException("reset");

    assertThat(SalesforceException.of(FailureCause.TRANSPORT, "gave up").getMessage())
        .isEqualTo(new SalesforceException(FailureCause.TRANSPORT, "gave up", null, 1, null).getMessage());
    assertThat(SalesforceException.of(FailureCause.SESSION_EXPIRED, "rejected", error).getMessage())
        .isEqualTo(new SalesforceException(FailureCause.SESSION_EXPIRED, "rejected", error, 1, null).getMessage());
    SalesforceException wrapped = SalesforceException.wrapping(FailureCause.TRANSPORT, "connection failed", io);
    assertThat(wrapped.getCause()).isSameAs(io);
    assertThat(wrapped.error()).isNull();
    assertThat(wrapped.attempts()).isEqualTo(1);
  }

  @Test
  void classifiesAnApiErrorWithTheDetailGiven() {
    SalesforceError error = fixture("rest-401-invalid-session-id.json");

    SalesforceException e = SalesforceException.ofApiError(error, "GET /x failed");

    assertThat(e.failureCause()).isEqualTo(FailureCause.SESSION_EXPIRED);
    assertThat(e.failureCause()).isEqualTo(FailureCause.ofApiError(error));
    assertThat(e.detail()).isEqualTo("GET /x failed");
    assertThat(e.getMessage()).startsWith("SESSION_EXPIRED: GET /x failed [");
  }

  @Test
  void aReclassifiedFailureKeepsTheEarlierErrorAndAttempts() {
    SalesforceException earlier =
        SalesforceException.ofApiError(fixture("rest-401-invalid-session-id.json")).withAttempts(3);

    SalesforceException e =
        SalesforceException.reclassifying(FailureCause.QUERY_LOCATOR_INVALID, "cursor lost", earlier);

    assertThat(e.failureCause()).isEqualTo(FailureCause.QUERY_LOCATOR_INVALID);
    assertThat(e.error()).isSameAs(earlier.error());
    assertThat(e.attempts()).isEqualTo(3);
    assertThat(e.getCause()).isSameAs(earlier);
  }

  @Test
  void theDetailIsTheDescriptionAloneAndRedacted() {
    SalesforceException e = SalesforceException.of(FailureCause.UNKNOWN,
        "sent Authorization: Bearer " + SESSION_ID + " and gave up", fixture("rest-401-invalid-session-id.json"));

    assertThat(e.detail()).startsWith("sent Authorization: Bearer ").endsWith(" and gave up")
        .doesNotContain(SESSION_ID).doesNotContain("verylongtokenvalue")
        .doesNotContain("Runbook").doesNotContain("INVALID_SESSION_ID").doesNotContain("attempt");
    assertThat(e.getMessage()).contains(e.detail());
  }
}
