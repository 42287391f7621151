package io.forceflux.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;

/**
 * One Bulk API 2.0 query job: a frozen result set (the REST cursor's snapshot) that becomes readable once its
 * processing time on the org's clock has passed. Pages are rendered on demand from an offset, so a locator returns
 * the same rows every time and a million-row job costs a few objects. Guarded by its own monitor.
 */
final class FakeBulkQuery extends FakeBulkJob {

  final String query;
  final QueryCursor cursor;
  final long ratePerSecond;

  FakeBulkQuery(String id, String operation, String query, String columnDelimiter, String lineEnding,
      String apiVersion, String createdById, Instant now, QueryCursor cursor, long ratePerSecond) {
    super(id, operation, columnDelimiter, lineEnding, apiVersion, createdById, now, "UploadComplete");
    this.query = query;
    this.cursor = cursor;
    this.ratePerSecond = ratePerSecond;
  }

  void advance(Instant now) {
    if (terminal()) {
      return;
    }
    long elapsed = Math.max(0, Duration.between(createdDate, now).toMillis());
    state = "InProgress";
    if (ratePerSecond > 0 && (elapsed * (double) ratePerSecond / 1000 >= cursor.total)) {
      state = "JobComplete";
    }
    modified = now;
  }

  long processed() {
    return state.equals("JobComplete") ? cursor.total : 0;
  }

  static String locator(long offset) {
    return Base64.getEncoder().withoutPadding().encodeToString(Long.toString(offset)
        .getBytes(StandardCharsets.US_ASCII));
  }

  /** The offset a locator stands for, or -1 if it is not one of this job's. */
  long offset(@Nullable String locator) {
    if (locator == null || locator.isEmpty()) {
      return 0;
    }
    try {
      long offset = Long.parseLong(new String(Base64.getDecoder().decode(locator), StandardCharsets.US_ASCII));
      return offset >= 0 && offset < Math.max(1, cursor.total) ? offset : -1;
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  /** Rows {@code offset ..} up to {@code max}, as CSV with its header; {@code count[0]} receives the row count. */
  byte[] page(long offset, long max, long[] count) {
    char delimiter = BulkCsv.delimiter(columnDelimiter);
    String eol = lineEndingChars();
    List<String> columns = cursor.result.columnNames();
    long n = Math.max(0, Math.min(max, cursor.total - offset));
    StringBuilder out = new StringBuilder((int) Math.min(64L * 1024 * 1024, 64 + n * 96));
    BulkCsv.row(out, delimiter, eol, columns.toArray(new String[0]));
    String[] values = new String[columns.size()];
    long[] rows = {0};
    cursor.result.forEach(offset, n, seq -> {
      for (int i = 0; i < values.length; i++) {
        Object value = cursor.result.value(seq, i);
        values[i] = value == null ? "" : value.toString();
      }
      BulkCsv.row(out, delimiter, eol, values);
      rows[0]++;
    });
    long written = rows[0];
    count[0] = written;
    return BulkCsv.bytes(out);
  }

  void writeInfo(JsonGenerator g, boolean full) {
    g.writeStartObject();
    g.writeStringProperty("id", id);
    g.writeStringProperty("operation", operation);
    g.writeStringProperty("object", cursor.result.store.name);
    g.writeStringProperty("createdById", createdById);
    g.writeStringProperty("createdDate", SObjectStore.SALESFORCE_DATE_TIME.format(createdDate));
    g.writeStringProperty("systemModstamp", SObjectStore.SALESFORCE_DATE_TIME.format(modified));
    g.writeStringProperty("state", state);
    g.writeStringProperty("concurrencyMode", "Parallel");
    g.writeStringProperty("contentType", "CSV");
    g.writeNumberProperty("apiVersion", Double.parseDouble(apiVersion));
    g.writeStringProperty("jobType", "V2Query");
    g.writeStringProperty("lineEnding", lineEnding);
    g.writeStringProperty("columnDelimiter", columnDelimiter);
    if (full) {
      g.writeNumberProperty("numberRecordsProcessed", processed());
      g.writeNumberProperty("retries", 0);
      g.writeNumberProperty("totalProcessingTime", 0);
    }
    g.writeEndObject();
  }
}
