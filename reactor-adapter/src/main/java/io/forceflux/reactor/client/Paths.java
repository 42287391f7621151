package io.forceflux.reactor.client;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.internal.ApiVersions;
import io.forceflux.core.internal.Redaction;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds and checks the host-relative paths the client sends. Every path starts with {@code /services/data/}
 * and carries no origin: the session filter resolves it against the current {@code instance_url}.
 */
final class Paths {
  static final String DATA = "/services/data/";
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");
  private static final Set<String> SUBREQUEST_METHODS = Set.of("GET", "POST", "PATCH", "PUT", "DELETE");
  private static final Pattern RECORD_ID = Pattern.compile("[A-Za-z0-9]{15}([A-Za-z0-9]{3})?");

  private Paths() {}

  static URI versions() {
    return URI.create(DATA);
  }

  static URI resource(String version, String path) {
    return URI.create(DATA + "v" + version + path);
  }

  static URI query(String version, boolean all, String soql) {
    return URI.create(DATA + "v" + version + (all ? "/queryAll" : "/query") + "?q="
        + URLEncoder.encode(soql, StandardCharsets.UTF_8));
  }

  /**
   * Whether {@code url} is a host-relative path under {@code /services/data/} that cannot leave the instance:
   * no scheme, no authority ({@code //host}), no dot segments, no escapes, no query.
   */
  static boolean isTrusted(String url) {
    return isTrusted(url.toCharArray(), 0, url.length());
  }

  /**
   * {@link #isTrusted(String)} on {@code len} characters of {@code chars} from {@code offset}, in one pass and
   * without allocating: the query stream checks every record's {@code attributes.url} in the parser's buffer.
   * Allowed: {@code /services/data/} then 1 to 2,000 of {@code A-Z a-z 0-9 . _ ~ - /}, with no empty,
   * {@code .} or {@code ..} segment after the prefix.
   */
  static boolean isTrusted(char[] chars, int offset, int len) {
    int prefix = DATA.length();
    if (len <= prefix || len > prefix + 2_000) {
      return false;
    }
    for (int i = 0; i < prefix; i++) {
      if (chars[offset + i] != DATA.charAt(i)) {
        return false;
      }
    }
    int segmentStart = prefix;
    for (int i = prefix; i <= len; i++) {
      char c = i == len ? '/' : chars[offset + i];
      if (c == '/') {
        int segment = i - segmentStart;
        if (segment == 0 && i < len) {
          return false; // "//" (an empty segment), which a resolver may read as an authority
        }
        if ((segment == 1 && chars[offset + segmentStart] == '.')
            || (segment == 2 && chars[offset + segmentStart] == '.' && chars[offset + segmentStart + 1] == '.')) {
          return false;
        }
        segmentStart = i + 1;
      } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '~' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** Refuses an untrusted server-provided URL; the message shows a redacted, shortened copy. */
  static SalesforceException untrusted(String what, String url) {
    return SalesforceException.of(FailureCause.UNTRUSTED_URL, what + " is not a host-relative path under "
        + DATA + " (refused, never requested): " + Redaction.snippet(url, 120));
  }

  private static final Pattern APEX_PATH = Pattern.compile("[A-Za-z0-9_~.-]+(/[A-Za-z0-9_~.-]+)*/?"
      + "(\\?[A-Za-z0-9_~.%=&+,-]*)?");

  /**
   * {@code /services/apexrest/{path}} for a path relative to it: segments of unreserved characters, no dot
   * segments, an optional already-encoded query.
   *
   * @throws IllegalArgumentException for anything else
   */
  static URI apexRest(String path) {
    Objects.requireNonNull(path, "path");
    String relative = path.startsWith("/") ? path.substring(1) : path;
    if (!APEX_PATH.matcher(relative).matches() || ("/" + relative.split("\\?", 2)[0] + "/").contains("/../")
        || ("/" + relative.split("\\?", 2)[0] + "/").contains("/./")) {
      throw new IllegalArgumentException("path is not a relative Apex REST path: " + Redaction.snippet(path, 80));
    }
    return URI.create("/services/apexrest/" + relative);
  }

  static String checkName(String name, String what) {
    Objects.requireNonNull(name, what);
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " is not a valid API name: " + Redaction.snippet(name, 80));
    }
    return name;
  }

  static String checkId(String id) {
    Objects.requireNonNull(id, "id");
    if (!RECORD_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("id is not a 15- or 18-character Salesforce Id: "
          + Redaction.snippet(id, 40));
    }
    return id;
  }

  /**
   * Checks a Composite or Composite Batch subrequest's method and path: the methods Salesforce accepts there, and a
   * path relative to {@code /services/data/vNN.N} that cannot leave it.
   *
   * @throws IllegalArgumentException for another method than GET, POST, PATCH, PUT, DELETE, or a bad path
   */
  static void checkSubrequest(String method, String path) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    if (!SUBREQUEST_METHODS.contains(method)) {
      throw new IllegalArgumentException("method must be GET, POST, PATCH, PUT or DELETE: " + method);
    }
    if (!path.startsWith("/") || path.startsWith("//") || path.contains("..")) {
      throw new IllegalArgumentException("path must be relative to /services/data/vNN.N and start with /");
    }
  }

  static String checkVersion(String version) {
    return ApiVersions.requireValid(version);
  }

  static boolean isVersion(String version) {
    return ApiVersions.isValid(version);
  }

  /** Percent-encodes one path segment (everything but RFC 3986 unreserved characters). */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
        .replace("%7E", "~");
  }
}
