package io.forceflux.core.error;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The org's API usage from the {@code Sforce-Limit-Info} header ({@code api-usage=N/M[; api-bursts=x/y]}).
 *
 * @param used API requests used in the rolling 24 hours
 * @param max the allocation
 */
public record LimitInfo(long used, long max) {
  private static final Pattern USAGE = Pattern.compile("(?:^|[^-\\w])api-usage=(\\d{1,18})/(\\d{1,18})");

  /** Parses the header; empty for a missing or malformed one. Never throws. */
  public static Optional<LimitInfo> parse(String header) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher m = USAGE.matcher(header);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(new LimitInfo(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
  }

  /** Requests left before the allocation is exhausted. */
  public long remaining() {
    return Math.max(0, max - used);
  }

  @Override
  public String toString() {
    return "api-usage=" + used + "/" + max;
  }
}
