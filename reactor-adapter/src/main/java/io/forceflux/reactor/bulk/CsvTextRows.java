package io.forceflux.reactor.bulk;

import io.forceflux.core.internal.Redaction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.SynchronousSink;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;

/** CSV text rows: the first is the header, checked before any job is created. */
final class CsvTextRows {
  private byte @Nullable [] header;

  byte[] header() {
    return header == null ? new byte[0] : header;
  }

  void row(String text, SynchronousSink<byte[]> sink) {
    String row = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
        : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    if (header == null) {
      String[] names;
      try (MappingIterator<String[]> it = CsvRows.reader(',').readValues(row)) {
        names = it.hasNextValue() ? it.nextValue() : new String[0];
      } catch (JacksonException e) {
        sink.error(new IllegalArgumentException("the CSV header row is not valid CSV"));
        return;
      }
      Set<String> seen = new HashSet<>();
      for (String name : names) {
        if (!CsvRows.COLUMN.matcher(name.trim()).matches() || !seen.add(name.trim().toLowerCase(java.util.Locale.ROOT))) {
          sink.error(new IllegalArgumentException("bad CSV header: " + Redaction.snippet(
              name.isEmpty() ? "(an empty column name)" : name, 80) + " is not a field name or is repeated"));
          return;
        }
      }
      if (names.length == 0) {
        sink.error(new IllegalArgumentException("bad CSV header: no columns"));
        return;
      }
      header = (row + "\n").getBytes(StandardCharsets.UTF_8);
      return;
    }
    if (row.isBlank()) {
      return;
    }
    sink.next((row + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
