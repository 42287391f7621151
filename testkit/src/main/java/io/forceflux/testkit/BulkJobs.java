package io.forceflux.testkit;

import io.forceflux.testkit.AuthState.Session;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code /services/data/vXX.X/jobs/ingest} and {@code /jobs/query}: Bulk API 2.0 as the org's REST endpoint routes
 * it, after authentication (a request rejected with 401 never reaches this class). Jobs live until deleted.
 */
final class BulkJobs {

  static final String CSV = "text/csv";
  private static final Set<String> OPERATIONS = Set.of("insert", "update", "upsert", "delete", "hardDelete");
  private static final Set<String> DELIMITERS = Set.of("COMMA", "TAB", "PIPE", "SEMICOLON", "CARET", "BACKQUOTE");
  /** What Bulk API 2.0 refuses in a query (aggregates, grouping, offsets, polymorphic TYPEOF). */
  private static final Pattern REFUSED = Pattern.compile(
      "(?i)\\b(COUNT|COUNT_DISTINCT|SUM|AVG|MIN|MAX)\\s*\\(|\\bGROUP\\s+BY\\b|\\bOFFSET\\b|\\bTYPEOF\\b");
  private static final int LIST_PAGE = 100;

  private final BulkSettings settings;
  private final AuthState auth;
  private final DataStore data;
  private final Counters counters;
  private final ConcurrentHashMap<String, FakeBulkIngest> ingest = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, FakeBulkQuery> queries = new ConcurrentHashMap<>();
  private final AtomicLong jobSeq = new AtomicLong();
  private final BulkQuota quota;

  BulkJobs(BulkSettings settings, AuthState auth, DataStore data, Counters counters) {
    this.settings = settings;
    this.auth = auth;
    this.data = data;
    this.counters = counters;
    this.quota = new BulkQuota(settings, auth.clock);
  }

  Reply handle(Request r, Session session, String v, List<String> path) {
    counters.bulkRequests.increment();
    if (path.isEmpty()) {
      return RestBodies.notFound();
    }
    boolean isIngest = path.get(0).equals("ingest");
    if (!isIngest && !path.get(0).equals("query")) {
      return RestBodies.notFound();
    }
    if (path.size() == 1) {
      return switch (r.method) {
        case "POST" -> isIngest ? createIngest(r, session, v) : createQuery(r, session, v);
        case "GET" -> list(r, v, isIngest);
        default -> RestBodies.methodNotAllowed(r, "GET,POST");
      };
    }
    String id = path.get(1);
    if (isIngest) {
      FakeBulkIngest job = ingest.get(id);
      if (job == null) {
        return RestBodies.notFound();
      }
      synchronized (job) {
        job.advance(auth.now(), data);
        return ingestJob(r, job, path);
      }
    }
    FakeBulkQuery job = queries.get(id);
    if (job == null) {
      return RestBodies.notFound();
    }
    synchronized (job) {
      job.advance(auth.now());
      return queryJob(r, v, job, path);
    }
  }

  // ---- ingest ----

  private Reply createIngest(Request r, Session session, String v) {
    JsonNode body = FakeJson.parse(r.body);
    if (body == null || !body.isObject()) {
      return RestBodies.jsonParserError();
    }
    String object = FakeJson.text(body, "object");
    String operation = FakeJson.text(body, "operation");
    String externalId = FakeJson.text(body, "externalIdFieldName");
    String contentType = textOr(body, "contentType", "CSV");
    String delimiter = textOr(body, "columnDelimiter", "COMMA");
    String lineEnding = textOr(body, "lineEnding", "LF");
    if (object == null || data.type(object) == null) {
      return invalidJob("sObject type '" + object + "' is not supported.", "INVALIDENTITY");
    }
    if (operation == null || !OPERATIONS.contains(operation)) {
      return invalidJob("Invalid operation: " + operation, "INVALIDJOB");
    }
    if (operation.equals("upsert")) {
      SObjectStore store = data.type(object);
      String canonical = externalId == null || store == null ? null : store.field(externalId);
      if (canonical == null || !canonical.equals(SObjectStore.EXTERNAL_ID)) {
        return invalidJob("InvalidJob : External ID field not found or not an External ID: "
            + externalId, "INVALIDJOB");
      }
    }
    if (!contentType.equals("CSV") || !DELIMITERS.contains(delimiter)
        || !(lineEnding.equals("LF") || lineEnding.equals("CRLF"))) {
      return invalidJob("Invalid contentType, columnDelimiter or lineEnding", "INVALIDJOB");
    }
    String id = Ids.id("750", jobSeq.incrementAndGet());
    FakeBulkIngest job = new FakeBulkIngest(id, data.type(object).name, operation, externalId, delimiter,
        lineEnding, v, session.userId, auth.now());
    ingest.put(id, job);
    counters.bulkJobsCreated.increment();
    synchronized (job) {
      return Reply.json(200, FakeJson.write(g -> job.writeInfo(g, v, false)));
    }
  }

