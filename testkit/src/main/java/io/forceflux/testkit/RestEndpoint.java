package io.forceflux.testkit;

import io.forceflux.testkit.AuthState.Session;
import io.forceflux.testkit.DataStore.WriteError;
import io.forceflux.testkit.DataStore.WriteResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /services/data}: versions, limits, query and queryAll with cursors, sObjects and sObject Collections. */
final class RestEndpoint {

  static final String ENTITY_IS_DELETED_BODY =
      "[{\"errorCode\":\"ENTITY_IS_DELETED\",\"message\":\"entity is deleted\",\"fields\":[]}]";
  static final String NOT_FOUND_BODY =
      "[{\"errorCode\":\"NOT_FOUND\",\"message\":\"The requested resource does not exist\"}]";
  static final String SESSION_EXPIRED = "Session expired or invalid";
  static final String NOT_VALID_FOR_REST = "This session is not valid for use with the REST API";
  private static final Pattern VERSION = Pattern.compile("v(\\d{2,3})\\.0");
  private static final Pattern BATCH_SIZE = Pattern.compile("batchSize\\s*=\\s*(\\d{1,9})");
  private static final int MAX_COLLECTION = 200;
  static final int DEFAULT_BATCH = 2000;
  static final int MIN_BATCH = 200;

  private final FakeOrg org;
  private final AuthState auth;
  private final DataStore data;
  private final Counters counters;
  private final ConcurrentHashMap<String, QueryCursor> cursors = new ConcurrentHashMap<>();
  private final BulkJobs bulk;
  private final FakeComposite composite;
  private final FakeDescribe describe;
  private final FakeSearch search;
  final FakeApexRest apex = new FakeApexRest();

  RestEndpoint(FakeOrg org, AuthState auth, DataStore data, Counters counters) {
    this.org = org;
    this.auth = auth;
    this.data = data;
    this.counters = counters;
    this.bulk = new BulkJobs(org, auth, data, counters);
    this.composite = new FakeComposite(this, org, data);
    this.describe = new FakeDescribe(data, org.clock());
    this.search = new FakeSearch(data);
  }

  FakeComposite composite() {
    return composite;
  }

  private record Access(@Nullable Session session, @Nullable Reply denial) {
  }

  Reply handle(Request r) {
    if (r.path.startsWith("/services/apexrest/")) {
      return apexRest(r);
    }
    List<String> segments = r.segments();
    if (segments.size() == 3 || (segments.size() == 4 && segments.get(3).isEmpty())) {
      return r.method.equals("GET") ? versions() : methodNotAllowed(r, "GET");
    }
    Matcher version = VERSION.matcher(segments.get(3));
    if (!version.matches() || Integer.parseInt(version.group(1)) < FakeOrg.OLDEST_API_VERSION
        || Integer.parseInt(version.group(1)) > org.apiMajor()) {
      return Reply.json(404, NOT_FOUND_BODY);
    }
    Access access = authorize(r);
    if (access.denial() != null) {
      return access.denial();
    }
    Session session = access.session();
    long usage = org.tryApiCall();
    if (usage < 0) {
      return Reply.restError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
          .header("Sforce-Limit-Info", org.limitInfo());
    }
    counters.requestsExecuted.increment();
    String v = segments.get(3).substring(1);
    List<String> rest = segments.subList(4, segments.size());
    if (rest.size() > 1 && rest.get(rest.size() - 1).isEmpty()) {
      rest = rest.subList(0, rest.size() - 1);
    }
    Reply reply;
    try {
      reply = route(r, session, v, rest);
    } catch (RuntimeException e) {
      FakeOrg.LOG.warn("FakeOrg REST handler failed for {} {}", r.method, r.path, e);
      reply = Reply.json(500, Fault.UNKNOWN_EXCEPTION_BODY);
    }
    if (reply.status == 304) {
      counters.notModified.increment();
    }
    return reply.header("Sforce-Limit-Info", org.limitInfo()).markExecuted();
  }

  private Reply apexRest(Request r) {
    Access access = authorize(r);
    if (access.denial() != null) {
      return access.denial();
    }
    if (org.tryApiCall() < 0) {
      return Reply.restError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
          .header("Sforce-Limit-Info", org.limitInfo());
    }
    counters.requestsExecuted.increment();
    return apex.handle(r).header("Sforce-Limit-Info", org.limitInfo()).markExecuted();
  }

