package io.forceflux.testkit;

import io.forceflux.testkit.AuthState.Session;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Composite family under {@code /composite}: Composite (up to 25 subrequests with {@code @{ref.path}}
 * references, {@code allOrNone} as one transaction, always HTTP 200), Composite Batch (independent subrequests, one
 * API call each, {@code haltOnError}), and routes sObject Tree to {@link FakeSObjectTree} and the sObject Collections
 * operations to {@link FakeCollections}. Subrequests run through the same routes as top-level requests, inside
 * the caller's already authenticated and counted request.
 */
final class FakeComposite {

  static final int MAX_SUBREQUESTS = 25;
  static final int MAX_QUERY_OR_COLLECTION = 5;
  static final String ROLLED_BACK = "The transaction was rolled back since another operation in the same "
      + "transaction failed.";
  private static final Pattern REFERENCE = Pattern.compile("@\\{([A-Za-z0-9_]+)((?:\\.[A-Za-z0-9_]+|\\[\\d+])*)}");
  private static final Pattern REFERENCE_ID = Pattern.compile("[A-Za-z0-9_]{1,80}");
  private static final Pattern URL = Pattern.compile("/services/data/v(\\d{2,3}\\.0)(/[^?]*)(\\?.*)?");

  /** How a subrequest reaches the REST resources, as if it were a request of its own. */
  @FunctionalInterface
  interface Route {
    Reply route(Request r, Session session, String v, List<String> path);
  }

  private final Route route;
  private final AuthState auth;
  private final ApiAllowance allowance;
  private final DataStore data;
  private final FakeCollections collections;
  private final FakeSObjectTree tree;
  /** The subrequest index at which the next Composite or Batch call finds its session dead, or -1. */
  private final AtomicInteger sessionDiesAt = new AtomicInteger(-1);

  FakeComposite(Route route, AuthState auth, ApiAllowance allowance, DataStore data) {
    this.route = route;
    this.auth = auth;
    this.allowance = allowance;
    this.data = data;
    this.collections = new FakeCollections(data);
    this.tree = new FakeSObjectTree(data);
  }

  void killSessionAt(int subrequest) {
    sessionDiesAt.set(subrequest);
  }

  /** {@code path} starts with {@code composite}. */
  Reply handle(Request r, Session session, String v, List<String> path) {
    if (path.size() >= 2 && path.get(1).equals("sobjects")) {
      return collections.handle(r, v, path.subList(2, path.size()));
    }
    if (!r.method.equals("POST")) {
      return RestBodies.methodNotAllowed(r, "POST");
    }
    JsonNode body = FakeJson.parse(r.body);
    if (body == null || !body.isObject()) {
      return RestBodies.jsonParserError();
    }
    if (path.size() == 1) {
      return composite(r, session, v, (ObjectNode) body);
    }
    if (path.size() == 2 && path.get(1).equals("batch")) {
      return batch(r, session, (ObjectNode) body);
    }
    if (path.size() == 3 && path.get(1).equals("tree")) {
      return tree.handle(path.get(2), (ObjectNode) body);
    }
    return RestBodies.notFound();
  }

  // ---- Composite ----

  private record Sub(String method, String url, String referenceId, @Nullable JsonNode body) {
  }

