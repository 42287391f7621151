package io.forceflux.cli;

import io.forceflux.cli.Records.CsvRecord;
import io.forceflux.cli.Records.JsonRecord;
import io.forceflux.reactor.client.RecordDecoder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.FormatSchema;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.dataformat.csv.CsvFactory;
import tools.jackson.dataformat.csv.CsvSchema;
import tools.jackson.dataformat.csv.CsvWriteFeature;

/**
 * Writes query records to stdout one at a time (nothing is collected), without Salesforce's {@code attributes}.
 * Records arrive already in output form ({@link Records}); this class only frames them, onto a buffered byte
 * stream.
 */
abstract class RecordWriter {
  private static final byte[] NEWLINE = {'\n'};

  /** The output formats of {@code forceflux query}. */
  enum Format {
    /** One JSON object per line. */
    NDJSON,
    /** RFC 4180 CSV; the header is the first record's fields, relationship fields flattened as {@code Owner.Name}. */
    CSV,
    /** One JSON array, streamed. */
    JSON;

    static final class Names implements Iterable<String> {
      @Override
      public Iterator<String> iterator() {
        List<String> names = new ArrayList<>();
        for (Format f : values()) {
          names.add(f.name().toLowerCase(Locale.ROOT));
        }
        return names.iterator();
      }
    }
  }

  protected final OutputStream out;
  private boolean failed;

  RecordWriter(OutputStream out) {
    this.out = out;
  }

  static RecordWriter of(Format format, OutputStream out) {
    return switch (format) {
      case NDJSON -> new Ndjson(out);
      case CSV -> new Csv(out);
      case JSON -> new JsonArray(out);
    };
  }

  /** How the client turns a record into what {@link #write} takes, straight from the page's parser. */
  abstract RecordDecoder<?> decoder();

  /**
   * Writes one record from {@link #decoder()}.
   *
   * @return false once writing failed (stdout closed, e.g. piped into {@code head}): stop producing records
   */
  final boolean write(Object record) {
    if (failed) {
      return false;
    }
    try {
      writeRecord(record);
    } catch (IOException | UncheckedIOException | JacksonException e) {
      failed = true;
    }
    return !failed;
  }

  abstract void writeRecord(Object record) throws IOException;

  /**
   * Ends the output after the last record (the closing bracket of a JSON array) and flushes. Not called when the
   * query fails, so a failed JSON stream is visibly unterminated.
   */
  final void finish() {
    if (failed) {
      return;
    }
    try {
      end();
      out.flush();
    } catch (IOException | UncheckedIOException | JacksonException e) {
      failed = true;
    }
  }

  void end() throws IOException {
    // nothing to close by default
  }

  /** Whether writing failed (stdout closed). */
  boolean failed() {
    return failed;
  }

  /** The JSON formats: each record is written as the JSON Salesforce sent; subclasses only frame it. */
  private abstract static class JsonFraming extends RecordWriter {
    JsonFraming(OutputStream out) {
      super(out);
    }

    @Override
    final RecordDecoder<?> decoder() {
      return JsonRecord.DECODER;
    }

    @Override
    final void writeRecord(Object record) throws IOException {
      writeJson(((JsonRecord) record).json());
    }

    abstract void writeJson(byte[] json) throws IOException;
  }

  private static final class Ndjson extends JsonFraming {
    Ndjson(OutputStream out) {
      super(out);
    }

    @Override
    void writeJson(byte[] json) throws IOException {
      out.write(json);
      out.write(NEWLINE);
    }
  }

  private static final class JsonArray extends JsonFraming {
    private static final byte[] OPEN = "[\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BETWEEN = ",\n".getBytes(StandardCharsets.US_ASCII);
    private boolean first = true;

    JsonArray(OutputStream out) {
      super(out);
    }

    @Override
    void writeJson(byte[] json) throws IOException {
      out.write(first ? OPEN : BETWEEN);
      first = false;
      out.write(json);
    }

    @Override
    void end() throws IOException {
      out.write((first ? "[]\n" : "\n]\n").getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** Jackson's CSV generator, its columns the first record's fields. */
  private static final class Csv extends RecordWriter {
    /** Quotes a cell only when it must (separator, quote, line break), as RFC 4180 readers expect. */
    private static final CsvFactory FACTORY = CsvFactory.builder()
        .enable(CsvWriteFeature.STRICT_CHECK_FOR_QUOTING)
        .build();
    private @Nullable JsonGenerator csv;
    private String[] header = new String[0];
    private @Nullable Map<String, Integer> columns;

    Csv(OutputStream out) {
      super(out);
    }

    @Override
    RecordDecoder<?> decoder() {
      return CsvRecord.DECODER;
    }

    @Override
    void writeRecord(Object record) {
      CsvRecord row = (CsvRecord) record;
      JsonGenerator g = csv;
      if (g == null) {
        g = start(row.names());
      }
      g.writeStartArray();
      if (Arrays.equals(row.names(), header)) {
        for (String cell : row.cells()) {
          g.writeString(cell == null ? "" : cell);
        }
      } else {
        // A record with other fields than the first (rare: Salesforce sends the same fields for every record):
        // its cells go under the header's columns, blanks where it has none.
        String[] cells = new String[header.length];
        Arrays.fill(cells, "");
        Map<String, Integer> index = columnIndex();
        for (int i = 0; i < row.names().length; i++) {
          Integer column = index.get(row.names()[i]);
          String cell = row.cells()[i];
          if (column != null && cell != null) {
            cells[column] = cell;
          }
        }
        for (String cell : cells) {
          g.writeString(cell);
        }
      }
      g.writeEndArray();
    }

    private JsonGenerator start(String[] names) {
      header = names;
      CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true).setLineSeparator("\r\n");
      for (String name : names) {
        schema.addColumn(name);
      }
      CsvSchema columns = schema.build();
      // The streaming factory, not a CsvMapper: nothing here needs an object mapper and its set-up.
      JsonGenerator g = FACTORY.createGenerator(new ObjectWriteContext.Base() {
        @Override
        public FormatSchema getSchema() {
          return columns;
        }
      }, out);
      csv = g;
      return g;
    }

    private Map<String, Integer> columnIndex() {
      Map<String, Integer> index = columns;
      if (index == null) {
        index = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
          index.putIfAbsent(header[i], i);
        }
        columns = index;
      }
      return index;
    }

    @Override
    void end() {
      JsonGenerator g = csv;
      if (g != null) {
        g.flush();
      }
    }
  }
}
