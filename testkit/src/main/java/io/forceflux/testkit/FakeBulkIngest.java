package io.forceflux.testkit;

import io.forceflux.testkit.DataStore.WriteError;
import io.forceflux.testkit.DataStore.WriteResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.node.ObjectNode;

/**
 * One Bulk API 2.0 ingest job. Rows are processed lazily: whenever the job is looked at, the rows its processing
 * rate allows since it was closed (on the org's clock) are applied to the data store, so a job can run across many
 * sessions without a thread of its own. Guarded by its own monitor.
 */
final class FakeBulkIngest extends FakeBulkJob {

  static final int MAX_NAME = 255;

  final String object;
  final @Nullable String externalIdFieldName;
  @Nullable String errorMessage;
  @Nullable Instant closedAt;
  boolean uploaded;
  String[] header = new String[0];
  List<String[]> rows = List.of();
  int processed;
  int failed;
  long ratePerSecond;
  final List<String[]> successes = new ArrayList<>();
  final List<String[]> failures = new ArrayList<>();

  FakeBulkIngest(String id, String object, String operation, @Nullable String externalIdFieldName,
      String columnDelimiter, String lineEnding, String apiVersion, String createdById, Instant now) {
    super(id, operation, columnDelimiter, lineEnding, apiVersion, createdById, now, "Open");
    this.object = object;
    this.externalIdFieldName = externalIdFieldName;
  }

  /** Applies the rows due by {@code now}; moves UploadComplete → InProgress → JobComplete | Failed. */
  void advance(Instant now, DataStore data) {
    if (closedAt == null || terminal()) {
      return;
    }
    if (state.equals("UploadComplete")) {
      SObjectStore store = data.type(object);
      String bad = store == null ? null : unknownColumn(store);
      if (store == null || bad != null) {
        state = "Failed";
        errorMessage = store == null ? "InvalidBatch : Unable to find object: " + object
            : "InvalidBatch : Field name not found : " + bad;
        modified = now;
        return;
      }
      state = "InProgress";
      modified = now;
    }
    long elapsed = Math.max(0, Duration.between(closedAt, now).toMillis());
    long due = ratePerSecond >= Long.MAX_VALUE / Math.max(1, elapsed) ? rows.size()
        : Math.min(rows.size(), elapsed * ratePerSecond / 1000);
    if (due > processed) {
      SObjectStore store = data.type(object);
      synchronized (data) {
        while (processed < due) {
          apply(data, store, rows.get(processed));
          processed++;
        }
      }
      modified = now;
    }
    if (processed == rows.size()) {
      state = "JobComplete";
      modified = now;
    }
  }

  private @Nullable String unknownColumn(SObjectStore store) {
    for (String column : header) {
      String name = column.trim();
      if (name.isEmpty() || (store.strict && store.field(name) == null)
          || !name.matches("[A-Za-z][A-Za-z0-9_]*")) {
        return name;
      }
      if (store.field(name) != null && SObjectStore.READ_ONLY.contains(store.field(name))
          && !name.equalsIgnoreCase("Id")) {
        return name;
      }
    }
    return null;
  }