  private Reply ingestJob(Request r, FakeBulkIngest job, List<String> path) {
    if (path.size() == 2) {
      return switch (r.method) {
        case "GET" -> Reply.json(200, FakeJson.write(g -> job.writeInfo(g, job.apiVersion, true)));
        case "PATCH" -> patchIngest(r, job);
        case "DELETE" -> delete(job.terminal() || job.state.equals("Open") ? ingest.remove(job.id) : null,
            job.state);
        default -> RestBodies.methodNotAllowed(r, "GET,PATCH,DELETE");
      };
    }
    if (path.size() != 3) {
      return RestBodies.notFound();
    }
    String resource = path.get(2);
    if (resource.equals("batches")) {
      return r.method.equals("PUT") ? upload(r, job) : RestBodies.methodNotAllowed(r, "PUT");
    }
    if (!r.method.equals("GET")) {
      return RestBodies.methodNotAllowed(r, "GET");
    }
    char delimiter = BulkCsv.delimiter(job.columnDelimiter);
    String eol = job.lineEndingChars();
    StringBuilder out = new StringBuilder();
    switch (resource) {
      case "successfulResults" -> {
        if (!job.terminal()) {
          return jobState("Job is not complete: " + job.state);
        }
        BulkCsv.row(out, delimiter, eol, prepend("sf__Id", "sf__Created", job.header));
        job.successes.forEach(row -> BulkCsv.row(out, delimiter, eol, row));
      }
      case "failedResults" -> {
        if (!job.terminal()) {
          return jobState("Job is not complete: " + job.state);
        }
        BulkCsv.row(out, delimiter, eol, prepend("sf__Id", "sf__Error", job.header));
        job.failures.forEach(row -> BulkCsv.row(out, delimiter, eol, row));
      }
      case "unprocessedrecords" -> {
        BulkCsv.row(out, delimiter, eol, job.header);
        job.unprocessed().forEach(row -> BulkCsv.row(out, delimiter, eol, row));
      }
      default -> {
        return RestBodies.notFound();
      }
    }
    return Reply.of(200, CSV, BulkCsv.bytes(out));
  }

  private Reply upload(Request r, FakeBulkIngest job) {
    if (!job.state.equals("Open") || job.uploaded) {
      // One upload per job: Salesforce wants large inputs split into several jobs.
      return jobState("Found multiple uploads for the job, or the job is no longer Open: " + job.state);
    }
    if (r.body.length > settings.uploadLimitBytes) {
      return Reply.restError(400, "ClientInputError", "The upload exceeds the limit of "
          + settings.uploadLimitBytes + " bytes; split the data into several jobs");
    }
    List<String[]> rows;
    try {
      rows = BulkCsv.parse(r.body, BulkCsv.delimiter(job.columnDelimiter));
    } catch (JacksonException e) {
      return Reply.restError(400, "ClientInputError", "CSV could not be parsed");
    }
    if (rows.isEmpty()) {
      return Reply.restError(400, "ClientInputError", "Upload had no header row");
    }
    job.header = rows.get(0);
    job.rows = new ArrayList<>(rows.subList(1, rows.size()));
    job.uploaded = true;
    return Reply.of(201, "", new byte[0]);
  }