  /** 401 unless the request carries a live session usable for REST; a rejected request never runs. */
  private Access authorize(Request r) {
    String header = r.header("Authorization");
    Reply denial;
    if (header == null || header.isBlank()) {
      denial = unauthorized("INVALID_SESSION_ID", SESSION_EXPIRED);
    } else {
      int space = header.indexOf(' ');
      String scheme = space < 0 ? header : header.substring(0, space);
      String token = space < 0 ? "" : header.substring(space + 1).trim();
      if (!(scheme.equalsIgnoreCase("Bearer") || scheme.equalsIgnoreCase("OAuth")) || token.isEmpty()
          || token.chars().anyMatch(Character::isWhitespace)) {
        denial = unauthorized("INVALID_AUTH_HEADER", "INVALID_JWT_FORMAT");
      } else if (auth.ipRestricted) {
        denial = unauthorized("INVALID_SESSION_ID", SESSION_EXPIRED);
      } else {
        Session session = auth.authenticate(token);
        if (session == null) {
          // Salesforce parses dotted tokens as JWT access tokens and rejects garbage as a bad header.
          denial = token.indexOf('.') >= 0 ? unauthorized("INVALID_AUTH_HEADER", "INVALID_JWT_FORMAT")
              : unauthorized("INVALID_SESSION_ID", SESSION_EXPIRED);
        } else if (auth.restPolicyRestricted) {
          denial = unauthorized("INVALID_SESSION_ID", NOT_VALID_FOR_REST);
        } else {
          return new Access(session, null);
        }
      }
    }
    return new Access(null, denial);
  }

  private Reply unauthorized(String errorCode, String message) {
    counters.unauthorized401.increment();
    return Reply.restError(401, errorCode, message).header("WWW-Authenticate", "Token");
  }

  Reply route(Request r, Session session, String v, List<String> rest) {
    String first = rest.isEmpty() ? "" : rest.get(0);
    switch (first) {
      case "" -> {
        return r.method.equals("GET") ? resources(v) : methodNotAllowed(r, "GET");
      }
      case "limits" -> {
        return rest.size() == 1 && r.method.equals("GET") ? limits() : Reply.json(404, NOT_FOUND_BODY);
      }
      case "query", "queryAll" -> {
        if (!r.method.equals("GET")) {
          return methodNotAllowed(r, "GET");
        }
        if (rest.size() == 1) {
          return query(r, session, v, first.equals("queryAll"));
        }
        return rest.size() == 2 ? queryMore(r, session, v, rest.get(1)) : Reply.json(404, NOT_FOUND_BODY);
      }
      case "sobjects" -> {
        if (rest.size() == 1 && r.method.equals("GET")) {
          return describe.global(v);
        }
        if (rest.size() == 3 && rest.get(2).equals("describe") && r.method.equals("GET")) {
          SObjectStore store = data.type(rest.get(1));
          return store == null ? Reply.json(404, NOT_FOUND_BODY) : describe.describe(r, store);
        }
        return sobjects(r, v, rest.subList(1, rest.size()));
      }
      case "jobs" -> {
        return bulk.handle(r, session, v, rest.subList(1, rest.size()));
      }
      case "search" -> {
        return r.method.equals("GET") ? describe.search(r, v) : methodNotAllowed(r, "GET");
      }
      case "parameterizedSearch" -> {
        return rest.size() == 1 ? search.handle(r, v) : Reply.json(404, NOT_FOUND_BODY);
      }
      case "composite" -> {
        if (rest.size() == 2 && rest.get(1).equals("sobjects")
            && (r.method.equals("POST") || r.method.equals("PATCH"))) {
          return collections(r);
        }
        return composite.handle(r, session, v, rest);
      }
      default -> {
        return Reply.json(404, NOT_FOUND_BODY);
      }
    }
  }

  // ---- versions, resources, limits ----

  private Reply versions() {
    List<Map<String, String>> versions = new ArrayList<>();
    for (int major = FakeOrg.OLDEST_API_VERSION; major <= org.apiMajor(); major++) {
      Map<String, String> entry = new LinkedHashMap<>();
      entry.put("label", releaseLabel(major));
      entry.put("url", "/services/data/v" + major + ".0");
      entry.put("version", major + ".0");
      versions.add(entry);
    }
    return Reply.json(200, Json.bytes(versions));
  }

