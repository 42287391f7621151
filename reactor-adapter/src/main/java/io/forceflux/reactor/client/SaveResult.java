package io.forceflux.reactor.client;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of writing one record.
 *
 * @param id the record's Id; {@code null} when a create failed (Salesforce assigns none)
 * @param success whether the record was written
 * @param errors why it was not, empty on success
 * @param created whether the write inserted a new record: true for a successful create or an upsert that inserted,
 *     false for an update, a delete or an upsert that updated
 */
public record SaveResult(@Nullable String id, boolean success, List<ApiError> errors, boolean created) {
  /** Copies {@code errors}. */
  public SaveResult {
    errors = List.copyOf(errors);
  }

  /** A result that created nothing (an update or a delete, or a failure). */
  public SaveResult(@Nullable String id, boolean success, List<ApiError> errors) {
    this(id, success, errors, false);
  }
}