  private record Outcome(int status, @Nullable JsonNode body, Map<String, String> headers) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private Reply composite(Request r, Session session, String v, ObjectNode body) {
    JsonNode list = body.get("compositeRequest");
    if (list == null || !list.isArray() || list.isEmpty()) {
      return Reply.restError(400, "INVALID_API_INPUT", "compositeRequest is required");
    }
    if (list.size() > MAX_SUBREQUESTS) {
      return Reply.restError(400, "LIMIT_EXCEEDED", "Composite request can have at most " + MAX_SUBREQUESTS
          + " subrequests");
    }
    List<Sub> subs = new ArrayList<>();
    int heavy = 0;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (JsonNode n : list) {
      String method = FakeJson.text(n, "method");
      String url = FakeJson.text(n, "url");
      String ref = FakeJson.text(n, "referenceId");
      if (method == null || url == null || ref == null || !REFERENCE_ID.matcher(ref).matches()
          || !seen.add(ref)) {
        return Reply.restError(400, "INVALID_API_INPUT", "each subrequest needs a method, a url and a unique "
            + "referenceId of letters, digits and underscores");
      }
      JsonNode headers = n.get("httpHeaders");
      if (headers != null && headers.isObject()) {
        for (String h : headers.propertyNames()) {
          if (h.equalsIgnoreCase("Accept") || h.equalsIgnoreCase("Authorization")
              || h.equalsIgnoreCase("Content-Type")) {
            return Reply.restError(400, "INVALID_API_INPUT", "The " + h + " header cannot be set on a "
                + "subrequest");
          }
        }
      }
      if (url.contains("/query") || url.contains("/composite/sobjects")) {
        heavy++;
      }
      subs.add(new Sub(method, url, ref, n.get("body")));
    }
    if (heavy > MAX_QUERY_OR_COLLECTION) {
      return Reply.restError(400, "LIMIT_EXCEEDED", "A composite request can have at most "
          + MAX_QUERY_OR_COLLECTION + " query or sObject Collections subrequests");
    }
    boolean allOrNone = body.path("allOrNone").asBoolean(false);
    int dies = sessionDiesAt.getAndSet(-1);
    List<Outcome> outcomes = new ArrayList<>();
    int[] failed = {-1};
    data.transaction(() -> {
      Map<String, JsonNode> results = new HashMap<>();
      for (int i = 0; i < subs.size(); i++) {
        Sub sub = subs.get(i);
        if (allOrNone && failed[0] >= 0) {
          outcomes.add(halted(ROLLED_BACK));
          continue;
        }
        Outcome o;
        if (dies >= 0 && i >= dies) {
          o = new Outcome(401, RestBodies.errorArray("INVALID_SESSION_ID", RestBodies.SESSION_EXPIRED), Map.of());
        } else {
          o = runSub(r, session, sub, results);
        }
        outcomes.add(o);
        if (o.ok()) {
          if (o.body() != null) {
            results.put(sub.referenceId(), o.body());
          }
        } else if (failed[0] < 0) {
          failed[0] = i;
        }
      }
      return !(allOrNone && failed[0] >= 0);
    });
    if (dies >= 0) {
      auth.expireSession(session.token);
    }
    if (allOrNone && failed[0] >= 0) {
      for (int i = 0; i < failed[0]; i++) {
        outcomes.set(i, halted(ROLLED_BACK));
      }
    }
    ObjectNode out = FakeJson.MAPPER.createObjectNode();
    ArrayNode responses = out.putArray("compositeResponse");
    for (int i = 0; i < subs.size(); i++) {
      Outcome o = outcomes.get(i);
      ObjectNode entry = responses.addObject();
      if (o.body() == null) {
        entry.putNull("body");
      } else {
        entry.set("body", o.body());
      }
      ObjectNode headers = entry.putObject("httpHeaders");
      o.headers().forEach(headers::put);
      entry.put("httpStatusCode", o.status());
      entry.put("referenceId", subs.get(i).referenceId());
    }
    return Reply.json(200, FakeJson.bytes(out));
  }

  private static Outcome halted(String message) {
    return new Outcome(400, RestBodies.errorArray("PROCESSING_HALTED", message), Map.of());
  }

  private Outcome runSub(Request top, Session session, Sub sub, Map<String, JsonNode> results) {
    String url;
    JsonNode body;
    try {
      url = resolve(sub.url(), results, true);
      body = sub.body() == null ? null : resolveTree(sub.body(), results);
    } catch (IllegalArgumentException e) {
      return halted(String.valueOf(e.getMessage()));
    }
    return execute(top, session, sub.method(), url, body);
  }

  private Outcome execute(Request top, Session session, String method, String url, @Nullable JsonNode body) {
    Matcher m = URL.matcher(url);
    if (!m.matches()) {
      return new Outcome(404, RestBodies.errorArray("NOT_FOUND", "The requested resource does not exist"), Map.of());
    }
    String v = m.group(1);
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    String options = top.header("Sforce-Query-Options");
    if (options != null) {
      headers.set("Sforce-Query-Options", options);
    }
    byte[] bytes = body == null ? new byte[0] : FakeJson.bytes(body);
    Request sub = new Request(method, url, headers, bytes);
    List<String> segments = sub.segments();
    List<String> restPath = segments.subList(4, segments.size());
    if (restPath.size() > 1 && restPath.get(restPath.size() - 1).isEmpty()) {
      restPath = restPath.subList(0, restPath.size() - 1);
    }
    Reply reply = route.route(sub, session, v, restPath);
    JsonNode parsed = reply.body.length == 0 ? null : FakeJson.parse(reply.body);
    Map<String, String> out = new HashMap<>();
    if (reply.status == 201 && parsed != null && parsed.isObject() && FakeJson.text(parsed, "id") != null
        && method.equals("POST") && m.group(2).startsWith("/sobjects/")) {
      out.put("Location", m.group(2).isEmpty() ? "" : "/services/data/v" + v + m.group(2) + "/"
          + FakeJson.text(parsed, "id"));
    }
    return new Outcome(reply.status, parsed, out);
  }

