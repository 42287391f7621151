package io.forceflux.reactor.bulk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * The CSV of one ingest job, held until Salesforce has it so that an upload replayed after a session death sends
 * the same bytes: in memory up to a limit, then in a temporary file (written on a bounded-elastic thread, never an
 * event loop). Not thread-safe: one chunk is filled by one sequential stream.
 */
final class Chunk {
  private final byte[] header;
  private final int memoryLimit;
  private final @Nullable Path directory;
  private @Nullable ByteArrayOutputStream memory = new ByteArrayOutputStream(8192);
  private @Nullable OutputStream file;
  private @Nullable Path path;
  private long rows;
  private long bytes;

  Chunk(byte[] header, int memoryLimit, @Nullable Path directory) {
    this.header = header;
    this.memoryLimit = memoryLimit;
    this.directory = directory;
  }

  Chunk append(byte[] row) {
    try {
      if (rows == 0) {
        write(header);
      }
      write(row);
      rows++;
      return this;
    } catch (IOException e) {
      delete();
      throw new UncheckedIOException("the ingest spool file could not be written", e);
    }
  }

  private void write(byte[] data) throws IOException {
    if (file == null && bytes + data.length > memoryLimit) {
      path = directory == null ? Files.createTempFile("forceflux-bulk-", ".csv")
          : Files.createTempFile(directory, "forceflux-bulk-", ".csv");
      file = Files.newOutputStream(path);
      if (memory != null) {
        memory.writeTo(file);
        memory = null;
      }
    }
    if (file != null) {
      file.write(data);
    } else if (memory != null) {
      memory.write(data);
    }
    bytes += data.length;
  }

  /** Flushes the spool file, if any; call before {@link #body()}. */
  Chunk finish() {
    if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        delete();
        throw new UncheckedIOException("the ingest spool file could not be written", e);
      }
    }
    return this;
  }

  long rows() {
    return rows;
  }

  long bytes() {
    return bytes;
  }

  boolean spooledToDisk() {
    return path != null;
  }

  /** A body that yields the same bytes on every subscription (every replay). */
  BodyInserter<?, ? super ClientHttpRequest> body() {
    if (path != null) {
      return BodyInserters.fromResource(new FileSystemResource(path));
    }
    byte[] data = memory == null ? new byte[0] : memory.toByteArray();
    return BodyInserters.fromValue(data);
  }

  /** Frees the memory and deletes the spool file. Idempotent. */
  void delete() {
    memory = null;
    try {
      if (file != null) {
        file.close();
      }
      if (path != null) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // Best effort: a temp file left behind is cleaned by the OS; nothing to tell the caller.
    }
  }
}
