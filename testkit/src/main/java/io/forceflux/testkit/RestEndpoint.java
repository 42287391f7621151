package io.forceflux.testkit;

import io.forceflux.testkit.AuthState.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code /services/data} and {@code /services/apexrest}: the version gate, authentication, the daily allowance,
 * and routing to the resources (versions, limits, query, sObjects, search, Bulk API 2.0, the Composite family).
 */
final class RestEndpoint {

  /** What the REST resources need of the org's configuration. */
  record Settings(int apiMajor, CursorMode cursorMode, Duration cursorLifetime) {
  }

  private static final Pattern VERSION = Pattern.compile("v(\\d{2,3})\\.0");

  private final Settings settings;
  private final AuthState auth;
  private final ApiAllowance allowance;
  private final Counters counters;
  private final DataStore data;
  private final FakeQuery query;
  private final FakeSObjects sobjects;
  private final BulkJobs bulk;
  private final FakeComposite composite;
  private final FakeDescribe describe;
  private final FakeSearch search;
  private final FakeApexRest apex = new FakeApexRest();

  RestEndpoint(Settings settings, AuthState auth, ApiAllowance allowance, BulkSettings bulkSettings,
      DataStore data, Counters counters) {
    this.settings = settings;
    this.auth = auth;
    this.allowance = allowance;
    this.counters = counters;
    this.data = data;
    this.query = new FakeQuery(settings, auth.clock, data);
    this.sobjects = new FakeSObjects(data);
    this.bulk = new BulkJobs(bulkSettings, auth, data, counters);
    this.composite = new FakeComposite(this::route, auth, allowance, data);
    this.describe = new FakeDescribe(data, auth.clock);
    this.search = new FakeSearch(data);
  }

  /** The next Composite or Composite Batch call finds its session dead from subrequest {@code index} on. */
  void sessionDiesInComposite(int index) {
    composite.killSessionAt(index);
  }

  void registerApexRest(String method, String mapping, UnaryOperator<String> handler) {
    apex.register(method, mapping, handler);
  }

  void clearApexRest() {
    apex.clear();
  }

  private record Access(@Nullable Session session, @Nullable Reply denial) {
  }

  Reply handle(Request r) {
    if (r.path.startsWith("/services/apexrest/")) {
      return apexRest(r);
    }
    List<String> segments = r.segments();
    if (segments.size() == 3 || (segments.size() == 4 && segments.get(3).isEmpty())) {
      return r.method.equals("GET") ? versions() : RestBodies.methodNotAllowed(r, "GET");
    }
    Matcher version = VERSION.matcher(segments.get(3));
    if (!version.matches() || Integer.parseInt(version.group(1)) < FakeOrg.OLDEST_API_VERSION
        || Integer.parseInt(version.group(1)) > settings.apiMajor()) {
      return RestBodies.notFound();
    }
    Access access = authorize(r);
    if (access.denial() != null) {
      return access.denial();
    }
    Session session = access.session();
    if (allowance.tryCall() < 0) {
      return allowance.exceeded();
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
    return allowance.stamp(reply).markExecuted();
  }

  private Reply apexRest(Request r) {
    Access access = authorize(r);
    if (access.denial() != null) {
      return access.denial();
    }
    if (allowance.tryCall() < 0) {
      return allowance.exceeded();
    }
    counters.requestsExecuted.increment();
    return allowance.stamp(apex.handle(r)).markExecuted();
  }

  /** 401 unless the request carries a live session usable for REST; a rejected request never runs. */
  private Access authorize(Request r) {
    String header = r.header("Authorization");
    Reply denial;
    if (header == null || header.isBlank()) {
      denial = unauthorized("INVALID_SESSION_ID", RestBodies.SESSION_EXPIRED);
    } else {
      int space = header.indexOf(' ');
      String scheme = space < 0 ? header : header.substring(0, space);
      String token = space < 0 ? "" : header.substring(space + 1).trim();
      if (!(scheme.equalsIgnoreCase("Bearer") || scheme.equalsIgnoreCase("OAuth")) || token.isEmpty()
          || token.chars().anyMatch(Character::isWhitespace)) {
        denial = unauthorized("INVALID_AUTH_HEADER", "INVALID_JWT_FORMAT");
      } else if (auth.ipRestricted()) {
        denial = unauthorized("INVALID_SESSION_ID", RestBodies.SESSION_EXPIRED);
      } else {
        Session session = auth.authenticate(token);
        if (session == null) {
          // Salesforce parses dotted tokens as JWT access tokens and rejects garbage as a bad header.
          denial = token.indexOf('.') >= 0 ? unauthorized("INVALID_AUTH_HEADER", "INVALID_JWT_FORMAT")
              : unauthorized("INVALID_SESSION_ID", RestBodies.SESSION_EXPIRED);
        } else if (auth.restPolicyRestricted()) {
          denial = unauthorized("INVALID_SESSION_ID", RestBodies.NOT_VALID_FOR_REST);
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
        return r.method.equals("GET") ? resources(v) : RestBodies.methodNotAllowed(r, "GET");
      }
      case "limits" -> {
        return rest.size() == 1 && r.method.equals("GET") ? limits() : RestBodies.notFound();
      }
      case "query", "queryAll" -> {
        if (!r.method.equals("GET")) {
          return RestBodies.methodNotAllowed(r, "GET");
        }
        if (rest.size() == 1) {
          return query.query(r, session, v, first.equals("queryAll"));
        }
        return rest.size() == 2 ? query.queryMore(r, session, v, rest.get(1)) : RestBodies.notFound();
      }
      case "sobjects" -> {
        if (rest.size() == 1 && r.method.equals("GET")) {
          return describe.global(v);
        }
        if (rest.size() == 3 && rest.get(2).equals("describe") && r.method.equals("GET")) {
          SObjectStore store = data.type(rest.get(1));
          return store == null ? RestBodies.notFound() : describe.describe(r, store);
        }
        return sobjects.handle(r, v, rest.subList(1, rest.size()));
      }
      case "jobs" -> {
        return bulk.handle(r, session, v, rest.subList(1, rest.size()));
      }
      case "search" -> {
        return r.method.equals("GET") ? describe.search(r, v) : RestBodies.methodNotAllowed(r, "GET");
      }
      case "parameterizedSearch" -> {
        return rest.size() == 1 ? search.handle(r, v) : RestBodies.notFound();
      }
      case "composite" -> {
        return composite.handle(r, session, v, rest);
      }
      default -> {
        return RestBodies.notFound();
      }
    }
  }

  // ---- versions, resources, limits ----

  private Reply versions() {
    List<Map<String, String>> versions = new ArrayList<>();
    for (int major = FakeOrg.OLDEST_API_VERSION; major <= settings.apiMajor(); major++) {
      Map<String, String> entry = new LinkedHashMap<>();
      entry.put("label", releaseLabel(major));
      entry.put("url", "/services/data/v" + major + ".0");
      entry.put("version", major + ".0");
      versions.add(entry);
    }
    return Reply.json(200, FakeJson.bytes(versions));
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
    return Reply.json(200, FakeJson.bytes(resources));
  }

  private Reply limits() {
    long max = allowance.limit();
    long used = Math.min(allowance.usage(), max);
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
    return Reply.json(200, FakeJson.bytes(limits));
  }

  /** One {@code /limits} entry; what is left never shows below zero. */
  static void limit(Map<String, Map<String, Long>> limits, String name, long max, long remaining) {
    Map<String, Long> entry = new LinkedHashMap<>();
    entry.put("Max", max);
    entry.put("Remaining", Math.max(0, remaining));
    limits.put(name, entry);
  }
}
