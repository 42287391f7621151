package io.forceflux.core.error;

import java.util.Locale;

/**
 * Maps a parsed error to its {@link FailureCause}. Pure and total: every input has a cause. Reached through
 * {@link FailureCause#ofApiError} and {@link FailureCause#ofTokenError}.
 */
final class FailureClassifier {
  private FailureClassifier() {}

  /** Classifies an error from {@code /services/oauth2/token} or SOAP {@code login()}. */
  static FailureCause classifyTokenError(SalesforceError error) {
    String code = error.errorCode();
    String description = error.message().toLowerCase(Locale.ROOT);
    if (error.format() == ErrorFormat.OAUTH) {
      // A 5xx is the server failing, whatever its body says: an OAuth-shaped {"error":"unknown_error"} at
      // 500/503 must be retried, not read as a verdict on the credential (that would open the circuit).
      if (error.status() >= 500) {
        return FailureCause.SERVER_UNAVAILABLE;
      }
      switch (code) {
        case "unknown_error":
          return FailureCause.SERVER_UNAVAILABLE; // Salesforce's "try again later", whatever the status
        case "invalid_grant":
          return invalidGrant(description);
        case "invalid_client_id":
          return FailureCause.UNKNOWN_CLIENT;
        case "invalid_client", "invalid_client_credentials":
          return FailureCause.INVALID_CLIENT_CREDENTIALS;
        case "inactive_user":
          return FailureCause.INACTIVE_USER;
        case "inactive_org":
          return FailureCause.INACTIVE_ORG;
        case "rate_limit_exceeded":
          return FailureCause.LOGIN_RATE_EXCEEDED;
        case "invalid_app_access", "access_denied":
          return FailureCause.USER_NOT_APPROVED;
        case "unsupported_grant_type":
          return FailureCause.UNSUPPORTED_GRANT;
        default:
          break;
      }
    }
    switch (code) {
      case "INVALID_LOGIN", "LOGIN_MUST_USE_SECURITY_TOKEN":
        return FailureCause.AUTHENTICATION_FAILURE;
      case "LOGIN_DURING_RESTRICTED_TIME", "LOGIN_DURING_RESTRICTED_DOMAIN", "INVALID_LOGIN_IP":
        return FailureCause.IP_RESTRICTED;
      case "INVALID_OPERATION_WITH_EXPIRED_PASSWORD":
        return FailureCause.EXPIRED_PASSWORD;
      case "INACTIVE_USER":
        return FailureCause.INACTIVE_USER;
      default:
        break;
    }
    // SOAP login sends its faults at 500; only a fault it names (above) is a verdict. Any other 5xx, in any
    // format, is the server failing.
    if (error.status() >= 500) {
      return FailureCause.SERVER_UNAVAILABLE;
    }
    return byStatus(error);
  }

  /** Classifies an error from a REST, SOAP or Bulk API call. */
  static FailureCause classifyApiError(SalesforceError error) {
    String message = error.message().toLowerCase(Locale.ROOT);
    switch (error.errorCode()) {
      case "INVALID_SESSION_ID", "InvalidSessionId":
        return message.contains("not valid for use with the") ? FailureCause.SESSION_POLICY : FailureCause.SESSION_EXPIRED;
      case "INVALID_AUTH_HEADER":
        return FailureCause.INVALID_AUTH_HEADER;
      case "INVALID_OPERATION_WITH_EXPIRED_PASSWORD":
        return FailureCause.EXPIRED_PASSWORD;
      case "REQUEST_LIMIT_EXCEEDED", "ExceededQuota":
        return FailureCause.API_LIMIT_EXCEEDED;
      case "API_DISABLED_FOR_ORG", "API_CURRENTLY_DISABLED":
        return FailureCause.API_DISABLED;
      case "SERVER_UNAVAILABLE":
        return FailureCause.SERVER_UNAVAILABLE;
      case "INVALID_QUERY_LOCATOR", "InvalidQueryLocator":
        return FailureCause.QUERY_LOCATOR_INVALID;
      case "UNABLE_TO_LOCK_ROW":
        return FailureCause.ROW_LOCKED;
      default:
        break;
    }
    FailureCause byStatus = byStatus(error);
    if (byStatus != FailureCause.UNKNOWN) {
      return byStatus;
    }
    if (error.format() == ErrorFormat.REST_JSON || error.format() == ErrorFormat.REST_XML
        || error.format() == ErrorFormat.SOAP_FAULT || error.format() == ErrorFormat.BULK_XML) {
      return FailureCause.API_ERROR;
    }
    return FailureCause.UNKNOWN;
  }

  private static FailureCause invalidGrant(String description) {
    if (description.contains("already being processed") || description.contains("expired authorization code")) {
      return FailureCause.CONCURRENT_REFRESH;
    }
    if (description.contains("expired access/refresh token") || description.contains("refresh token")) {
      return FailureCause.REFRESH_TOKEN_REVOKED;
    }
    if (description.contains("ip restricted") || description.contains("login hours")) {
      return FailureCause.IP_RESTRICTED;
    }
    if (description.contains("inactive user")) {
      return FailureCause.INACTIVE_USER;
    }
    if (description.contains("inactive org")) {
      return FailureCause.INACTIVE_ORG;
    }
    if (description.contains("approved")) {
      return FailureCause.USER_NOT_APPROVED;
    }
    if (description.contains("login rate exceeded")) {
      return FailureCause.LOGIN_RATE_EXCEEDED;
    }
    if (description.contains("not supported on this domain")) {
      return FailureCause.WRONG_DOMAIN;
    }
    if (description.contains("audience") || description.contains("assertion") || description.contains("invalid user")) {
      return FailureCause.INVALID_ASSERTION;
    }
    if (description.contains("authentication failure")) {
      return FailureCause.AUTHENTICATION_FAILURE;
    }
    return FailureCause.AUTHENTICATION_FAILURE;
  }

  private static FailureCause byStatus(SalesforceError error) {
    int status = error.status();
    if (status == 502 || status == 503 || status == 504 || status == 429) {
      return FailureCause.SERVER_UNAVAILABLE;
    }
    if (status >= 200 && status < 300
        && (error.format() == ErrorFormat.HTML || error.format() == ErrorFormat.UNPARSEABLE
            || error.format() == ErrorFormat.EMPTY)) {
      return FailureCause.MALFORMED_RESPONSE;
    }
    if (error.format() == ErrorFormat.HTML || error.format() == ErrorFormat.UNPARSEABLE) {
      return status >= 500 ? FailureCause.SERVER_UNAVAILABLE : FailureCause.MALFORMED_RESPONSE;
    }
    return FailureCause.UNKNOWN;
  }
}
