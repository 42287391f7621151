package io.forceflux.reactor.bulk;

import java.util.regex.Pattern;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;
import tools.jackson.dataformat.csv.CsvSchema;
import tools.jackson.dataformat.csv.CsvWriteFeature;

/** Jackson's CSV dataformat set up for Bulk API 2.0: rows as string arrays, in and out. */
final class CsvRows {
  /** A column name Bulk accepts: an API name, possibly a relationship path ({@code Account.Name}). */
  static final Pattern COLUMN = Pattern.compile("[A-Za-z][A-Za-z0-9_.]{0,254}");
  // Empty strings are written quoted: a row whose only value is empty must not become a blank line, which
  // Salesforce skips (the row would be lost without a result).
  private static final CsvMapper MAPPER = CsvMapper.builder().enable(CsvReadFeature.WRAP_AS_ARRAY)
      .enable(CsvWriteFeature.ALWAYS_QUOTE_EMPTY_STRINGS).build();
  private static final ObjectWriter WRITER = MAPPER.writerFor(String[].class)
      .with(CsvSchema.emptySchema().withLineSeparator("\n"));

  private CsvRows() {}

  static ObjectReader reader(char delimiter) {
    return MAPPER.readerFor(String[].class).with(CsvSchema.emptySchema().withColumnSeparator(delimiter));
  }

  /** One row, quoted where CSV needs it, ending with LF. */
  static byte[] write(String[] values) {
    return WRITER.writeValueAsBytes(values);
  }

  /**
   * How many rows (lines outside quoted values) {@code csv} holds, or -1 if it does not end with a complete row: a
   * page cut off mid-row or mid-quote is refused before any of it is parsed.
   */
  static long completeRows(byte[] csv) {
    boolean quoted = false;
    long rows = 0;
    for (byte b : csv) {
      if (b == '"') {
        quoted = !quoted;
      } else if (b == '\n' && !quoted) {
        rows++;
      }
    }
    return quoted || csv.length == 0 || csv[csv.length - 1] != '\n' ? -1 : rows;
  }
}