  /** v62.0 is Winter '25; three releases a year, Winter carrying the next year's number. */
  static String releaseLabel(int major) {
    int k = major - 62;
    String season = switch (Math.floorMod(k, 3)) {
      case 0 -> "Winter";
      case 1 -> "Spring";
      default -> "Summer";
    };
    int year = 25 + Math.floorDiv(k, 3);
    return season + " '" + (year < 10 ? "0" + year : String.valueOf(year));
  }

  private static Reply resources(String v) {
    Map<String, String> resources = new LinkedHashMap<>();
    String base = "/services/data/v" + v;
    resources.put("limits", base + "/limits");
    resources.put("query", base + "/query");
    resources.put("queryAll", base + "/queryAll");
    resources.put("sobjects", base + "/sobjects");
    resources.put("composite", base + "/composite");
    return Reply.json(200, Json.bytes(resources));
  }

  private Reply limits() {
    long max = org.dailyApiLimit();
    long used = Math.min(org.apiUsage(), max);
    Map<String, Map<String, Long>> limits = new LinkedHashMap<>();
    limit(limits, "ConcurrentAsyncGetReportInstances", 200, 200);
    limit(limits, "ConcurrentSyncReportRuns", 20, 20);
    limit(limits, "DailyApiRequests", max, max - used);
    limit(limits, "DailyAsyncApexExecutions", 250000, 250000);
    limit(limits, "DailyBulkApiRequests", 5000, 5000);
    limit(limits, "DailyDurableGenericStreamingApiEvents", 10000, 10000);
    limit(limits, "DailyDurableStreamingApiEvents", 10000, 10000);
    limit(limits, "DailyGenericStreamingApiEvents", 10000, 10000);
    limit(limits, "DailyStreamingApiEvents", 10000, 10000);
    limit(limits, "DailyWorkflowEmails", 390, 390);
    limit(limits, "DataStorageMB", 5, 5);
    limit(limits, "DurableStreamingApiConcurrentClients", 20, 20);
    limit(limits, "FileStorageMB", 20, 20);
    limit(limits, "HourlyAsyncReportRuns", 1200, 1200);
    limit(limits, "HourlyDashboardRefreshes", 200, 200);
    limit(limits, "HourlyDashboardResults", 5000, 5000);
    limit(limits, "HourlyDashboardStatuses", 999999999, 999999999);
    limit(limits, "HourlyODataCallout", 10000, 10000);
    limit(limits, "HourlySyncReportRuns", 500, 500);
    limit(limits, "HourlyTimeBasedWorkflow", 50, 50);
    limit(limits, "MassEmail", 10, 10);
    limit(limits, "SingleEmail", 15, 15);
    limit(limits, "StreamingApiConcurrentClients", 20, 20);
    bulk.limits(limits);
    return Reply.json(200, Json.bytes(limits));
  }

  private static void limit(Map<String, Map<String, Long>> limits, String name, long max, long remaining) {
    Map<String, Long> entry = new LinkedHashMap<>();
    entry.put("Max", max);
    entry.put("Remaining", remaining);
    limits.put(name, entry);
  }

  // ---- query ----

  private Reply query(Request r, Session session, String v, boolean all) {
    String soql = r.query.get("q");
    if (soql == null || soql.isBlank()) {
      return Reply.restError(400, "MALFORMED_QUERY", "A query string has to be specified");
    }
    QueryResult result;
    try {
      result = Soql.parse(soql).run(data, all);
    } catch (Soql.Invalid e) {
      return Reply.restError(400, e.errorCode(), String.valueOf(e.getMessage()));
    }
    if (result.kind != QueryResult.Kind.RECORDS) {
      return Reply.json(200, Json.write(g -> {
        g.writeStartObject();
        g.writeNumberProperty("totalSize", result.totalSize());
        g.writeBooleanProperty("done", true);
        g.writeName("records");
        g.writeStartArray();
        if (result.kind == QueryResult.Kind.AGGREGATE) {
          result.writeAggregate(g);
        }
        g.writeEndArray();
        g.writeEndObject();
      }));
    }
    Instant now = auth.now();
    QueryCursor cursor = new QueryCursor("01g" + Ids.randomBase62(15), result, now, session.token,
        session.userId, batchSize(r, DEFAULT_BATCH));
    return page(cursor, 0, cursor.batchSize, v, now);
  }

