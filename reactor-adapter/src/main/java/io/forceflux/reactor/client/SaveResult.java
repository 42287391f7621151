package io.forceflux.reactor.client;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of creating or updating one record.
 *
 * @param id the record's Id; {@code null} when a create failed (Salesforce assigns none)
 * @param success whether the record was written
 * @param errors why it was not, empty on success
 */
public record SaveResult(@Nullable String id, boolean success, List<ApiError> errors) {
  /** Copies {@code errors}. */
  public SaveResult {
    errors = List.copyOf(errors);
  }
}
