package io.forceflux.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * {@code /services/apexrest/{mapping}}: handlers a test registers per method and URL mapping, JSON in and out, run
 * like any API request (authenticated, counted). An unregistered mapping answers Salesforce's 404.
 */
final class FakeApexRest {

  private final Map<String, UnaryOperator<String>> handlers = new ConcurrentHashMap<>();

  void register(String method, String mapping, UnaryOperator<String> handler) {
    handlers.put(key(method, mapping), handler);
  }

  void clear() {
    handlers.clear();
  }

  private static String key(String method, String mapping) {
    String m = mapping.startsWith("/") ? mapping.substring(1) : mapping;
    return method.toUpperCase(Locale.ROOT) + " " + m;
  }

  Reply handle(Request r) {
    String mapping = r.path.substring("/services/apexrest/".length());
    UnaryOperator<String> handler = handlers.get(key(r.method, mapping));
    if (handler == null) {
      return Reply.json(404, "[{\"errorCode\":\"NOT_FOUND\",\"message\":\"Could not find a match for URL /"
          + mapping.replace("\"", "") + "\"}]");
    }
    String out = handler.apply(new String(r.body, StandardCharsets.UTF_8));
    return out == null || out.isEmpty() ? Reply.noContent()
        : Reply.json(200, out.getBytes(StandardCharsets.UTF_8));
  }
}