  /** Replaces every {@code @{ref.path}} in {@code text}; an unknown one is an error naming it. */
  static String resolve(String text, Map<String, JsonNode> results, boolean inUrl) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      JsonNode value = lookup(m.group(1), m.group(2), results);
      m.appendReplacement(out, Matcher.quoteReplacement(value.isValueNode() ? value.asString()
          : value.toString()));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static JsonNode lookup(String ref, String path, Map<String, JsonNode> results) {
    JsonNode node = results.get(ref);
    String shown = ref + path;
    if (node == null) {
      throw new IllegalArgumentException("Invalid reference specified. No value for " + shown + " found in "
          + ref + ". Provided referenceId ('" + ref + "') must match a previous subrequest that succeeded.");
    }
    Matcher parts = Pattern.compile("\\.([A-Za-z0-9_]+)|\\[(\\d+)]").matcher(path);
    while (parts.find()) {
      node = parts.group(1) != null ? node.get(parts.group(1)) : node.get(Integer.parseInt(parts.group(2)));
      if (node == null || node.isNull()) {
        throw new IllegalArgumentException("Invalid reference specified. No value for " + shown
            + " found in " + ref + ".");
      }
    }
    return node;
  }

  private static JsonNode resolveTree(JsonNode node, Map<String, JsonNode> results) {
    if (node.isString()) {
      String s = node.stringValue();
      Matcher whole = REFERENCE.matcher(s);
      if (whole.matches()) {
        return lookup(whole.group(1), whole.group(2), results).deepCopy();
      }
      return s.contains("@{") ? FakeJson.MAPPER.getNodeFactory().stringNode(resolve(s, results, false)) : node;
    }
    if (node.isObject()) {
      ObjectNode copy = FakeJson.MAPPER.createObjectNode();
      for (var e : node.properties()) {
        copy.set(e.getKey(), resolveTree(e.getValue(), results));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = FakeJson.MAPPER.createArrayNode();
      node.forEach(n -> copy.add(resolveTree(n, results)));
      return copy;
    }
    return node;
  }

  // ---- Composite Batch ----

  private Reply batch(Request r, Session session, ObjectNode body) {
    JsonNode list = body.get("batchRequests");
    if (list == null || !list.isArray() || list.isEmpty()) {
      return Reply.restError(400, "INVALID_API_INPUT", "batchRequests is required");
    }
    if (list.size() > MAX_SUBREQUESTS) {
      return Reply.restError(400, "LIMIT_EXCEEDED", "A batch can have at most " + MAX_SUBREQUESTS
          + " subrequests");
    }
    boolean haltOnError = body.path("haltOnError").asBoolean(false);
    int dies = sessionDiesAt.getAndSet(-1);
    ObjectNode out = FakeJson.MAPPER.createObjectNode();
    ArrayNode results = FakeJson.MAPPER.createArrayNode();
    boolean hasErrors = false;
    boolean halted = false;
    for (int i = 0; i < list.size(); i++) {
      JsonNode n = list.get(i);
      Outcome o;
      if (halted) {
        o = new Outcome(412, RestBodies.errorArray("BATCH_PROCESSING_HALTED",
            "Batch processing halted per request"), Map.of());
      } else if (dies >= 0 && i >= dies) {
        o = new Outcome(401, RestBodies.errorArray("INVALID_SESSION_ID", RestBodies.SESSION_EXPIRED), Map.of());
      } else if (i > 0 && allowance.tryCall() < 0) {
        // The top-level request paid for the first subrequest; each further one is a call of its own.
        o = new Outcome(403, RestBodies.errorArray("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."),
            Map.of());
      } else {
        String method = FakeJson.text(n, "method");
        String url = FakeJson.text(n, "url");
        if (method == null || url == null) {
          o = new Outcome(400, RestBodies.errorArray("INVALID_API_INPUT", "method and url are required"), Map.of());
        } else {
          String full = url.startsWith("/services/data/") ? url : "/services/data/" + url;
          o = execute(r, session, method, full, n.get("richInput"));
        }
      }
      if (!o.ok()) {
        hasErrors = true;
        halted |= haltOnError && o.status() != 412;
      }
      ObjectNode entry = results.addObject();
      entry.put("statusCode", o.status());
      if (o.body() == null) {
        entry.putNull("result");
      } else {
        entry.set("result", o.body());
      }
    }
    if (dies >= 0) {
      auth.expireSession(session.token);
    }
    out.put("hasErrors", hasErrors);
    out.set("results", results);
    return Reply.json(200, FakeJson.bytes(out));
  }
}
