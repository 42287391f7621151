package io.forceflux.reactor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * An in-memory token endpoint for virtual-time tests: answers token requests from a script (then
 * repeats the last line) without I/O, and counts them.
 */
final class ScriptedTokenEndpoint {
  private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger issued = new AtomicInteger();
  private final List<String> paths = new ArrayList<>();
  private volatile Reply last = Reply.ok();
  private volatile Duration delay = Duration.ZERO;
  private volatile @Nullable Scheduler scheduler;
  private volatile long introspectionExp;

  record Reply(int status, String body) {
    static Reply ok() {
      return new Reply(200, null);
    }

    static Reply error(int status, String error, String description) {
      return new Reply(status, "{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}");
    }
  }

  ScriptedTokenEndpoint then(Reply reply) {
    script.add(reply);
    return this;
  }

  /** Delays every answer on {@code scheduler} (virtual time). */
  ScriptedTokenEndpoint delay(Duration delay, Scheduler scheduler) {
    this.delay = delay;
    this.scheduler = scheduler;
    return this;
  }

  /** Introspection answers active with this exp (epoch seconds). */
  ScriptedTokenEndpoint introspectionExp(long exp) {
    this.introspectionExp = exp;
    return this;
  }

  int requests() {
    return requests.get();
  }

  synchronized List<String> paths() {
    return List.copyOf(paths);
  }

  WebClient webClient() {
    return WebClient.builder().exchangeFunction(this::exchange).build();
  }

  private Mono<ClientResponse> exchange(ClientRequest request) {
    synchronized (this) {
      paths.add(request.url().getPath());
    }
    if (request.url().getPath().endsWith("/introspect")) {
      return Mono.just(ClientResponse.create(HttpStatus.OK)
          .header("Content-Type", MediaType.APPLICATION_JSON_VALUE)
          .body("{\"active\":true,\"exp\":" + introspectionExp + "}")
          .build());
    }
    requests.incrementAndGet();
    Reply reply = script.poll();
    if (reply == null) {
      reply = last;
    } else {
      last = reply;
    }
    String body = reply.body != null ? reply.body : tokenJson(issued.incrementAndGet());
    Mono<ClientResponse> response = Mono.just(ClientResponse.create(HttpStatus.valueOf(reply.status))
        .header("Content-Type", MediaType.APPLICATION_JSON_VALUE)
        .body(body)
        .build());
    Scheduler on = scheduler;
    return delay.isZero() || on == null ? response : response.delayElement(delay, on);
  }

  static String tokenValue(int n) {
    return "00D000000000001!AQ" + "scripted-token-" + n;
  }

  private static String tokenJson(int n) {
    return "{\"access_token\":\"" + tokenValue(n) + "\",\"instance_url\":\"https://acme.my.salesforce.com\","
        + "\"id\":\"https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA\","
        + "\"token_type\":\"Bearer\",\"signature\":\"x\"}";
  }
}
