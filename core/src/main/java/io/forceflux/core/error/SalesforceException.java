package io.forceflux.core.error;

import org.jspecify.annotations.Nullable;

/**
 * The one exception ForceFlux signals: what failed ({@link #failureCause()}), whether ForceFlux could
 * have recovered by itself, what an operator should do ({@link #runbook()}), and how many attempts were
 * made. Its message never contains a token, password, client secret or key.
 */
public class SalesforceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final FailureCause failureCause;
  private final transient @Nullable SalesforceError error;
  private final int attempts;
  private final String detail;

  /**
   * @param failureCause the classified cause
   * @param detail a short, secret-free description of what happened
   * @param error the parsed error response, if there was one
   * @param attempts how many attempts were made (1 when there was no retry)
   * @param cause the underlying exception, if any (e.g. a transport error)
   */
  public SalesforceException(
      FailureCause failureCause, String detail, @Nullable SalesforceError error, int attempts,
      @Nullable Throwable cause) {
    super(message(failureCause, detail, error, attempts), cause, true, true);
    this.failureCause = failureCause;
    this.error = error;
    this.attempts = attempts;
    this.detail = detail;
  }

  /**
   * A copy of {@code original} for one more receiver of a failure that is handed out many times (a cached
   * failure, one refresh failing for every waiter): same cause, message and details, with suppression and
   * stack trace off. {@code block()} adds a suppressed exception to what it throws; on a shared instance
   * that list would grow with every call.
   */
  protected SalesforceException(SalesforceException original) {
    super(original.getMessage(), original.getCause(), false, false);
    this.failureCause = original.failureCause;
    this.error = original.error;
    this.attempts = original.attempts;
    this.detail = original.detail;
  }

  /**
   * This failure as a new instance for one receiver, so that nothing one receiver does to it (adding
   * suppressed exceptions) is seen by another. Subclasses return their own type.
   */
  public SalesforceException copyForReceiver() {
    return new SalesforceException(this);
  }

  /** An exception for a parsed error response, classified as an API error. */
  public static SalesforceException ofApiError(SalesforceError error) {
    return new SalesforceException(FailureClassifier.classifyApiError(error), "API call failed", error, 1, null);
  }

  /** An exception for a parsed token-endpoint error. */
  public static SalesforceException ofTokenError(SalesforceError error) {
    return new SalesforceException(
        FailureClassifier.classifyTokenError(error), "token request failed", error, 1, null);
  }

  /** The same failure after {@code attempts} attempts. */
  public SalesforceException withAttempts(int attempts) {
    if (attempts == this.attempts) {
      return this;
    }
    SalesforceException copy = new SalesforceException(failureCause, detail, error, attempts, getCause());
    copy.setStackTrace(getStackTrace());
    return copy;
  }

  /** The classified cause. */
  public FailureCause failureCause() {
    return failureCause;
  }

  /** Whether ForceFlux could recover by itself (it gave up after {@link #attempts()}). */
  public boolean recoverable() {
    return failureCause.recoverable();
  }

  /** What an operator should do. */
  public String runbook() {
    return failureCause.runbook();
  }

  /** How many attempts were made. */
  public int attempts() {
    return attempts;
  }

  /** The parsed error response, if there was one. */
  public @Nullable SalesforceError error() {
    return error;
  }

  /** The HTTP status, or 0 when there was no response. */
  public int status() {
    return error == null ? 0 : error.status();
  }

  /** The Salesforce error code ({@code INVALID_SESSION_ID}, {@code invalid_grant}, …), or {@code null}. */
  public @Nullable String errorCode() {
    return error == null ? null : error.errorCode();
  }

  private static String message(FailureCause cause, String detail, @Nullable SalesforceError error, int attempts) {
    StringBuilder sb = new StringBuilder(cause.name()).append(": ").append(Redaction.redact(detail)).append(" [");
    if (error != null) {
      // A SalesforceError can be built by anyone, and its errorCode is never redacted: redact it here too.
      sb.append(Redaction.redact(error.toString())).append(", ");
    }
    sb.append(attempts == 1 ? "1 attempt" : attempts + " attempts")
        .append(cause.recoverable() ? ", recoverable" : ", not recoverable by refresh")
        .append("]. Runbook: ").append(cause.runbook());
    return sb.toString();
  }
}
