package io.forceflux.core.internal.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.error.ErrorFormat;
import io.forceflux.core.error.SalesforceError;
import io.forceflux.core.internal.Origins;
import io.forceflux.core.internal.Redaction;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.statistics.Statistics;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Properties of {@link ErrorParser}, {@link Redaction} and {@code Origins}. Abstract because the build's surefire
 * runs only {@code *Tests} classes: {@link ErrorParserPropertiesTests} runs these (jqwik inherits property methods).
 */
abstract class ErrorParserProperties {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  /** The characters Salesforce session ids use after the '!': base64url plus '.'. */
  private static final String URL_SAFE = ALNUM + "-_.";

  @Provide
  Arbitrary<@Nullable String> contentTypes() {
    return Arbitraries.of("application/json;charset=UTF-8", "text/xml", "text/html; charset=utf-8", "",
        "application/octet-stream", "TEXT/HTML").injectNull(0.2);
  }

  @Provide
  Arbitrary<Integer> statuses() {
    return Arbitraries.oneOf(Arbitraries.of(200, 400, 401, 403, 500, 502, 503), Arbitraries.integers());
  }

  /** Arbitrary text after a prefix that steers the parser into each of its branches. */
  @Provide
  Arbitrary<String> steeredBodies() {
    Arbitrary<String> prefix = Arbitraries.of("", " ", "<", "<?xml version=\"1.0\"?>", "[", "{", "[{\"errorCode\":",
        "{\"error\":\"invalid_grant\",\"error_description\":", "<html>", "<!DOCTYPE html><title>",
        "<Errors><Error><errorCode>", "<error><exceptionCode>",
        "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
            + "<soapenv:Fault><faultcode>",
        "00D5g000004ABCD!", "eyJ", "-----BEGIN PRIVATE KEY-----", "refresh_token=");
    return Combinators.combine(prefix, Arbitraries.strings().ofMaxLength(600)).as(String::concat);
  }

  @Provide
  Arbitrary<String> sessionIds() {
    Arbitrary<String> org = Arbitraries.strings().withChars(ALNUM).ofLength(15);
    Arbitrary<String> secret = Arbitraries.strings().withChars(URL_SAFE).ofMinLength(20).ofMaxLength(100);
    return Combinators.combine(org, secret).as((o, s) -> "00D" + o + "!" + s);
  }

  /** Mostly well-formed http(s) URLs with odd hosts, ports and cases, plus arbitrary text after a scheme. */
  @Provide
  Arbitrary<String> uriLike() {
    Arbitrary<String> scheme = Arbitraries.of("http://", "https://", "HTTPS://", "Http://", "ftp://", "//", "",
        "mailto:", "http:", "https://user:pw@", "http://[::1]", "https://[");
    Arbitrary<String> httpScheme = Arbitraries.of("http://", "https://", "HTTPS://", "Http://", "ftp://",
        "https://user@");
    Arbitrary<String> alnum = Arbitraries.strings().withChars("abcXYZ019").ofMinLength(1).ofMaxLength(6);
    Arbitrary<String> label = Combinators.combine(alnum, Arbitraries.of("", "", "-", "--"), alnum)
        .as((x, dash, y) -> dash.isEmpty() ? x : x + dash + y);
    Arbitrary<String> hostname = Combinators.combine(label.list().ofMaxSize(3),
        Arbitraries.of("com", "salesforce.com", "Example", "test", "x1")).as((labels, top) ->
        labels.isEmpty() ? top : String.join(".", labels) + "." + top);
    Arbitrary<String> host = Arbitraries.frequencyOf(Tuple.of(4, hostname),
        Tuple.of(1, Arbitraries.of("127.0.0.1", "[::1]", "0.0.0.0", "1", "a.1")),
        Tuple.of(1, Arbitraries.strings().withChars("abcXYZ019.-").ofMinLength(1).ofMaxLength(20)));
    Arbitrary<String> port = Arbitraries.of("", ":80", ":443", ":8080", ":0", ":65535", ":", ":99999");
    Arbitrary<String> path = Combinators.combine(Arbitraries.of("", "/", "?", "#"),
        Arbitraries.strings().withChars("abc/?#=&.").ofMaxLength(20)).as(String::concat);
    Arbitrary<String> wellFormed = Combinators.combine(httpScheme, host, port, path)
        .as((s, h, p, x) -> s + h + p + x);
    Arbitrary<String> messy = Combinators.combine(scheme, Arbitraries.oneOf(
        Arbitraries.strings().withChars("abcXYZ019.-_~:/@[]%?#!$&'()*+,;=").ofMaxLength(40),
        Arbitraries.strings().ofMaxLength(40))).as(String::concat);
    return Arbitraries.frequencyOf(Tuple.of(3, wellFormed), Tuple.of(1, messy));
  }

