package io.forceflux.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;
import tools.jackson.dataformat.csv.CsvSchema;

/** CSV as Bulk API 2.0 reads and writes it: Jackson's CSV parser in, every value quoted out. */
final class BulkCsv {

  private static final CsvMapper MAPPER = CsvMapper.builder().enable(CsvReadFeature.WRAP_AS_ARRAY)
      .enable(CsvReadFeature.SKIP_EMPTY_LINES).build();

  private BulkCsv() {
  }

  /** Bulk API 2.0's {@code columnDelimiter} names. */
  static char delimiter(String name) {
    return switch (name) {
      case "COMMA" -> ',';
      case "TAB" -> '\t';
      case "PIPE" -> '|';
      case "SEMICOLON" -> ';';
      case "CARET" -> '^';
      case "BACKQUOTE" -> '`';
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** Every row, the header first; blank lines skipped (a quoted empty value is a row). */
  static List<String[]> parse(byte[] csv, char delimiter) throws JacksonException {
    CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(delimiter);
    List<String[]> rows = new ArrayList<>();
    try (MappingIterator<String[]> it = MAPPER.readerFor(String[].class).with(schema).readValues(csv)) {
      while (it.hasNextValue()) {
        rows.add(it.nextValue());
      }
    }
    return rows;
  }

  /** Appends one row, every value quoted (Salesforce quotes result files the same way). */
  static void row(StringBuilder out, char delimiter, String lineEnding, String... values) {
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        out.append(delimiter);
      }
      String v = values[i];
      out.append('"');
      if (v != null) {
        out.append(v.indexOf('"') < 0 ? v : v.replace("\"", "\"\""));
      }
      out.append('"');
    }
    out.append(lineEnding);
  }

  static byte[] bytes(StringBuilder out) {
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
