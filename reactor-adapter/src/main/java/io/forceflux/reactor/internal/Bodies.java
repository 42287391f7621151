package io.forceflux.reactor.internal;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceError;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.internal.parse.ErrorParser;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import reactor.core.publisher.Mono;

/**
 * Not API. Reading response bodies into bounded byte arrays and turning an error response or a failed read into a
 * {@link SalesforceException}, the same way for the REST client, Bulk and the session filters.
 */
public final class Bodies {
  /** How much of an error body is read for classification; the rest is discarded. */
  public static final int MAX_ERROR_BODY = 64 * 1024;

  private Bodies() {}

  /** The readable bytes of {@code buffer}, which is released. */
  public static byte[] bytes(DataBuffer buffer) {
    try {
      byte[] bytes = new byte[buffer.readableByteCount()];
      buffer.read(bytes);
      return bytes;
    } finally {
      DataBufferUtils.release(buffer);
    }
  }

  /**
   * The body of {@code response}, at most {@code maxBytes} (a larger one signals {@link DataBufferLimitException},
   * which {@link #failure} maps); empty for none.
   */
  public static Mono<byte[]> read(ClientResponse response, int maxBytes) {
    return DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()), maxBytes)
        .map(Bodies::bytes)
        .defaultIfEmpty(new byte[0]);
  }

  /**
   * An error response as the classified {@link SalesforceException} it stands for: the first
   * {@value #MAX_ERROR_BODY} bytes of its body are parsed, the rest discarded.
   *
   * @param what the request, like {@code GET /services/data/v67.0/limits}, for the message
   */
  public static <T> Mono<T> error(ClientResponse response, String what) {
    int status = response.statusCode().value();
    String contentType = response.headers().contentType().map(MediaType::toString).orElse(null);
    return DataBufferUtils.join(DataBufferUtils.takeUntilByteCount(
            response.body(BodyExtractors.toDataBuffers()), MAX_ERROR_BODY))
        .map(Bodies::bytes)
        .defaultIfEmpty(new byte[0])
        .flatMap(bytes -> Mono.error(apiError(ErrorParser.parse(status, contentType, bytes), what)));
  }

  /** {@code error} as the failure of {@code what}, classified by its code and status. */
  public static SalesforceException apiError(SalesforceError error, String what) {
    return SalesforceException.ofApiError(error, what + " failed");
  }

  /**
   * A failure while sending {@code what} or reading its body: {@code RESPONSE_TOO_LARGE} for a body over
   * {@code maxBytes}, else {@code TRANSPORT} (Reactor Netty's premature close, resets, timeouts while the body
   * streams in).
   */
  public static SalesforceException failure(Throwable e, String what, int maxBytes) {
    if (e instanceof DataBufferLimitException) {
      return SalesforceException.of(FailureCause.RESPONSE_TOO_LARGE,
          what + ": response larger than " + maxBytes + " bytes (maxPageBytes)");
    }
    return SalesforceException.wrapping(FailureCause.TRANSPORT,
        what + ": connection failed or closed before the response was complete (" + e.getClass().getSimpleName()
            + ")", e);
  }
}
