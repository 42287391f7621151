package io.forceflux.reactor.client;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The per-client describe cache: a describe younger than the time to live is served without a call; an older one
 * is asked again with {@code If-Modified-Since} (its {@code Last-Modified}), and a {@code 304} keeps it.
 */
final class Describes {
  private record Entry(JsonNode body, @Nullable String lastModified, long fetchedAt) {}

  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
  private final Scheduler scheduler;
  private final long ttlMillis;

  Describes(Scheduler scheduler, Duration ttl) {
    this.scheduler = scheduler;
    this.ttlMillis = ttl.toMillis();
  }

  Mono<JsonNode> get(String key, String path, BiFunction<String, @Nullable String, Mono<Rest.Reply>> fetch) {
    return Mono.defer(() -> {
      Entry cached = cache.get(key);
      long now = scheduler.now(java.util.concurrent.TimeUnit.MILLISECONDS);
      if (cached != null && now - cached.fetchedAt() < ttlMillis) {
        return Mono.just(cached.body().deepCopy());
      }
      return fetch.apply(path, cached == null ? null : cached.lastModified()).map(reply -> {
        Entry entry;
        if (reply.status() == 304 && cached != null) {
          entry = new Entry(cached.body(), cached.lastModified(), now);
        } else {
          entry = new Entry(parse(reply.body()), reply.headers().getFirst(HttpHeaders.LAST_MODIFIED), now);
        }
        cache.put(key, entry);
        return entry.body().deepCopy();
      });
    });
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw Rest.malformed("the describe result is not a JSON object", null);
      }
      return node;
    } catch (JacksonException e) {
      throw Rest.malformed("the describe result is not well-formed JSON", null);
    }
  }
}