  /** One row through validation and the data store; the caller holds the data store's lock. */
  private void apply(DataStore data, SObjectStore store, String[] row) {
    ObjectNode fields = FakeJson.MAPPER.createObjectNode();
    String id = null;
    for (int i = 0; i < header.length; i++) {
      String column = header[i].trim();
      String value = i < row.length ? row[i] : "";
      if (column.equalsIgnoreCase("Id")) {
        id = value;
      } else if (value.equals("#N/A")) {
        fields.putNull(column);
      } else if (!value.isEmpty()) {
        fields.put(column, value);
      }
    }
    String name = FakeJson.text(fields, "Name");
    if (name == null) {
      for (var e : fields.properties()) {
        if (e.getKey().equalsIgnoreCase("Name") && e.getValue().isString()) {
          name = e.getValue().stringValue();
        }
      }
    }
    if (name != null && name.length() > MAX_NAME) {
      fail(row, id, new WriteError("STRING_TOO_LONG", store.name + " Name: data value too large: "
          + name.substring(0, 40) + "... (max length=" + MAX_NAME + ")", List.of("Name")));
      return;
    }
    switch (operation) {
      case "insert" -> {
        WriteError error = data.validate(store, fields, true);
        if (error != null) {
          fail(row, null, error);
        } else {
          succeed(row, data.applyCreate(store, fields), true);
        }
      }
      case "update", "delete", "hardDelete" -> {
        long seq = id == null || id.isEmpty() ? -1 : store.seq(id);
        if (seq < 0) {
          fail(row, id, id == null || id.isEmpty()
              ? new WriteError("MISSING_ARGUMENT", "Id not specified in an update call", List.of())
              : new WriteError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", List.of()));
        } else if (!store.live(seq)) {
          fail(row, id, new WriteError("ENTITY_IS_DELETED", "entity is deleted", List.of()));
        } else if (operation.equals("update")) {
          WriteResult result = data.update(store, seq, fields);
          if (result.error() != null) {
            fail(row, id, result.error());
          } else {
            succeed(row, store.id(seq), false);
          }
        } else {
          data.delete(store, seq);
          succeed(row, store.id(seq), false);
        }
      }
      default -> {
        String key = null;
        for (var e : fields.properties()) {
          if (e.getKey().equalsIgnoreCase(String.valueOf(externalIdFieldName))) {
            key = e.getValue().asString();
          }
        }
        if (key == null || key.isEmpty()) {
          fail(row, null, new WriteError("MISSING_ARGUMENT", externalIdFieldName
              + " not specified", List.of(String.valueOf(externalIdFieldName))));
          return;
        }
        fields.properties().removeIf(e -> e.getKey().equalsIgnoreCase(String.valueOf(externalIdFieldName)));
        WriteResult result = data.upsert(store, key, fields);
        if (result.error() != null) {
          fail(row, null, result.error());
        } else {
          succeed(row, String.valueOf(result.id()), result.created());
        }
      }
    }
  }

  private void succeed(String[] row, String id, boolean created) {
    String[] result = new String[row.length + 2];
    result[0] = id;
    result[1] = String.valueOf(created);
    System.arraycopy(row, 0, result, 2, row.length);
    successes.add(result);
  }

  private void fail(String[] row, @Nullable String id, WriteError error) {
    String[] result = new String[row.length + 2];
    result[0] = id == null ? "" : id;
    result[1] = error.code() + ":" + error.message() + ":" + String.join(",", error.fields()) + " --";
    System.arraycopy(row, 0, result, 2, row.length);
    failures.add(result);
    failed++;
  }

  /** Rows never processed: all of them unless the job ended early (Failed or Aborted). */
  List<String[]> unprocessed() {
    if (state.equals("JobComplete")) {
      return List.of();
    }
    return rows.subList(Math.min(processed, rows.size()), rows.size());
  }

  String object() {
    return object.toLowerCase(Locale.ROOT);
  }

  /** The job info as Salesforce writes it: the short form on create and in lists, the full one on GET. */
  void writeInfo(JsonGenerator g, String v, boolean full) {
    g.writeStartObject();
    g.writeStringProperty("id", id);
    g.writeStringProperty("operation", operation);
    g.writeStringProperty("object", object);
    g.writeStringProperty("createdById", createdById);
    g.writeStringProperty("createdDate", SObjectStore.SALESFORCE_DATE_TIME.format(createdDate));
    g.writeStringProperty("systemModstamp", SObjectStore.SALESFORCE_DATE_TIME.format(modified));
    g.writeStringProperty("state", state);
    if (externalIdFieldName != null) {
      g.writeStringProperty("externalIdFieldName", externalIdFieldName);
    }
    g.writeStringProperty("concurrencyMode", "Parallel");
    g.writeStringProperty("contentType", "CSV");
    g.writeNumberProperty("apiVersion", Double.parseDouble(apiVersion));
    g.writeStringProperty("jobType", "V2Ingest");
    if (!full) {
      g.writeStringProperty("contentUrl", "services/data/v" + v + "/jobs/ingest/" + id + "/batches");
    }
    g.writeStringProperty("lineEnding", lineEnding);
    g.writeStringProperty("columnDelimiter", columnDelimiter);
    if (full) {
      g.writeNumberProperty("numberRecordsProcessed", processed);
      g.writeNumberProperty("numberRecordsFailed", failed);
      g.writeNumberProperty("retries", 0);
      g.writeNumberProperty("totalProcessingTime", 0);
      g.writeNumberProperty("apiActiveProcessingTime", 0);
      g.writeNumberProperty("apexProcessingTime", 0);
      if (errorMessage != null) {
        g.writeStringProperty("errorMessage", errorMessage);
      }
    }
    g.writeEndObject();
  }
}
