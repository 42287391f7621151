package io.forceflux.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** A small blocking HTTP client for tests: JDK HttpClient, HTTP/1.1, every call bounded by {@link #TIMEOUT}. */
final class Http {

  static final Duration TIMEOUT = Duration.ofSeconds(15);
  static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(TIMEOUT)
      .build();

  private Http() {
  }

  record Response(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      return FakeJson.MAPPER.readTree(body);
    }

    @Nullable String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  static Response get(String url, @Nullable String token, String... headers) {
    return send("GET", url, token, null, null, headers);
  }

  static Response postJson(String url, @Nullable String token, String json) {
    return send("POST", url, token, json, "application/json", new String[0]);
  }

  static Response patchJson(String url, @Nullable String token, String json) {
    return send("PATCH", url, token, json, "application/json", new String[0]);
  }

  static Response delete(String url, @Nullable String token) {
    return send("DELETE", url, token, null, null, new String[0]);
  }

  static Response post(String url) {
    return send("POST", url, null, "", "application/x-www-form-urlencoded", new String[0]);
  }

  static Response form(String url, Map<String, String> form, String... headers) {
    return send("POST", url, null, encode(form), "application/x-www-form-urlencoded", headers);
  }

  static CompletableFuture<Response> formAsync(String url, Map<String, String> form) {
    return CLIENT.sendAsync(request("POST", url, null, encode(form), "application/x-www-form-urlencoded",
        new String[0]), HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> new Response(r.statusCode(), r.headers(), r.body()));
  }

  static Response soap(String url, String envelope) {
    return send("POST", url, null, envelope, "text/xml; charset=UTF-8", new String[] {"SOAPAction", "\"\""});
  }

  static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  static String q(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  static Response send(String method, String url, @Nullable String token, @Nullable String body,
      @Nullable String contentType, String[] headers) {
    // HttpRequest.timeout() only bounds the wait for headers; bound the body too.
    CompletableFuture<HttpResponse<String>> future = CLIENT.sendAsync(
        request(method, url, token, body, contentType, headers), HttpResponse.BodyHandlers.ofString());
    try {
      HttpResponse<String> r = future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return new Response(r.statusCode(), r.headers(), r.body());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new IllegalStateException("no complete response within " + TIMEOUT + ": " + method + " " + url);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpRequest request(String method, String url, @Nullable String token, @Nullable String body,
      @Nullable String contentType, String[] headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b.build();
  }
}
