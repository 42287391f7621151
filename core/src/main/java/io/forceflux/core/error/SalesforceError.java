package io.forceflux.core.error;

import java.util.List;

/**
 * An error as Salesforce (or something in front of it) sent it, normalised across formats.
 *
 * @param status the HTTP status
 * @param format the body's format
 * @param errorCode REST {@code errorCode}, OAuth {@code error}, SOAP fault code without its prefix, Bulk
 *     {@code exceptionCode}; {@code HTTP_<status>} when the body had none
 * @param message REST {@code message}, OAuth {@code error_description}, SOAP {@code faultstring}; redacted
 * @param fields the REST {@code fields}, if any
 * @param snippet the first characters of the body with anything token-like masked; for diagnostics
 */
public record SalesforceError(
    int status, ErrorFormat format, String errorCode, String message, List<String> fields, String snippet) {

  public SalesforceError {
    fields = List.copyOf(fields);
  }

  /** Whether this is one of Salesforce's "session is invalid" signals (REST, SOAP or Bulk). */
  public boolean isInvalidSession() {
    return errorCode.equals("INVALID_SESSION_ID") || errorCode.equals("InvalidSessionId");
  }

  @Override
  public String toString() {
    return "HTTP " + status + " " + errorCode + (message.isEmpty() ? "" : ": " + message);
  }
}
