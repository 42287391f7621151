package io.forceflux.testkit;

import io.netty.handler.codec.http.HttpHeaders;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One HTTP request, body fully read, as the endpoints see it. */
final class Request {

  final String method;
  final String path;
  final Map<String, String> query;
  final HttpHeaders headers;
  final byte[] body;
  private @Nullable Map<String, String> form;

  Request(String method, String uri, HttpHeaders headers, byte[] body) {
    this.method = method;
    int q = uri.indexOf('?');
    this.path = q < 0 ? uri : uri.substring(0, q);
    this.query = q < 0 ? Map.of() : parseUrlEncoded(uri.substring(q + 1));
    this.headers = headers;
    this.body = body;
  }

  @Nullable String header(String name) {
    return headers.get(name);
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The host the client addressed ({@code Host} header, lower-cased), e.g. {@code localhost:4711}. */
  String host() {
    String host = headers.get("Host");
    return host == null ? "" : host.toLowerCase(Locale.ROOT);
  }

  /** Form parameters: the query string overlaid with an {@code application/x-www-form-urlencoded} body. */
  Map<String, String> form() {
    if (form == null) {
      Map<String, String> merged = new LinkedHashMap<>(query);
      if (body.length > 0) {
        merged.putAll(parseUrlEncoded(bodyText()));
      }
      form = Collections.unmodifiableMap(merged);
    }
    return form;
  }

  /** The path split on {@code /}, each segment percent-decoded (a {@code +} stays a plus). */
  List<String> segments() {
    List<String> result = new ArrayList<>();
    for (String s : path.split("/", -1)) {
      result.add(percentDecode(s));
    }
    return result;
  }

  static Map<String, String> parseUrlEncoded(String text) {
    Map<String, String> result = new LinkedHashMap<>();
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        result.putIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        result.putIfAbsent(key, value);
      }
    }
    return result;
  }

  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi * 16 + lo);
          i += 2;
          continue;
        }
      }
      byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
      out.write(bytes, 0, bytes.length);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
