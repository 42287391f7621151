package io.forceflux.core.error;

import org.jspecify.annotations.Nullable;

/**
 * The org's API limits stop this request: either Salesforce answered {@code REQUEST_LIMIT_EXCEEDED} (the daily
 * allocation is exhausted, or too many long-running requests run at once), or the client's own governor refused
 * to spend a call (see {@link #reason()}). Never retried by refreshing; carries the org's usage when known.
 */
public final class ApiLimitException extends SalesforceException {
  private static final long serialVersionUID = 1L;

  /** Who stopped the request, and why. */
  public enum Reason {
    /** Salesforce answered {@code 403 REQUEST_LIMIT_EXCEEDED}; {@link #error()} holds its body. */
    ORG_REJECTED,
    /** The client's governor refused to spend a call of the daily allowance kept in reserve. Nothing was sent. */
    DAILY_RESERVE,
    /** The request waited longer than allowed for a free in-flight slot of the client's governor. Nothing was sent. */
    IN_FLIGHT_WAIT
  }

  private final transient @Nullable LimitInfo limitInfo;
  private final Reason reason;

  /**
   * Salesforce's rejection.
   *
   * @param error the parsed 403 body
   * @param limitInfo the response's {@code Sforce-Limit-Info}, if present
   */
  public ApiLimitException(SalesforceError error, @Nullable LimitInfo limitInfo) {
    super(FailureCause.API_LIMIT_EXCEEDED,
        limitInfo == null ? "API request limit exceeded" : "API request limit exceeded (" + limitInfo + ")",
        error, 1, null);
    this.limitInfo = limitInfo;
    this.reason = Reason.ORG_REJECTED;
  }

  private ApiLimitException(ApiLimitException original) {
    super(original);
    this.limitInfo = original.limitInfo;
    this.reason = original.reason;
  }

  @Override
  public ApiLimitException copyForReceiver() {
    return new ApiLimitException(this);
  }

  /**
   * A refusal by the client itself, before anything was sent.
   *
   * @param reason {@link Reason#DAILY_RESERVE} or {@link Reason#IN_FLIGHT_WAIT}
   * @param detail a short, secret-free description (usage, threshold, wait)
   * @param limitInfo the org's usage as the client last saw it, if known
   */
  public ApiLimitException(Reason reason, String detail, @Nullable LimitInfo limitInfo) {
    super(FailureCause.API_LIMIT_EXCEEDED, detail, null, 1, null);
    if (reason == Reason.ORG_REJECTED) {
      throw new IllegalArgumentException("ORG_REJECTED carries Salesforce's error: use the other constructor");
    }
    this.limitInfo = limitInfo;
    this.reason = reason;
  }

  /** The org's usage as reported with the rejection (or last seen by the governor), or {@code null}. */
  public @Nullable LimitInfo limitInfo() {
    return limitInfo;
  }

  /** Whether Salesforce or the client's governor stopped the request. */
  public Reason reason() {
    return reason;
  }
}
