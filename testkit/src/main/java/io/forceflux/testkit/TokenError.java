package io.forceflux.testkit;

/** The OAuth errors the token endpoint answers with, bodies as Salesforce sends them (HTTP 400). */
enum TokenError {
  EXPIRED_REFRESH_TOKEN("invalid_grant", "expired access/refresh token", "expiredRefreshToken"),
  AUTHENTICATION_FAILURE("invalid_grant", "authentication failure", "authenticationFailure"),
  IP_RESTRICTED("invalid_grant", "ip restricted", "ipRestricted"),
  USER_NOT_APPROVED("invalid_grant", "user hasn't approved this consumer", "userNotApproved"),
  INACTIVE_USER("invalid_grant", "inactive user", "inactiveUser"),
  LOGIN_RATE_EXCEEDED("invalid_grant", "login rate exceeded", "loginRateExceeded"),
  CONCURRENT_REFRESH("invalid_grant", "token request is already being processed", "concurrentRefreshRejected"),
  INVALID_ASSERTION("invalid_grant", "invalid assertion", "invalidAssertion"),
  AUDIENCE_VALIDATION_FAILED("invalid_grant", "Audience validation failed", "audienceValidationFailed"),
  WRONG_DOMAIN("invalid_grant", "request not supported on this domain", "requestNotSupportedOnThisDomain"),
  INVALID_CLIENT_ID("invalid_client_id", "client identifier invalid", "invalidClientId"),
  INVALID_CLIENT("invalid_client", "invalid client credentials", "invalidClient"),
  UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", "grant type not supported", "unsupportedGrantType"),
  MUST_USE_POST("invalid_request", "must use HTTP POST", "invalidRequest");

  final String error;
  final String description;
  final String outcome;

  TokenError(String error, String description, String outcome) {
    this.error = error;
    this.description = description;
    this.outcome = outcome;
  }

  String body() {
    return "{\"error\":" + FakeJson.quote(error) + ",\"error_description\":" + FakeJson.quote(description) + "}";
  }
}
