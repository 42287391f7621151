package io.forceflux.core.error;

import io.forceflux.core.internal.Redaction;
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
   * For subclasses; everything else builds one with {@link #of(FailureCause, String)},
   * {@link #of(FailureCause, String, SalesforceError)}, {@link #wrapping(FailureCause, String, Throwable)},
   * {@link #ofApiError(SalesforceError, String)} or {@link #reclassifying(FailureCause, String, SalesforceException)},
   * and {@link #withAttempts(int)} when there were retries.
   *
   * @param failureCause the classified cause
   * @param detail a short, secret-free description of what happened
   * @param error the parsed error response, if there was one
   * @param attempts how many attempts were made (1 when there was no retry)
   * @param cause the underlying exception, if any (e.g. a transport error)
   */
  protected SalesforceException(
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

  /**
   * A failure without an error response from Salesforce (nothing was sent, or the response was not an error
   * body), after one attempt.
   *
   * @param cause the classified cause
   * @param detail a short, secret-free description of what happened (redacted again all the same)
   */
  public static SalesforceException of(FailureCause cause, String detail) {
    return new SalesforceException(cause, detail, null, 1, null);
  }

  /**
   * A failure with the parsed error response that shows it, after one attempt.
   *
   * @param cause the classified cause
   * @param detail a short, secret-free description of what happened (redacted again all the same)
   * @param error the parsed error response, if there was one
   */
  public static SalesforceException of(FailureCause cause, String detail, @Nullable SalesforceError error) {
    return new SalesforceException(cause, detail, error, 1, null);
  }

  /**
   * A failure caused by another exception (a transport error, a parser's exception), after one attempt.
   *
   * @param cause the classified cause
   * @param detail a short, secret-free description of what happened (redacted again all the same)
   * @param throwable the underlying exception, kept as {@link #getCause()}
   */
  public static SalesforceException wrapping(FailureCause cause, String detail, Throwable throwable) {
    return new SalesforceException(cause, detail, null, 1, throwable);
  }

  /**
   * An earlier failure seen anew: a new cause and detail, keeping the earlier failure's error response and
   * attempts, with the earlier failure as {@link #getCause()}. For a failure that means more in its context
   * (a refused query cursor that cannot be resumed).
   *
   * @param cause the classified cause
   * @param detail a short, secret-free description of what happened (redacted again all the same)
   * @param earlier the failure that showed it
   */
  public static SalesforceException reclassifying(FailureCause cause, String detail, SalesforceException earlier) {
    return new SalesforceException(cause, detail, earlier.error(), earlier.attempts(), earlier);
  }

  /** An exception for a parsed error response, classified as an API error, with the detail "API call failed". */
  public static SalesforceException ofApiError(SalesforceError error) {
    return ofApiError(error, "API call failed");
  }

  /**
   * An exception for a parsed error response of a REST, Bulk or Composite call, classified as an API error
   * ({@code INVALID_SESSION_ID} is {@link FailureCause#SESSION_EXPIRED}, a 503 is
   * {@link FailureCause#SERVER_UNAVAILABLE}, ...).
   *
   * @param detail a short, secret-free description of the call, e.g. {@code "GET /sobjects/Account failed"}
   */
  public static SalesforceException ofApiError(SalesforceError error, String detail) {
    return new SalesforceException(FailureClassifier.classifyApiError(error), detail, error, 1, null);
  }

  /** An exception for a parsed token-endpoint error, classified as a token error. */
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

  /**
   * The short description of what happened, redacted: the message without the cause's name, the error
   * response, the attempts and the runbook.
   */
  public String detail() {
    return Redaction.redact(detail);
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
