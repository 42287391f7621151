package io.forceflux.reactor.client;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What one subrequest did. Salesforce answers a Composite or Batch call with HTTP 200 whatever its subrequests did:
 * check {@link #success()} of each.
 *
 * @param referenceId the subrequest's reference id (Batch: its index as text)
 * @param status the subrequest's HTTP status
 * @param body its response body (a record, a save result, a query page, an error array), or null
 * @param headers its response headers (such as {@code Location}); possibly empty
 * @param errors the errors in an error body, empty on success
 */
public record SubrequestResult(String referenceId, int status, @Nullable JsonNode body, Map<String, String> headers,
    List<ApiError> errors) {
  /** Copies the collections. */
  public SubrequestResult {
    headers = Map.copyOf(headers);
    errors = List.copyOf(errors);
  }

  /** Whether the subrequest succeeded (2xx) and, under {@code allOrNone}, was not rolled back afterwards. */
  public boolean success() {
    return status >= 200 && status < 300;
  }

  /**
   * Whether the subrequest did not take effect because another one failed: rolled back or never run under
   * {@code allOrNone} ({@code PROCESSING_HALTED}), or skipped after an error with {@code haltOnError}
   * ({@code BATCH_PROCESSING_HALTED}).
   */
  public boolean halted() {
    return errors.stream().anyMatch(e -> e.errorCode().equals("PROCESSING_HALTED")
        || e.errorCode().equals("BATCH_PROCESSING_HALTED"));
  }

  /** The {@code id} of a create or upsert result, or null. */
  public @Nullable String id() {
    JsonNode id = body == null ? null : body.get("id");
    return id != null && id.isString() ? id.stringValue() : null;
  }
}
