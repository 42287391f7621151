package io.forceflux.reactor.internal;

import java.util.List;
import org.springframework.core.codec.ByteArrayDecoder;
import org.springframework.core.codec.ByteArrayEncoder;
import org.springframework.core.codec.CharSequenceEncoder;
import org.springframework.core.codec.DataBufferDecoder;
import org.springframework.core.codec.DataBufferEncoder;
import org.springframework.core.codec.StringDecoder;
import org.springframework.http.codec.DecoderHttpMessageReader;
import org.springframework.http.codec.EncoderHttpMessageWriter;
import org.springframework.http.codec.FormHttpMessageWriter;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ResourceHttpMessageWriter;
import org.springframework.web.reactive.function.client.ExchangeStrategies;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Not API. The codecs ForceFlux's own requests use, for the WebClients it builds when the user supplies none.
 *
 * <p>ForceFlux writes bytes, strings, forms and files, and reads every body as data buffers, which it parses
 * itself with its own bounds. Spring's default strategies also build JSON, Smile, CBOR, Protobuf and multipart
 * codecs, each JSON one with its own object mapper: a tenth of a second at start-up that a short-lived process
 * (the {@code forceflux} command) pays for nothing. These strategies hold only what ForceFlux uses, plus a string
 * and a byte-array reader for callers that read an error body themselves.
 */
public final class Codecs {
  private static final ExchangeStrategies RAW = new Raw();

  private Codecs() {}

  /** Exchange strategies with the byte, string, form and resource codecs only. */
  public static ExchangeStrategies raw() {
    return RAW;
  }

  /** A WebClient builder using {@link #raw()}. */
  public static WebClient.Builder rawBuilder() {
    return WebClient.builder().exchangeStrategies(RAW);
  }

  private static final class Raw implements ExchangeStrategies {
    private final List<HttpMessageReader<?>> readers = List.of(
        new DecoderHttpMessageReader<>(new DataBufferDecoder()),
        new DecoderHttpMessageReader<>(new ByteArrayDecoder()),
        new DecoderHttpMessageReader<>(StringDecoder.allMimeTypes()));
    private final List<HttpMessageWriter<?>> writers = List.of(
        new EncoderHttpMessageWriter<>(new DataBufferEncoder()),
        new EncoderHttpMessageWriter<>(new ByteArrayEncoder()),
        new EncoderHttpMessageWriter<>(CharSequenceEncoder.allMimeTypes()),
        new ResourceHttpMessageWriter(),
        new FormHttpMessageWriter());

    @Override
    public List<HttpMessageReader<?>> messageReaders() {
      return readers;
    }

    @Override
    public List<HttpMessageWriter<?>> messageWriters() {
      return writers;
    }

    /** Spring's builder without its defaults, holding these codecs: customising them costs what it always did. */
    @Override
    public Builder mutate() {
      return ExchangeStrategies.empty().codecs(c -> {
        readers.forEach(c.customCodecs()::register);
        writers.forEach(c.customCodecs()::register);
      });
    }
  }
}
