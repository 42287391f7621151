package io.forceflux.core.internal.parse;

import io.forceflux.core.error.ErrorFormat;
import io.forceflux.core.error.SalesforceError;
import io.forceflux.core.internal.Redaction;
import io.forceflux.core.internal.Xml;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns any error response into a {@link SalesforceError}. It never throws: garbled, truncated, empty,
 * HTML or binary bodies become {@link ErrorFormat#UNPARSEABLE}, {@link ErrorFormat#EMPTY} or
 * {@link ErrorFormat#HTML} with a short redacted snippet.
 */
public final class ErrorParser {
  /** How many characters of a body are kept as a diagnostic snippet. */
  public static final int SNIPPET_LENGTH = 200;

  private static final JsonMapper JSON = JsonMapper.shared();
  private static final Pattern TITLE = Pattern.compile("(?is)<title[^>]*>(.*?)</title>");

  private ErrorParser() {}

  /**
   * Parses an error body.
   *
   * @param status the HTTP status
   * @param contentType the {@code Content-Type} header, if any
   * @param body the body bytes (already bounded by the caller)
   */
  public static SalesforceError parse(int status, @Nullable String contentType, byte[] body) {
    try {
      return parseUnchecked(status, contentType, body);
    } catch (RuntimeException | StackOverflowError e) {
      // Defence in depth: a parser bug must not turn a Salesforce error into an unexpected exception.
      return unparseable(status, decode(body));
    }
  }

  private static SalesforceError parseUnchecked(int status, @Nullable String contentType, byte[] body) {
    String text = decode(body);
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      return new SalesforceError(status, ErrorFormat.EMPTY, httpCode(status), "", List.of(), "");
    }
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    char first = trimmed.charAt(0);
    if (first == '<') {
      return isHtml(trimmed, type) ? html(status, trimmed) : xml(status, body, trimmed);
    }
    if (first == '[' || first == '{') {
      return json(status, trimmed);
    }
    return type.contains("html") ? html(status, trimmed) : unparseable(status, trimmed);
  }

  private static boolean isHtml(String text, String contentType) {
    String head = text.substring(0, Math.min(text.length(), 512)).toLowerCase(Locale.ROOT);
    return contentType.contains("html") || head.startsWith("<!doctype html") || head.contains("<html");
  }

  private static SalesforceError html(int status, String text) {
    Matcher m = TITLE.matcher(text.length() > 65_536 ? text.substring(0, 65_536) : text);
    String title = m.find() ? Redaction.snippet(m.group(1), 120) : "";
    return new SalesforceError(
        status, ErrorFormat.HTML, httpCode(status),
        title.isEmpty() ? "HTML page instead of an API response" : "HTML page: " + title,
        List.of(), Redaction.snippet(text, SNIPPET_LENGTH));
  }

  private static SalesforceError json(int status, String text) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JacksonException e) {
      return unparseable(status, text);
    }
    JsonNode first = root.isArray() && !root.isEmpty() ? root.get(0) : root;
    if (first == null || !first.isObject()) {
      return unparseable(status, text);
    }
    if (first.hasNonNull("errorCode")) {
      List<String> fields = new ArrayList<>();
      JsonNode f = first.get("fields");
      if (f != null && f.isArray()) {
        f.forEach(n -> fields.add(n.asString()));
      }
      return new SalesforceError(
          status, ErrorFormat.REST_JSON, first.get("errorCode").asString(),
          Redaction.redact(textOf(first, "message")), fields, Redaction.snippet(text, SNIPPET_LENGTH));
    }
    if (first.hasNonNull("error")) {
      return new SalesforceError(
          status, ErrorFormat.OAUTH, first.get("error").asString(),
          Redaction.redact(textOf(first, "error_description")), List.of(), Redaction.snippet(text, SNIPPET_LENGTH));
    }
    return unparseable(status, text);
  }

  private static SalesforceError xml(int status, byte[] body, String text) {
    Document doc = Xml.parse(body);
    if (doc == null) {
      return unparseable(status, text);
    }
    String snippet = Redaction.snippet(text, SNIPPET_LENGTH);
    String faultcode = Xml.text(doc, "faultcode");
    if (faultcode != null) {
      String code = faultcode.strip();
      int colon = code.indexOf(':');
      if (colon >= 0) {
        code = code.substring(colon + 1);
      }
      String exceptionCode = Xml.text(doc, "exceptionCode");
      if (exceptionCode != null && !exceptionCode.isBlank() && code.isEmpty()) {
        code = exceptionCode.strip();
      }
      String faultstring = Xml.text(doc, "faultstring");
      return new SalesforceError(status, ErrorFormat.SOAP_FAULT, code.isEmpty() ? httpCode(status) : code,
          Redaction.redact(faultstring == null ? "" : faultstring.strip()), List.of(), snippet);
    }
    String exceptionCode = Xml.text(doc, "exceptionCode");
    if (exceptionCode != null) {
      String message = Xml.text(doc, "exceptionMessage");
      return new SalesforceError(status, ErrorFormat.BULK_XML, exceptionCode.strip(),
          Redaction.redact(message == null ? "" : message.strip()), List.of(), snippet);
    }
    String errorCode = Xml.text(doc, "errorCode");
    if (errorCode != null) {
      String message = Xml.text(doc, "message");
      return new SalesforceError(status, ErrorFormat.REST_XML, errorCode.strip(),
          Redaction.redact(message == null ? "" : message.strip()), List.of(), snippet);
    }
    return unparseable(status, text);
  }

  private static SalesforceError unparseable(int status, String text) {
    return new SalesforceError(status, ErrorFormat.UNPARSEABLE, httpCode(status),
        "unparseable response body", List.of(), Redaction.snippet(text, SNIPPET_LENGTH));
  }

  private static String textOf(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? "" : v.asString();
  }

  private static String httpCode(int status) {
    return "HTTP_" + status;
  }

  /** Lossy UTF-8: invalid bytes become U+FFFD, so that nothing throws. */
  static String decode(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }
}