  private Reply queryMore(Request r, Session session, String v, String locatorAndOffset) {
    int dash = locatorAndOffset.lastIndexOf('-');
    QueryCursor cursor = dash < 0 ? null : cursors.get(locatorAndOffset.substring(0, dash));
    long offset = -1;
    if (dash >= 0) {
      try {
        offset = Long.parseLong(locatorAndOffset.substring(dash + 1));
      } catch (NumberFormatException e) {
        offset = -1;
      }
    }
    Instant now = auth.now();
    if (cursor != null && !now.isBefore(cursor.createdAt.plus(org.cursorLifetime()))) {
      cursors.remove(cursor.locator, cursor);
      cursor = null;
    }
    if (cursor == null || offset < 0 || offset >= Math.max(cursor.total, 1)) {
      return invalidLocator();
    }
    boolean sameOwner = org.cursorMode() == CursorMode.SESSION ? cursor.sessionToken.equals(session.token)
        : cursor.userId.equals(session.userId);
    if (!sameOwner) {
      return invalidLocator();
    }
    return page(cursor, offset, batchSize(r, cursor.batchSize), v, now);
  }

  private static Reply invalidLocator() {
    return Reply.restError(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
  }

  private static int batchSize(Request r, int fallback) {
    String options = r.header("Sforce-Query-Options");
    if (options == null) {
      return fallback;
    }
    Matcher m = BATCH_SIZE.matcher(options);
    if (!m.find()) {
      return fallback;
    }
    return (int) Math.max(MIN_BATCH, Math.min(DEFAULT_BATCH, Long.parseLong(m.group(1))));
  }

  private Reply page(QueryCursor cursor, long offset, int batchSize, String v, Instant now) {
    long count = Math.min(batchSize, cursor.total - offset);
    boolean done = offset + count >= cursor.total;
    if (!done && offset == 0) {
      cursors.put(cursor.locator, cursor);
      if (cursors.size() > 1024) {
        purgeExpiredCursors(now);
      }
    }
    byte[] body = Json.write(g -> {
      g.writeStartObject();
      g.writeNumberProperty("totalSize", cursor.total);
      g.writeBooleanProperty("done", done);
      if (!done) {
        g.writeStringProperty("nextRecordsUrl",
            "/services/data/v" + v + "/query/" + cursor.locator + "-" + (offset + count));
      }
      g.writeName("records");
      g.writeStartArray();
      cursor.result.forEach(offset, count, seq -> cursor.result.writeRecord(g, seq, v));
      g.writeEndArray();
      g.writeEndObject();
    });
    return Reply.json(200, body);
  }

  private void purgeExpiredCursors(Instant now) {
    cursors.values().removeIf(c -> !now.isBefore(c.createdAt.plus(org.cursorLifetime())));
  }

  static void writeRecord(JsonGenerator g, SObjectStore store, long seq, List<String> fields,
      String urlPrefix) {
    g.writeStartObject();
    g.writeName("attributes");
    g.writeStartObject();
    g.writeStringProperty("type", store.name);
    g.writeStringProperty("url", urlPrefix + store.id(seq));
    g.writeEndObject();
    for (String field : fields) {
      g.writeName(field);
      store.writeField(g, seq, field);
    }
    g.writeEndObject();
  }

  private static Reply invalidField(String field, SObjectStore store) {
    return Reply.restError(400, "INVALID_FIELD", "No such column '" + field + "' on sobject of type "
        + store.name);
  }

  // ---- sObjects ----

  private Reply sobjects(Request r, String v, List<String> path) {
    if (path.isEmpty() || path.get(0).isEmpty()) {
      return Reply.json(404, NOT_FOUND_BODY);
    }
    SObjectStore store = data.type(path.get(0));
    if (store == null) {
      return Reply.json(404, NOT_FOUND_BODY);
    }
    String urlPrefix = "/services/data/v" + v + "/sobjects/" + store.name + "/";
    if (path.size() == 1) {
      if (!r.method.equals("POST")) {
        return methodNotAllowed(r, "POST");
      }
      JsonNode body = Json.parse(r.body);
      if (body == null) {
        return jsonParserError();
      }
      WriteResult result = data.create(store, body);
      return result.error() != null ? writeError(result.error())
          : Reply.json(201, "{\"id\":" + Json.quote(String.valueOf(result.id()))
              + ",\"success\":true,\"errors\":[]}");
    }
    if (path.size() == 2) {
      long seq = store.seq(path.get(1));
      if (seq < 0) {
        return Reply.json(404, NOT_FOUND_BODY);
      }
      if (!store.live(seq)) {
        // Salesforce names a record in the recycle bin: 404 ENTITY_IS_DELETED, not NOT_FOUND.
        return Reply.json(404, ENTITY_IS_DELETED_BODY);
      }
      switch (r.method) {
        case "GET" -> {
          return readRecord(r, store, seq, urlPrefix);
        }
        case "PATCH" -> {
          JsonNode body = Json.parse(r.body);
          if (body == null) {
            return jsonParserError();
          }
          WriteResult result = data.update(store, seq, body);
          return result.error() != null ? writeError(result.error()) : Reply.noContent();
        }
        case "DELETE" -> {
          return data.delete(store, seq) ? Reply.noContent() : Reply.json(404, ENTITY_IS_DELETED_BODY);
        }
        default -> {
          return methodNotAllowed(r, "GET,PATCH,DELETE");
        }
      }
    }
    if (path.size() == 3) {
      String field = store.field(path.get(1));
      if (field == null || !field.equals(SObjectStore.EXTERNAL_ID)) {
        return Reply.json(404, "[{\"errorCode\":\"NOT_FOUND\",\"message\":\"Provided external ID field does "
            + "not exist or is not accessible: " + path.get(1) + "\"}]");
      }
      String value = path.get(2);
      if (r.method.equals("GET")) {
        long seq = store.findByExternalId(value);
        return seq < 0 ? Reply.json(404, NOT_FOUND_BODY) : readRecord(r, store, seq, urlPrefix);
      }
      if (!r.method.equals("PATCH")) {
        return methodNotAllowed(r, "GET,PATCH");
      }
      JsonNode body = Json.parse(r.body);
      if (body == null) {
        return jsonParserError();
      }
      WriteResult result = data.upsert(store, value, body);
      if (result.error() != null) {
        return writeError(result.error());
      }
      return Reply.json(result.created() ? 201 : 200, "{\"id\":" + Json.quote(String.valueOf(result.id()))
          + ",\"success\":true,\"errors\":[],\"created\":" + result.created() + "}");
    }
    return Reply.json(404, NOT_FOUND_BODY);
  }

  Reply readRecord(Request r, SObjectStore store, long seq, String urlPrefix) {
    List<String> fields = new ArrayList<>();
    String requested = r.query.get("fields");
    if (requested != null && !requested.isBlank()) {
      for (String f : requested.split(",")) {
        String canonical = store.field(f.trim());
        if (canonical == null) {
          return invalidField(f.trim(), store);
        }
        fields.add(canonical);
      }
    } else {
      fields.addAll(store.allFields());
    }
    return Reply.json(200, Json.write(g -> writeRecord(g, store, seq, fields, urlPrefix)));
  }

  static Reply jsonParserError() {
    return Reply.restError(400, "JSON_PARSER_ERROR", "The request body is not valid JSON.");
  }

  private static Reply writeError(WriteError error) {
    return Reply.json(400, Json.write(g -> {
      g.writeStartArray();
      g.writeStartObject();
      g.writeStringProperty("message", error.message());
      g.writeStringProperty("errorCode", error.code());
      writeFields(g, error.fields());
      g.writeEndObject();
      g.writeEndArray();
    }));
  }

  /** An error's {@code "fields": [...]}, as Salesforce writes it in both of its error shapes. */
  private static void writeFields(JsonGenerator g, List<String> fields) {
    g.writeName("fields");
    g.writeStartArray();
    for (String f : fields) {
      g.writeString(f);
    }
    g.writeEndArray();
  }

  static Reply methodNotAllowed(Request r, String allowed) {
    return Reply.restError(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + r.method + "' not allowed. Allowed are "
        + allowed);
  }

  // ---- sObject Collections ----

  private record Planned(@Nullable SObjectStore store, long seq, JsonNode body, @Nullable String id,
      @Nullable WriteError error) {
  }

  private Reply collections(Request r) {
    boolean create = r.method.equals("POST");
    if (!create && !r.method.equals("PATCH")) {
      return methodNotAllowed(r, "POST,PATCH");
    }
    JsonNode body = Json.parse(r.body);
    if (body == null || !body.isObject() || body.get("records") == null || !body.get("records").isArray()) {
      return jsonParserError();
    }
    JsonNode records = body.get("records");
    if (records.size() > MAX_COLLECTION) {
      return Reply.restError(400, "EXCEEDED_ID_LIMIT",
          "record limit reached. cannot submit more than 200 records into this call");
    }
    JsonNode allOrNoneNode = body.get("allOrNone");
    boolean allOrNone = allOrNoneNode != null && allOrNoneNode.isBoolean() && allOrNoneNode.booleanValue();
    List<Planned> plan = new ArrayList<>();
    List<String> results = new ArrayList<>();
    synchronized (data) {
      boolean anyError = false;
      for (JsonNode record : records) {
        Planned p = plan(record, create);
        anyError |= p.error() != null;
        plan.add(p);
      }
      for (Planned p : plan) {
        if (p.error() != null) {
          results.add(failure(p.id(), p.error()));
        } else if (allOrNone && anyError) {
          results.add(failure(p.id(), new WriteError("ALL_OR_NONE_OPERATION_ROLLED_BACK",
              "Record rolled back because not all records were valid and the request was using "
                  + "AllOrNone header", List.of())));
        } else if (create) {
          results.add(success(data.applyCreate(p.store(), p.body())));
        } else {
          data.applyUpdate(p.store(), p.seq(), p.body());
          results.add(success(String.valueOf(p.id())));
        }
      }
    }
    return Reply.json(200, "[" + String.join(",", results) + "]");
  }

  private Planned plan(JsonNode record, boolean create) {
    if (!record.isObject()) {
      return new Planned(null, -1, record, null,
          new WriteError("JSON_PARSER_ERROR", "Each record must be a JSON object.", List.of()));
    }
    JsonNode attributes = record.get("attributes");
    String type = attributes == null ? null : Json.text(attributes, "type");
    SObjectStore store = type == null ? null : data.type(type);
    if (store == null) {
      return new Planned(null, -1, record, null, new WriteError("INVALID_TYPE",
          type == null ? "No SObject Type defined in the record" : "sObject type '" + type
              + "' is not supported.", List.of()));
    }
    if (create) {
      return new Planned(store, -1, record, null, data.validate(store, record, true));
    }
    ObjectNode fields = ((ObjectNode) record).deepCopy();
    String id = null;
    for (String key : List.of("id", "Id", "ID", "iD")) {
      JsonNode value = fields.remove(key);
      if (value != null && value.isString()) {
        id = value.stringValue();
      }
    }
    if (id == null) {
      return new Planned(store, -1, fields, null, new WriteError("MISSING_ARGUMENT",
          "Id not specified in an update call", List.of()));
    }
    long seq = store.seq(id);
    if (seq < 0 || !store.live(seq)) {
      return new Planned(store, -1, fields, id, new WriteError("ENTITY_IS_DELETED",
          "entity is deleted", List.of()));
    }
    return new Planned(store, seq, fields, store.id(seq), data.validate(store, fields, false));
  }

  static String success(String id) {
    return "{\"id\":" + Json.quote(id) + ",\"success\":true,\"errors\":[]}";
  }

  static String failure(@Nullable String id, WriteError error) {
    return new String(Json.write(g -> {
      g.writeStartObject();
      if (id != null) {
        g.writeStringProperty("id", id);
      }
      g.writeBooleanProperty("success", false);
      g.writeName("errors");
      g.writeStartArray();
      g.writeStartObject();
      g.writeStringProperty("statusCode", error.code());
      g.writeStringProperty("message", error.message());
      writeFields(g, error.fields());
      g.writeEndObject();
      g.writeEndArray();
      g.writeEndObject();
    }), StandardCharsets.UTF_8);
  }
}