  private Reply patchIngest(Request r, FakeBulkIngest job) {
    JsonNode body = FakeJson.parse(r.body);
    String state = body == null ? null : FakeJson.text(body, "state");
    if ("UploadComplete".equals(state)) {
      if (!job.state.equals("Open")) {
        return jobState("Job is not Open: " + job.state);
      }
      Reply exceeded = quota.takeIngestRecords(job.rows.size());
      if (exceeded != null) {
        return exceeded;
      }
      job.state = "UploadComplete";
      job.closedAt = auth.now();
      job.ratePerSecond = settings.recordsPerSecond();
      job.modified = job.closedAt;
    } else if ("Aborted".equals(state)) {
      if (job.terminal()) {
        return jobState("Job is already " + job.state);
      }
      job.state = "Aborted";
      job.modified = auth.now();
    } else {
      return invalidJob("Invalid state: " + state, "INVALIDJOB");
    }
    return Reply.json(200, FakeJson.write(g -> job.writeInfo(g, job.apiVersion, false)));
  }

  // ---- query ----

  private Reply createQuery(Request r, Session session, String v) {
    JsonNode body = FakeJson.parse(r.body);
    if (body == null || !body.isObject()) {
      return RestBodies.jsonParserError();
    }
    String operation = textOr(body, "operation", "query");
    String soql = FakeJson.text(body, "query");
    String delimiter = textOr(body, "columnDelimiter", "COMMA");
    String lineEnding = textOr(body, "lineEnding", "LF");
    if (!(operation.equals("query") || operation.equals("queryAll")) || !DELIMITERS.contains(delimiter)
        || !(lineEnding.equals("LF") || lineEnding.equals("CRLF"))) {
      return invalidJob("Invalid operation, columnDelimiter or lineEnding", "INVALIDJOB");
    }
    if (soql == null || soql.isBlank()) {
      return invalidJob("A query has to be specified", "INVALIDJOB");
    }
    var refused = REFUSED.matcher(soql);
    if (refused.find()) {
      return Reply.restError(400, "API_ERROR", "Bulk API 2.0 does not support this query: "
          + refused.group().trim() + " (aggregate functions, GROUP BY, OFFSET and TYPEOF are not "
          + "supported)");
    }
    QueryResult result;
    try {
      result = Soql.parse(soql).run(data, operation.equals("queryAll"));
    } catch (Soql.Invalid e) {
      return Reply.restError(400, e.errorCode(), String.valueOf(e.getMessage()));
    }
    if (result.kind != QueryResult.Kind.RECORDS) {
      return Reply.restError(400, "API_ERROR", "Bulk API 2.0 does not support this query: aggregate "
          + "functions, GROUP BY, OFFSET and TYPEOF are not supported");
    }
    Reply exceeded = quota.takeQueryJob();
    if (exceeded != null) {
      return exceeded;
    }
    Instant now = auth.now();
    String id = Ids.id("750", jobSeq.incrementAndGet());
    QueryCursor cursor = new QueryCursor(id, result, now, session.token, session.userId,
        settings.queryPageSize);
    FakeBulkQuery job = new FakeBulkQuery(id, operation, soql, delimiter, lineEnding, v, session.userId, now,
        cursor, settings.recordsPerSecond());
    queries.put(id, job);
    counters.bulkJobsCreated.increment();
    synchronized (job) {
      return Reply.json(200, FakeJson.write(g -> job.writeInfo(g, false)));
    }
  }

