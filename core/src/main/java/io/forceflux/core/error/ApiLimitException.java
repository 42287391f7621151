package io.forceflux.core.error;

import org.jspecify.annotations.Nullable;

/**
 * {@code REQUEST_LIMIT_EXCEEDED}: the org's API allocation is exhausted. Never retried by refreshing;
 * carries the parsed {@code Sforce-Limit-Info} when the response had one.
 */
public final class ApiLimitException extends SalesforceException {
  private static final long serialVersionUID = 1L;

  private final transient @Nullable LimitInfo limitInfo;

  /**
   * @param error the parsed 403 body
   * @param limitInfo the response's {@code Sforce-Limit-Info}, if present
   */
  public ApiLimitException(SalesforceError error, @Nullable LimitInfo limitInfo) {
    super(FailureCause.API_LIMIT_EXCEEDED,
        limitInfo == null ? "API request limit exceeded" : "API request limit exceeded (" + limitInfo + ")",
        error, 1, null);
    this.limitInfo = limitInfo;
  }

  private ApiLimitException(ApiLimitException original) {
    super(original);
    this.limitInfo = original.limitInfo;
  }

  @Override
  public ApiLimitException copyForReceiver() {
    return new ApiLimitException(this);
  }

  /** The org's usage as reported with the rejection, or {@code null}. */
  public @Nullable LimitInfo limitInfo() {
    return limitInfo;
  }
}
