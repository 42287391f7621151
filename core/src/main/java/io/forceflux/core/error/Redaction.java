package io.forceflux.core.error;

import java.util.regex.Pattern;

/**
 * Masks anything that looks like a credential in text that is about to reach a log line or an exception
 * message: Salesforce session ids ({@code 00D…!…}), bearer values, JWTs, and {@code key=value} pairs whose
 * key names a secret.
 */
public final class Redaction {
  private static final Pattern SESSION_ID = Pattern.compile("00D[A-Za-z0-9]{12,15}![A-Za-z0-9._\\-+/=]+");
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer|oauth)\\s+[A-Za-z0-9._\\-+/=!]{8,}");
  // Starts only at the beginning of a base64url run and never backtracks: a long run of "eyJeyJ…" would
  // otherwise be rescanned from every "eyJ" in it (quadratic: minutes for a 5 MB body).
  private static final Pattern JWT = Pattern.compile(
      "(?<![A-Za-z0-9_\\-])eyJ[A-Za-z0-9_\\-]++\\.[A-Za-z0-9_\\-]++\\.[A-Za-z0-9_\\-]*+");
  private static final Pattern PAIRS = Pattern.compile(
      "(?i)(access_token|refresh_token|client_secret|password|assertion|sessionId|token)"
          // The separator may be JSON-escaped (\"key\":\"value\") when a body quotes another body.
          + "(\\\\?\"?\\s*[:=]\\s*\\\\?\"?|>)((?:[^\"&<\\s,}\\\\]|\\\\(?!\"))+)");
  private static final Pattern PEM = Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)");

  private Redaction() {}

  /** The text with credential-like parts replaced by {@code [redacted]}. */
  public static String redact(String text) {
    String s = PEM.matcher(text).replaceAll("[redacted key]");
    s = SESSION_ID.matcher(s).replaceAll("[redacted]");
    s = JWT.matcher(s).replaceAll("[redacted]");
    s = BEARER.matcher(s).replaceAll("$1 [redacted]");
    s = PAIRS.matcher(s).replaceAll("$1$2[redacted]");
    return s;
  }

  /** The first {@code max} characters of the redacted text, one line, control characters shown as spaces. */
  public static String snippet(String text, int max) {
    // Cc covers C1 controls such as U+0085 (NEL); Zl/Zp are U+2028/U+2029: all break a log line.
    String flat = redact(text).replaceAll("[\\p{Cc}\\p{Zl}\\p{Zp}]+", " ").replaceAll("\\s+", " ").trim();
    return flat.length() <= max ? flat : flat.substring(0, max) + "…";
  }
}