  @Property
  void parseNeverThrowsAndBoundsTheSnippetForArbitraryBytes(
      @ForAll("statuses") int status, @ForAll("contentTypes") @Nullable String contentType,
      @ForAll @Size(max = 2048) byte[] body) {
    SalesforceError error = ErrorParser.parse(status, contentType, body);

    assertWellFormed(error, status);
  }

  @Property
  void parseNeverThrowsAndBoundsTheSnippetForArbitraryText(
      @ForAll("statuses") int status, @ForAll("contentTypes") @Nullable String contentType,
      @ForAll("steeredBodies") String body) {
    SalesforceError error = ErrorParser.parse(status, contentType, body.getBytes(StandardCharsets.UTF_8));

    assertWellFormed(error, status);
  }

  @Property(tries = 500)
  void parseReadsAnyRestErrorCodeAndRedactedMessage(
      @ForAll @StringLength(max = 300) String message, @ForAll @StringLength(max = 60) String errorCode,
      @ForAll @Size(max = 3) List<@StringLength(max = 20) String> fields) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("message", message);
    error.put("errorCode", errorCode);
    error.put("fields", fields);
    byte[] body = JSON.writeValueAsBytes(List.of(error));

    SalesforceError parsed = ErrorParser.parse(400, "application/json", body);

    assertThat(parsed.format()).isEqualTo(ErrorFormat.REST_JSON);
    assertThat(parsed.errorCode()).isEqualTo(errorCode);
    assertThat(parsed.message()).isEqualTo(Redaction.redact(message));
    assertThat(parsed.fields()).isEqualTo(fields);
  }

  @Property
  void redactionRemovesAnEmbeddedSessionId(
      @ForAll @StringLength(max = 200) String before, @ForAll("sessionIds") String sessionId,
      @ForAll @StringLength(max = 200) String after) {
    String redacted = Redaction.redact(before + sessionId + after);

    assertThat(redacted).doesNotContain(sessionId);
    assertThat(redacted).doesNotContain(sessionId.substring(sessionId.indexOf('!')));
  }

  @Property(tries = 300)
  void snippetNeverShowsAnEmbeddedSessionId(
      @ForAll @StringLength(max = 300) String before, @ForAll("sessionIds") String sessionId,
      @ForAll @StringLength(max = 50) String after) {
    String snippet = Redaction.snippet(before + sessionId + after, ErrorParser.SNIPPET_LENGTH);

    assertThat(snippet).doesNotContain(sessionId.substring(sessionId.indexOf('!') + 1, sessionId.indexOf('!') + 12));
  }

  @Property
  void sameOriginNeverThrowsAndIsSymmetric(@ForAll("uriLike") String a, @ForAll("uriLike") String b) {
    URI first = parseOrNull(a);
    URI second = parseOrNull(b);
    Statistics.label("both parse").collect(first != null && second != null);
    Statistics.label("both parse").coverage(c -> c.check(true).percentage(p -> p >= 25));
    if (first == null || second == null) {
      return; // only URIs that parse are in scope
    }

    boolean same = Origins.sameOrigin(first, second);

    assertThat(Origins.sameOrigin(second, first)).isEqualTo(same);
  }

  @Property
  void aUriWithAnOriginIsSameOriginAsThatOrigin(@ForAll("uriLike") String text) {
    URI uri = parseOrNull(text);
    Statistics.label("has an origin").collect(uri != null && hasOrigin(uri));
    Statistics.label("has an origin").coverage(c -> c.check(true).percentage(p -> p >= 25));
    if (uri == null) {
      return;
    }
    URI origin;
    try {
      origin = Origins.origin(uri);
    } catch (IllegalArgumentException expected) {
      assertThat(Origins.sameOrigin(uri, uri)).isFalse();
      return;
    }

    assertThat(Origins.sameOrigin(uri, origin)).isTrue();
    assertThat(Origins.sameOrigin(uri, uri)).isTrue();
  }

  private static boolean hasOrigin(URI uri) {
    try {
      Origins.origin(uri);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static @Nullable URI parseOrNull(String text) {
    try {
      return URI.create(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void assertWellFormed(SalesforceError error, int status) {
    assertThat(error.status()).isEqualTo(status);
    assertThat(error.format()).isNotNull();
    assertThat(error.errorCode()).isNotNull();
    assertThat(error.message()).isNotNull();
    assertThat(error.snippet()).hasSizeLessThanOrEqualTo(ErrorParser.SNIPPET_LENGTH + 1).doesNotContain("\n", "\r");
    assertThat(error.toString()).isNotNull();
  }
}
