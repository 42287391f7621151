package io.forceflux.cli;

import io.forceflux.reactor.client.RecordDecoder;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.ByteArrayBuilder;

/**
 * The shapes {@code forceflux query} asks the client to decode records into, with no object mapper. Their
 * {@link RecordDecoder}s read the record's
 * tokens from the page parser and copy them straight into output form, without {@code attributes} at any level:
 * no tree per record, one byte array (JSON) or one row of strings (CSV).
 *
 * <p>The decoders run on whichever thread drains the query (an event loop or the caller); each thread has its own
 * scratch generator, so a decoder never blocks and never shares state.
 */
final class Records {
  /** Plain JSON, no separator between top-level values: each record's bytes are taken out one at a time. */
  private static final JsonFactory FACTORY = JsonFactory.builder().rootValueSeparator((String) null).build();
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private Records() {}

  /**
   * One record as the UTF-8 JSON of its fields, {@code attributes} removed everywhere.
   *
   * @param json the bytes, without a line end
   */
  record JsonRecord(byte[] json) {
    static final RecordDecoder<JsonRecord> DECODER = p -> {
      Scratch scratch = SCRATCH.get();
      try {
        return new JsonRecord(scratch.json(p));
      } catch (RuntimeException e) {
        // The generator may be mid-object: never reuse it.
        SCRATCH.remove();
        throw e;
      }
    };
  }

  /**
   * One record as a CSV row: its fields flattened ({@code Owner.Name}), in the order Salesforce sent them.
   * Scalars keep Salesforce's text (numbers as sent); null is {@code null}; a subquery result or an array is its
   * JSON text.
   *
   * @param names the flattened field names
   * @param cells the values, one per name
   */
  record CsvRecord(String[] names, @Nullable String[] cells) {
    static final RecordDecoder<CsvRecord> DECODER = p -> {
      Scratch scratch = SCRATCH.get();
      try {
        return scratch.row(p);
      } catch (RuntimeException e) {
        SCRATCH.remove();
        throw e;
      }
    };
  }

  /** Per-thread buffers of the decoders. */
  private static final class Scratch {
    private final ByteArrayBuilder bytes = new ByteArrayBuilder(256);
    private final JsonGenerator json = FACTORY.createGenerator(ObjectWriteContext.empty(), bytes);
    private final List<String> names = new ArrayList<>();
    private final List<@Nullable String> cells = new ArrayList<>();
    private String[] lastNames = new String[0];

    byte[] json(JsonParser p) {
      copy(p, json);
      json.flush();
      byte[] out = bytes.toByteArray();
      bytes.reset();
      return out;
    }

    CsvRecord row(JsonParser p) {
      names.clear();
      cells.clear();
      flatten(p, "");
      return new CsvRecord(sameNames(), cells.toArray(new String[0]));
    }

    /** The previous record's names when these are the same (as they are for every record of a query). */
    private String[] sameNames() {
      String[] last = lastNames;
      if (last.length == names.size()) {
        int i = 0;
        while (i < last.length && last[i].equals(names.get(i))) {
          i++;
        }
        if (i == last.length) {
          return last;
        }
      }
      last = names.toArray(new String[0]);
      lastNames = last;
      return last;
    }

    /** Reads the object the parser is on (or inside, after {@code first}) into columns. */
    private void flatten(JsonParser p, String prefix) {
      String name;
      while ((name = p.nextName()) != null) {
        JsonToken value = p.nextToken();
        if (name.equals("attributes")) {
          p.skipChildren();
        } else if (value == JsonToken.START_OBJECT) {
          nested(p, prefix + name);
        } else if (value == JsonToken.START_ARRAY) {
          add(prefix + name, text(p, null));
        } else {
          add(prefix + name, value == JsonToken.VALUE_NULL ? null : p.getString());
        }
      }
    }

    /**
     * A parent record ({@code Owner}) or compound field is flattened; a subquery result (it opens with
     * {@code totalSize}, {@code done} or {@code records}) stays one cell of JSON.
     */
    private void nested(JsonParser p, String name) {
      String first = p.nextName();
      if (first == null) {
        return;
      }
      if (first.equals("totalSize") || first.equals("done") || first.equals("records")) {
        add(name, text(p, first));
        return;
      }
      String prefix = name + ".";
      JsonToken value = p.nextToken();
      if (first.equals("attributes")) {
        p.skipChildren();
      } else if (value == JsonToken.START_OBJECT) {
        nested(p, prefix + first);
      } else if (value == JsonToken.START_ARRAY) {
        add(prefix + first, text(p, null));
      } else {
        add(prefix + first, value == JsonToken.VALUE_NULL ? null : p.getString());
      }
      flatten(p, prefix);
    }

    /**
     * The JSON text of the value the parser is on, without attributes; with {@code first}, of the object whose
     * first property name was just read.
     */
    private String text(JsonParser p, @Nullable String first) {
      ByteArrayBuilder buffer = new ByteArrayBuilder(128);
      try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), buffer)) {
        if (first == null) {
          copy(p, g);
        } else {
          g.writeStartObject();
          copyProperty(p, g, first);
          copyProperties(p, g);
          g.writeEndObject();
        }
      }
      return new String(buffer.toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private void add(String name, @Nullable String cell) {
      names.add(name);
      cells.add(cell);
    }
  }

  /** Copies the value the parser is on, dropping {@code attributes} at every level. */
  static void copy(JsonParser p, JsonGenerator g) {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      g.writeStartObject();
      copyProperties(p, g);
      g.writeEndObject();
    } else if (t == JsonToken.START_ARRAY) {
      g.writeStartArray();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        copy(p, g);
      }
      g.writeEndArray();
    } else {
      // Exact: numbers keep Salesforce's digits (no trip through double).
      g.copyCurrentEventExact(p);
    }
  }

  private static void copyProperties(JsonParser p, JsonGenerator g) {
    String name;
    while ((name = p.nextName()) != null) {
      copyProperty(p, g, name);
    }
  }

  /** Copies the property whose name was just read (its value is the next token). */
  private static void copyProperty(JsonParser p, JsonGenerator g, String name) {
    p.nextToken();
    if (name.equals("attributes")) {
      p.skipChildren();
      return;
    }
    g.writeName(name);
    copy(p, g);
  }
}