  private Reply queryJob(Request r, String v, FakeBulkQuery job, List<String> path) {
    if (path.size() == 2) {
      return switch (r.method) {
        case "GET" -> Reply.json(200, FakeJson.write(g -> job.writeInfo(g, true)));
        case "PATCH" -> {
          JsonNode body = FakeJson.parse(r.body);
          if (body == null || !"Aborted".equals(FakeJson.text(body, "state"))) {
            yield invalidJob("Invalid state", "INVALIDJOB");
          }
          if (job.terminal()) {
            yield jobState("Job is already " + job.state);
          }
          job.state = "Aborted";
          yield Reply.json(200, FakeJson.write(g -> job.writeInfo(g, false)));
        }
        case "DELETE" -> delete(job.state.equals("InProgress") ? null : queries.remove(job.id), job.state);
        default -> RestBodies.methodNotAllowed(r, "GET,PATCH,DELETE");
      };
    }
    if (path.size() != 3 || !path.get(2).equals("results")) {
      return RestBodies.notFound();
    }
    if (!r.method.equals("GET")) {
      return RestBodies.methodNotAllowed(r, "GET");
    }
    if (!v.equals(job.apiVersion)) {
      return Reply.restError(409, "INVALIDJOBSTATE", "Results must be requested with the API version the "
          + "job was created with (" + job.apiVersion + ")");
    }
    if (!job.state.equals("JobComplete")) {
      return jobState("Job is not complete: " + job.state);
    }
    long offset = job.offset(r.query.get("locator"));
    if (offset < 0) {
      return Reply.restError(400, "INVALIDLOCATOR", "Invalid locator");
    }
    long max = settings.queryPageSize;
    String maxRecords = r.query.get("maxRecords");
    if (maxRecords != null) {
      try {
        max = Long.parseLong(maxRecords);
      } catch (NumberFormatException e) {
        max = -1;
      }
      if (max < 1) {
        return Reply.restError(400, "INVALIDJOB", "maxRecords must be a positive integer");
      }
    }
    long[] count = new long[1];
    byte[] csv = job.page(offset, max, count);
    quota.addQueryBytes(csv.length);
    long next = offset + count[0];
    return Reply.of(200, CSV, csv)
        .header("Sforce-NumberOfRecords", Long.toString(count[0]))
        .header("Sforce-Locator", next >= job.cursor.total ? "null" : FakeBulkQuery.locator(next));
  }

  // ---- shared ----

  private Reply list(Request r, String v, boolean isIngest) {
    List<String> ids = new ArrayList<>(isIngest ? ingest.keySet() : queries.keySet());
    ids.sort(null);
    int from = 0;
    String locator = r.query.get("queryLocator");
    if (locator != null) {
      try {
        from = Integer.parseInt(locator);
      } catch (NumberFormatException e) {
        return Reply.restError(400, "INVALIDLOCATOR", "Invalid queryLocator");
      }
    }
    int start = Math.max(0, Math.min(from, ids.size()));
    int end = Math.min(ids.size(), start + LIST_PAGE);
    boolean done = end >= ids.size();
    Instant now = auth.now();
    return Reply.json(200, FakeJson.write(g -> {
      g.writeStartObject();
      g.writeBooleanProperty("done", done);
      g.writeName("records");
      g.writeStartArray();
      for (String id : ids.subList(start, end)) {
        if (isIngest) {
          FakeBulkIngest job = ingest.get(id);
          if (job != null) {
            synchronized (job) {
              job.advance(now, data);
              job.writeInfo(g, v, false);
            }
          }
        } else {
          FakeBulkQuery job = queries.get(id);
          if (job != null) {
            synchronized (job) {
              job.advance(now);
              job.writeInfo(g, false);
            }
          }
        }
      }
      g.writeEndArray();
      if (done) {
        g.writeNullProperty("nextRecordsUrl");
      } else {
        g.writeStringProperty("nextRecordsUrl", "/services/data/v" + v + "/jobs/"
            + (isIngest ? "ingest" : "query") + "?queryLocator=" + end);
      }
      g.writeEndObject();
    }));
  }

  private static Reply delete(@Nullable Object removed, String state) {
    return removed != null ? Reply.noContent() : jobState("Job cannot be deleted while " + state);
  }

  /** The bulk entries of {@code /limits}. */
  void limits(Map<String, Map<String, Long>> limits) {
    quota.limits(limits);
  }

  private static String[] prepend(String a, String b, String[] header) {
    String[] out = new String[header.length + 2];
    out[0] = a;
    out[1] = b;
    System.arraycopy(header, 0, out, 2, header.length);
    return out;
  }

  private static String textOr(JsonNode body, String name, String fallback) {
    String value = FakeJson.text(body, name);
    return value == null ? fallback : value;
  }

  private static Reply invalidJob(String message, String code) {
    return Reply.restError(400, code, message);
  }

  private static Reply jobState(String message) {
    return Reply.restError(409, "INVALIDJOBSTATE", message);
  }
}
