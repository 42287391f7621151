package io.forceflux.reactor.client;

import java.util.List;
import java.util.Objects;

/**
 * One error Salesforce reported for one record of a write.
 *
 * @param errorCode the Salesforce code ({@code statusCode} in sObject Collections results, {@code errorCode} in
 *     REST error bodies), e.g. {@code REQUIRED_FIELD_MISSING}, {@code UNABLE_TO_LOCK_ROW}
 * @param message Salesforce's message
 * @param fields the fields it names, possibly empty
 */
public record ApiError(String errorCode, String message, List<String> fields) {
  /** Copies {@code fields}; no component may be null. */
  public ApiError {
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(message, "message");
    fields = List.copyOf(fields);
  }
}
