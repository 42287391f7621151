package io.forceflux.core.internal;

import java.util.regex.Pattern;

/**
 * Masks anything that looks like a credential in text that is about to reach a log line or an exception
 * message: Salesforce session ids ({@code 00D…!…}) and refresh tokens ({@code 5Aep861…}), bearer values, JWTs,
 * private keys, and {@code key=value} pairs whose key names a secret. Plain words are left alone: "unexpected
 * token: =" (a SOQL syntax error) is not a credential.
 */
public final class Redaction {
  private static final Pattern SESSION_ID = Pattern.compile("00D[A-Za-z0-9]{12,15}![A-Za-z0-9._\\-+/=]+");
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer|oauth)\\s+[A-Za-z0-9._\\-+/=!]{8,}");
  // Starts only at the beginning of a base64url run and never backtracks: a long run of "eyJeyJ…" would
  // otherwise be rescanned from every "eyJ" in it (quadratic: minutes for a 5 MB body).
  private static final Pattern JWT = Pattern.compile(
      "(?<![A-Za-z0-9_\\-])eyJ[A-Za-z0-9_\\-]++\\.[A-Za-z0-9_\\-]++\\.[A-Za-z0-9_\\-]*+");
  // Keys that only ever name a secret: any value after them is masked. The left boundary keeps "xaccess_token"
  // out; an underscore is allowed before them ("new_password").
  private static final Pattern PAIRS = Pattern.compile(
      "(?i)(?<![A-Za-z0-9])(access_token|refresh_token|client_secret|password|assertion|sessionId)"
          // The separator may be JSON-escaped (\"key\":\"value\") when a body quotes another body.
          + "(\\\\?\"?\\s*[:=]\\s*\\\\?\"?|>)((?:[^\"&<\\s,}\\\\]|\\\\(?!\"))+)");
  // "token" and "sid" are also English and SOQL ("unexpected token: =", "Invalid token: …"): they name a secret
  // only as a form, query or cookie key (token=…, sid=…), a quoted JSON key ("token":"…") or an XML element.
  private static final Pattern SHORT_KEYS = Pattern.compile(
      "(?i)(?<![A-Za-z0-9_])(token|sid)(=|\\\\?\"\\s*:\\s*\\\\?\"|>)((?:[^\"&<\\s,;}\\\\]|\\\\(?!\"))+)");
  /** A Salesforce refresh token on its own, wherever it appears. */
  private static final Pattern REFRESH_TOKEN = Pattern.compile("(?<![A-Za-z0-9])5Aep861[A-Za-z0-9._]{16,}");
  private static final Pattern PEM = Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)");

  private Redaction() {}

  /** The text with credential-like parts replaced by {@code [redacted]}. */
  public static String redact(String text) {
    String s = PEM.matcher(text).replaceAll("[redacted key]");
    s = SESSION_ID.matcher(s).replaceAll("[redacted]");
    s = JWT.matcher(s).replaceAll("[redacted]");
    s = BEARER.matcher(s).replaceAll("$1 [redacted]");
    s = REFRESH_TOKEN.matcher(s).replaceAll("[redacted]");
    s = PAIRS.matcher(s).replaceAll("$1$2[redacted]");
    s = SHORT_KEYS.matcher(s).replaceAll("$1$2[redacted]");
    return s;
  }

  /** The first {@code max} characters of the redacted text, one line, control characters shown as spaces. */
  public static String snippet(String text, int max) {
    // Cc covers C1 controls such as U+0085 (NEL); Zl/Zp are U+2028/U+2029: all break a log line.
    String flat = redact(text).replaceAll("[\\p{Cc}\\p{Zl}\\p{Zp}]+", " ").replaceAll("\\s+", " ").trim();
    return flat.length() <= max ? flat : flat.substring(0, max) + "…";
  }
}
