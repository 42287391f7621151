package io.forceflux.reactor.bulk;

import java.util.Objects;

/**
 * Progress of a bulk operation, for logs and progress bars. Job ids appear here as soon as a job exists, so a
 * process that dies can resume it ({@link BulkClient#resumeIngest(String)}, {@link BulkClient#resumeQuery(String)}).
 *
 * @param kind what happened
 * @param jobId the job it happened to
 * @param state the job's state as last seen ({@code Open}, {@code UploadComplete}, {@code InProgress},
 *     {@code JobComplete}, {@code Failed}, {@code Aborted})
 * @param count rows uploaded ({@link Kind#UPLOADED}), rows processed so far ({@link Kind#STATE}) or rows in the
 *     page ({@link Kind#PAGE}); 0 otherwise
 */
public record BulkEvent(Kind kind, String jobId, String state, long count) {

  /** What a {@link BulkEvent} reports. */
  public enum Kind {
    /** A job was created. */
    CREATED,
    /** A job's data was uploaded ({@code count} rows). */
    UPLOADED,
    /** A poll saw the job ({@code count} rows processed so far). */
    STATE,
    /** A query results page arrived ({@code count} rows). */
    PAGE
  }

  /** Checks the components. */
  public BulkEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(state, "state");
  }
}
