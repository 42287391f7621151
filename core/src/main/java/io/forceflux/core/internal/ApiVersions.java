package io.forceflux.core.internal;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The one rule for a Salesforce API version as users write it ({@code 67.0}): two or three digits, then
 * {@code .0}. Every version Salesforce has released ends in {@code .0}, and the version becomes a path segment
 * ({@code /services/data/v67.0/}, {@code /services/Soap/u/67.0}), so nothing else may pass.
 */
public final class ApiVersions {
  private static final Pattern VERSION = Pattern.compile("\\d{2,3}\\.0");

  private ApiVersions() {}

  /** Whether {@code version} is an API version such as {@code 67.0} (without a leading {@code v}). */
  public static boolean isValid(String version) {
    return VERSION.matcher(version).matches();
  }

  /**
   * @return {@code version}
   * @throws NullPointerException if it is null
   * @throws IllegalArgumentException {@code "apiVersion must look like 67.0: <what was given>"} (a redacted
   *     snippet) unless {@link #isValid(String)}
   */
  public static String requireValid(String version) {
    Objects.requireNonNull(version, "apiVersion");
    if (!isValid(version)) {
      throw new IllegalArgumentException("apiVersion must look like 67.0: " + Redaction.snippet(version, 20));
    }
    return version;
  }
}
