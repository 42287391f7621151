package io.forceflux.reactor.client;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Request bodies and typed results for Composite and Composite Batch. */
final class CompositeCalls {
  private CompositeCalls() {}

  static ObjectNode compositeBody(CompositeRequest request, String version) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("allOrNone", request.allOrNone());
    body.put("collateSubrequests", request.collateSubrequests());
    ArrayNode list = body.putArray("compositeRequest");
    for (Subrequest s : request.subrequests()) {
      ObjectNode entry = list.addObject();
      entry.put("method", s.method());
      entry.put("url", Paths.DATA + "v" + version + s.path());
      entry.put("referenceId", s.referenceId());
      if (s.body() != null) {
        entry.set("body", s.body());
      }
    }
    return body;
  }

  static ObjectNode batchBody(BatchRequest request, String version) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("haltOnError", request.haltOnError());
    ArrayNode list = body.putArray("batchRequests");
    for (Subrequest s : request.subrequests()) {
      ObjectNode entry = list.addObject();
      entry.put("method", s.method());
      entry.put("url", "v" + version + s.path());
      if (s.body() != null) {
        entry.set("richInput", s.body());
      }
    }
    return body;
  }

  static CompositeResult compositeResult(CompositeRequest request, JsonNode root) {
    JsonNode list = root.get("compositeResponse");
    if (list == null || !list.isArray() || list.size() != request.subrequests().size()) {
      throw malformed("the Composite response does not hold one result per subrequest");
    }
    List<SubrequestResult> results = new ArrayList<>();
    for (JsonNode n : list) {
      JsonNode ref = n.get("referenceId");
      results.add(result(ref != null && ref.isString() ? ref.stringValue() : "", n.path("httpStatusCode").asInt(0),
          n.get("body"), n.get("httpHeaders")));
    }
    return new CompositeResult(request.allOrNone(), results);
  }

  static BatchResult batchResult(BatchRequest request, JsonNode root) {
    JsonNode list = root.get("results");
    if (list == null || !list.isArray() || list.size() != request.subrequests().size()) {
      throw malformed("the Composite Batch response does not hold one result per subrequest");
    }
    List<SubrequestResult> results = new ArrayList<>();
    int i = 0;
    for (JsonNode n : list) {
      results.add(result(String.valueOf(i++), n.path("statusCode").asInt(0), n.get("result"), null));
    }
    return new BatchResult(root.path("hasErrors").asBoolean(false), results);
  }

  private static SubrequestResult result(String ref, int status, JsonNode body, JsonNode headers) {
    Map<String, String> h = new LinkedHashMap<>();
    if (headers != null && headers.isObject()) {
      for (Map.Entry<String, JsonNode> e : headers.properties()) {
        h.put(e.getKey(), e.getValue().asString(""));
      }
    }
    List<ApiError> errors = new ArrayList<>();
    if ((status < 200 || status >= 300) && body != null && body.isArray()) {
      for (JsonNode e : body) {
        String code = e.path("errorCode").asString(e.path("statusCode").asString("UNKNOWN"));
        List<String> fields = new ArrayList<>();
        e.path("fields").forEach(f -> fields.add(f.asString("")));
        errors.add(new ApiError(code, e.path("message").asString(""), fields));
      }
    }
    return new SubrequestResult(ref, status, body == null || body.isNull() ? null : body, h, errors);
  }

  static final int MAX_TREE_RECORDS = 200;
  private static final int MAX_TREE_DEPTH = 5;
  private static final java.util.regex.Pattern REFERENCE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_]{1,80}");

  /**
   * Checks one record of a tree and its children: {@code attributes.type} a valid name, {@code attributes
   * .referenceId} letters, digits, {@code _}; at most 5 levels. Counts records into {@code count[0]}.
   */
  static void checkTreeRecord(JsonNode record, int depth, int[] count) {
    if (depth > MAX_TREE_DEPTH) {
      throw new IllegalArgumentException("an sObject tree is at most " + MAX_TREE_DEPTH + " levels deep");
    }
    count[0]++;
    JsonNode attributes = record.get("attributes");
    String type = attributes == null ? null : attributes.path("type").asString(null);
    String ref = attributes == null ? null : attributes.path("referenceId").asString(null);
    if (type == null || ref == null || !REFERENCE_ID.matcher(ref).matches()) {
      throw new IllegalArgumentException("each tree record needs attributes.type and an attributes.referenceId of "
          + "letters, digits and _");
    }
    Paths.checkName(type, "attributes.type");
    for (Map.Entry<String, JsonNode> e : record.properties()) {
      JsonNode children = e.getValue().get("records");
      if (e.getValue().isObject() && children != null && children.isArray()) {
        for (JsonNode child : children) {
          if (!child.isObject()) {
            throw new IllegalArgumentException("child records must be JSON objects");
          }
          checkTreeRecord(child, depth + 1, count);
        }
      }
    }
  }

  static TreeResult treeResult(int status, byte[] body, String what) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (tools.jackson.core.JacksonException e) {
      root = null;
    }
    if (root == null || !root.isObject() || !root.path("results").isArray()) {
      if (status == 400) {
        throw Rest.apiError(io.forceflux.core.internal.parse.ErrorParser.parse(status, "application/json", body), what);
      }
      throw malformed("the sObject Tree response has no results");
    }
    Map<String, String> ids = new LinkedHashMap<>();
    Map<String, List<ApiError>> errors = new LinkedHashMap<>();
    for (JsonNode r : root.get("results")) {
      String ref = r.path("referenceId").asString("");
      JsonNode list = r.get("errors");
      if (list != null && list.isArray() && !list.isEmpty()) {
        List<ApiError> each = new ArrayList<>();
        for (JsonNode e : list) {
          List<String> fields = new ArrayList<>();
          e.path("fields").forEach(f -> fields.add(f.asString("")));
          each.add(new ApiError(e.path("statusCode").asString(e.path("errorCode").asString("UNKNOWN")),
              e.path("message").asString(""), fields));
        }
        errors.put(ref, each);
      } else if (r.path("id").isString()) {
        ids.put(ref, r.get("id").stringValue());
      }
    }
    if (status == 400 && errors.isEmpty()) {
      throw malformed("the failed sObject Tree response names no failing record");
    }
    return new TreeResult(status == 400 ? Map.of() : ids, errors);
  }

  private static SalesforceException malformed(String what) {
    return SalesforceException.of(FailureCause.MALFORMED_RESPONSE, what);
  }
}
