package io.forceflux.reactor.bulk;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceError;
import io.forceflux.core.error.SalesforceException;
import org.jspecify.annotations.Nullable;

/**
 * A bulk job that ended badly or did not end in time. {@link #jobId()} names it; when {@link #resumable()} the
 * job is still running on Salesforce and {@link BulkClient#resumeIngest(String)} or
 * {@link BulkClient#resumeQuery(String)} continues it.
 */
public final class BulkJobException extends SalesforceException {
  private static final long serialVersionUID = 1L;

  private final String jobId;
  private final String state;
  private final boolean resumable;

  BulkJobException(FailureCause cause, String detail, @Nullable SalesforceError error, String jobId, String state,
      boolean resumable) {
    super(cause, detail, error, 1, null);
    this.jobId = jobId;
    this.state = state;
    this.resumable = resumable;
  }

  /** The job's Id ({@code 750…}). */
  public String jobId() {
    return jobId;
  }

  /** The job's state when this was signalled, e.g. {@code Failed} or {@code InProgress}. */
  public String state() {
    return state;
  }

  /** Whether the job is still alive on Salesforce and can be resumed by its Id. */
  public boolean resumable() {
    return resumable;
  }
}
