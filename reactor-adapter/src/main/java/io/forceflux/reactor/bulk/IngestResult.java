package io.forceflux.reactor.bulk;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What Salesforce did with one ingested row, read from the job's result files.
 *
 * @param jobId the job that carried the row
 * @param outcome whether the row succeeded, failed or was never processed
 * @param id the record Id ({@code sf__Id}); null when there is none (a failed insert, an unprocessed row)
 * @param created for a success, whether a record was created ({@code sf__Created}); false otherwise
 * @param errorCode for a failure, the code of {@code sf__Error} (e.g. {@code REQUIRED_FIELD_MISSING}); else null
 * @param errorMessage for a failure, the rest of {@code sf__Error}; else null
 * @param row the row as uploaded: column name to value, in column order (an empty value is null)
 */
public record IngestResult(String jobId, Outcome outcome, @Nullable String id, boolean created,
    @Nullable String errorCode, @Nullable String errorMessage, Map<String, @Nullable String> row) {

  /** Which result file a row came from. */
  public enum Outcome {
    /** {@code successfulResults/}. */
    SUCCESS,
    /** {@code failedResults/}. */
    FAILURE,
    /** {@code unprocessedrecords/}: the job failed or was aborted before the row ran. */
    UNPROCESSED
  }

  /** Checks the non-null components; {@code row} is kept as given (the client hands over a fresh map). */
  public IngestResult {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(row, "row");
  }
}
