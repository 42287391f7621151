package io.forceflux.reactor.bulk;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.reactor.SessionRecoveryFilter;
import io.forceflux.reactor.internal.Bodies;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;

/**
 * The HTTP steps of Bulk API 2.0 through the session-recovering WebClient. Every failure becomes a
 * {@link SalesforceException}; no Spring or Reactor Netty exception escapes.
 */
final class BulkHttp {
  private static final int MAX_JSON_BODY = 4 * 1024 * 1024;
  private static final MediaType TEXT_CSV = MediaType.parseMediaType("text/csv");

  private final WebClient web;
  private final int maxPageBytes;

  BulkHttp(WebClient web, int maxPageBytes) {
    this.web = web;
    this.maxPageBytes = maxPageBytes;
  }

  /** A CSV results page: its body and the two headers that describe it. */
  record Page(byte[] body, @Nullable String contentType, @Nullable String numberOfRecords, @Nullable String locator) {}

  /**
   * A JSON call. {@code replayable} marks a POST or PATCH the filter may replay after a transport failure (see
   * {@link BulkClient}'s class comment for why job creation and closing are).
   */
  Mono<JsonNode> json(HttpMethod method, String path, @Nullable JsonNode body, boolean replayable) {
    String what = method.name() + " " + path;
    WebClient.RequestBodySpec spec = web.method(method).uri(URI.create(path))
        .accept(MediaType.APPLICATION_JSON);
    if (replayable) {
      spec = spec.attribute(SessionRecoveryFilter.IDEMPOTENT_ATTRIBUTE, true);
    }
    WebClient.RequestHeadersSpec<?> request = body == null ? spec
        : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(DefaultBulkClient.JSON.writeValueAsBytes(body));
    return request.exchangeToMono(response -> ok(response, what)
            .flatMap(r -> Bodies.read(r, MAX_JSON_BODY)))
        .<JsonNode>handle((bytes, sink) -> {
          if (bytes.length == 0) {
            sink.next(DefaultBulkClient.JSON.missingNode());
            return;
          }
          try {
            sink.next(DefaultBulkClient.JSON.readTree(bytes));
          } catch (JacksonException e) {
            sink.error(malformed(what + ": the response is not JSON (" + e.getClass().getSimpleName() + ")"));
          }
        })
        .onErrorMap(e -> !(e instanceof SalesforceException), e -> failure(e, what));
  }

  /** {@code PUT} of a job's CSV; the inserter re-reads the spool on every replay. */
  Mono<Void> upload(String path, BodyInserter<?, ? super ClientHttpRequest> body) {
    String what = "PUT " + path;
    return web.put().uri(URI.create(path)).contentType(TEXT_CSV).accept(MediaType.APPLICATION_JSON)
        .body(body)
        .exchangeToMono(response -> ok(response, what).flatMap(r -> r.releaseBody()))
        .onErrorMap(e -> !(e instanceof SalesforceException), e -> failure(e, what));
  }

  /** One query results page, read into at most {@code maxPageBytes}. */
  Mono<Page> page(String path) {
    String what = "GET " + path;
    return web.get().uri(URI.create(path)).accept(TEXT_CSV)
        .exchangeToMono(response -> ok(response, what).flatMap(r -> {
          var headers = r.headers().asHttpHeaders();
          String contentType = headers.getFirst("Content-Type");
          String count = headers.getFirst("Sforce-NumberOfRecords");
          String locator = headers.getFirst("Sforce-Locator");
          return Bodies.read(r, maxPageBytes).map(bytes -> new Page(bytes, contentType, count, locator));
        }))
        .onErrorMap(e -> !(e instanceof SalesforceException), e -> failure(e, what));
  }

  /**
   * The rows of a CSV result file, parsed as they stream in (Jackson reads a blocking stream, so parsing runs on
   * {@link Schedulers#boundedElastic()}); the header row first.
   */
  Flux<String[]> csvRows(String path) {
    String what = "GET " + path;
    return web.get().uri(URI.create(path)).accept(TEXT_CSV)
        .exchangeToFlux(response -> ok(response, what).flatMapMany(r -> {
          InputStream in = DataBufferUtils.subscriberInputStream(r.body(BodyExtractors.toDataBuffers()), 4);
          return Flux.<String[], MappingIterator<String[]>>generate(
                  () -> CsvRows.reader(',').readValues(in),
                  (rows, sink) -> {
                    if (rows.hasNextValue()) {
                      sink.next(rows.nextValue());
                    } else {
                      sink.complete();
                    }
                    return rows;
                  },
                  MappingIterator::close)
              .subscribeOn(Schedulers.boundedElastic());
        }))
        .onErrorMap(e -> !(e instanceof SalesforceException), e -> failure(e, what));
  }

  private static Mono<ClientResponse> ok(ClientResponse response, String what) {
    int status = response.statusCode().value();
    return status >= 200 && status < 300 ? Mono.just(response) : Bodies.error(response, what);
  }

  static SalesforceException malformed(String what) {
    return SalesforceException.of(FailureCause.MALFORMED_RESPONSE, what);
  }

  private SalesforceException failure(Throwable e, String what) {
    if (e instanceof JacksonException && !(e.getCause() instanceof IOException)) {
      return SalesforceException.of(FailureCause.MALFORMED_RESPONSE, what + ": the CSV could not be parsed ("
          + e.getClass().getSimpleName() + ")");
    }
    return Bodies.failure(e, what, maxPageBytes);
  }

  static boolean isTransport(Throwable e) {
    return e instanceof SalesforceException se && se.failureCause() == FailureCause.TRANSPORT;
  }

  static boolean hasCode(Throwable e, String code) {
    return e instanceof SalesforceException se && se.error() != null && code.equals(se.error().errorCode());
  }
}
