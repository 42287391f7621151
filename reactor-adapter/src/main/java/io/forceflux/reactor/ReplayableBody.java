package io.forceflux.reactor;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpRequestDecorator;
import org.springframework.web.reactive.function.BodyInserter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A request body that can be sent again byte for byte. The first attempt runs the caller's inserter and keeps a
 * copy of what it wrote (and the headers its encoder set), up to a limit; a replay after a 401 sends that copy.
 * Without it, a body that can be read once (a one-shot {@code Flux<DataBuffer>}, an {@code InputStream}) would be
 * replayed empty or broken. A body larger than the limit, or one whose first send did not finish (the server
 * answered before reading it all), is re-read from its source on replay; a source that refuses a second reader
 * fails the replay with a typed {@link FailureCause#TRANSPORT} error, before anything is sent.
 */
final class ReplayableBody implements BodyInserter<Object, ClientHttpRequest> {

  private final BodyInserter<?, ? super ClientHttpRequest> source;
  private final int limit;
  private final String description;
  private int inserts;
  private @Nullable Recording recording;

  ReplayableBody(BodyInserter<?, ? super ClientHttpRequest> source, int limit, String description) {
    this.source = source;
    this.limit = limit;
    this.description = description;
  }

  @Override
  public Mono<Void> insert(ClientHttpRequest request, Context context) {
    // Attempts of one request never overlap: each starts after the previous one ended.
    if (inserts++ == 0) {
      Recording r = new Recording(limit);
      recording = r;
      return source.insert(new RecordingRequest(request, r), context);
    }
    Recording r = recording;
    if (r != null && r.complete && !r.overflow) {
      return r.replay(request);
    }
    return source.insert(new RereadingRequest(request), context);
  }

  /**
   * Why the source could not be read again for a replay, as a typed failure for the caller, or null if it could
   * (or was never read again). The transport reports such a failure as a broken connection; this says what broke.
   */
  @Nullable SalesforceException rereadFailure(int attempts) {
    Throwable e = rereadFailure;
    return e == null ? null : SalesforceException.wrapping(FailureCause.TRANSPORT, description + ": the request body "
        + "could not be read again for the replay (a one-shot stream larger than " + limit + " bytes, or one not sent "
        + "in full the first time); send a body that can be re-read, or raise maxReplayBodyBytes", e)
        .withAttempts(attempts);
  }

  private volatile @Nullable Throwable rereadFailure;

  /** Notes a source that fails when read again. */
  private final class RereadingRequest extends ClientHttpRequestDecorator {
    RereadingRequest(ClientHttpRequest delegate) {
      super(delegate);
    }

    @Override
    public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
      return super.writeWith(Flux.from(body).doOnError(e -> rereadFailure = e));
    }
  }

  /** What the first attempt wrote. */
  private static final class Recording {
    private final int limit;
    private final List<byte[]> chunks = new ArrayList<>();
    private @Nullable HttpHeaders headers;
    private int size;
    private volatile boolean complete;
    private volatile boolean overflow;

    Recording(int limit) {
      this.limit = limit;
    }

    void add(DataBuffer buffer) {
      int n = buffer.readableByteCount();
      if (overflow || size + n > limit) {
        overflow = true;
        chunks.clear();
        return;
      }
      ByteBuffer copy = ByteBuffer.allocate(n);
      // Copies by index: the buffer's read position, which the transport is about to consume, is left alone.
      buffer.toByteBuffer(buffer.readPosition(), copy, 0, n);
      chunks.add(copy.array());
      size += n;
    }

    Mono<Void> replay(ClientHttpRequest request) {
      HttpHeaders recorded = headers;
      if (recorded != null) {
        for (Map.Entry<String, List<String>> header : recorded.headerSet()) {
          if (!request.getHeaders().containsHeader(header.getKey())) {
            request.getHeaders().put(header.getKey(), header.getValue());
          }
        }
      }
      request.getHeaders().setContentLength(size);
      if (size == 0) {
        return request.setComplete();
      }
      return request.writeWith(Flux.fromIterable(chunks).map(bytes -> request.bufferFactory().wrap(bytes)));
    }
  }

  /** Passes every write through, keeping a copy and the headers as they were when the body was written. */
  private static final class RecordingRequest extends ClientHttpRequestDecorator {
    private final Recording recording;

    RecordingRequest(ClientHttpRequest delegate, Recording recording) {
      super(delegate);
      this.recording = recording;
    }

    @Override
    public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
      recording.headers = HttpHeaders.copyOf(getHeaders());
      return super.writeWith(Flux.from(body).doOnNext(recording::add).doOnComplete(() -> recording.complete = true));
    }

    @Override
    public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
      recording.overflow = true; // a streamed body of many flushes is not recorded
      return super.writeAndFlushWith(body);
    }

    @Override
    public Mono<Void> setComplete() {
      recording.headers = HttpHeaders.copyOf(getHeaders());
      recording.complete = true;
      return super.setComplete();
    }
  }
}
