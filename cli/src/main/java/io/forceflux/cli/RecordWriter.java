package io.forceflux.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes query records to stdout one at a time (nothing is collected), without Salesforce's {@code attributes}.
 */
abstract class RecordWriter {
  static final JsonMapper JSON = JsonMapper.builder().build();

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

  protected final PrintWriter out;

  RecordWriter(PrintWriter out) {
    this.out = out;
  }

  static RecordWriter of(Format format, PrintWriter out) {
    return switch (format) {
      case NDJSON -> new Ndjson(out);
      case CSV -> new Csv(out);
      case JSON -> new JsonArray(out);
    };
  }

  /** Writes one record (its {@code attributes} removed, at every level). */
  final void write(JsonNode record) {
    writeClean(withoutAttributes(record));
  }

  abstract void writeClean(JsonNode record);

  /**
   * Ends the output after the last record (the closing bracket of a JSON array) and flushes. Not called when the
   * query fails, so a failed JSON stream is visibly unterminated.
   */
  void finish() {
    out.flush();
  }

  /** Whether writing failed (stdout closed, e.g. piped into {@code head}). */
  boolean failed() {
    return out.checkError();
  }

  static JsonNode withoutAttributes(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove("attributes");
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        withoutAttributes(field.getValue());
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        withoutAttributes(element);
      }
    }
    return node;
  }

  private static final class Ndjson extends RecordWriter {
    Ndjson(PrintWriter out) {
      super(out);
    }

    @Override
    void writeClean(JsonNode record) {
      out.write(JSON.writeValueAsString(record));
      out.write('\n');
    }
  }

  private static final class JsonArray extends RecordWriter {
    private boolean first = true;

    JsonArray(PrintWriter out) {
      super(out);
    }

    @Override
    void writeClean(JsonNode record) {
      out.write(first ? "[\n" : ",\n");
      first = false;
      out.write(JSON.writeValueAsString(record));
    }

    @Override
    void finish() {
      out.write(first ? "[]\n" : "\n]\n");
      super.finish();
    }
  }

  private static final class Csv extends RecordWriter {
    private @Nullable List<String> header;

    Csv(PrintWriter out) {
      super(out);
    }

    @Override
    void writeClean(JsonNode record) {
      Map<String, String> row = new LinkedHashMap<>();
      flatten("", record, row);
      List<String> columns = header;
      if (columns == null) {
        columns = List.copyOf(row.keySet());
        header = columns;
        line(columns);
      }
      List<String> values = new ArrayList<>(columns.size());
      for (String column : columns) {
        String value = row.get(column);
        values.add(value == null ? "" : value);
      }
      line(values);
    }

    private void line(List<String> cells) {
      for (int i = 0; i < cells.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        out.write(quote(cells.get(i)));
      }
      out.write("\r\n");
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> row) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String name = prefix + field.getKey();
        JsonNode value = field.getValue();
        if (value.isObject() && !value.has("records")) {
          flatten(name + ".", value, row);
        } else if (value.isNull() || value.isMissingNode()) {
          row.put(name, "");
        } else if (value.isContainer()) {
          row.put(name, JSON.writeValueAsString(value));
        } else {
          row.put(name, value.asString());
        }
      }
    }

    static String quote(String cell) {
      boolean needs = false;
      for (int i = 0; i < cell.length() && !needs; i++) {
        char ch = cell.charAt(i);
        needs = ch == ',' || ch == '"' || ch == '\n' || ch == '\r';
      }
      return needs ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
    }
  }
}
