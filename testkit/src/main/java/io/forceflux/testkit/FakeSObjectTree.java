package io.forceflux.testkit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * sObject Tree ({@code POST /composite/tree/{Type}}): nested parent and child records created in one transaction,
 * all or nothing; at most 200 records of at most 5 types, 5 levels deep.
 */
final class FakeSObjectTree {

  static final int MAX_TREE_RECORDS = 200;

  private final DataStore data;

  FakeSObjectTree(DataStore data) {
    this.data = data;
  }

  private record TreeError(String referenceId, DataStore.WriteError error) {
  }

  Reply handle(String type, ObjectNode body) {
    SObjectStore root = data.type(type);
    if (root == null) {
      return Reply.restError(400, "INVALID_TYPE", "sObject type '" + type + "' is not supported.");
    }
    JsonNode records = body.get("records");
    if (records == null || !records.isArray()) {
      return RestBodies.jsonParserError();
    }
    int[] count = {0};
    Set<String> types = new HashSet<>();
    if (!countTree(records, 1, count, types) || count[0] > MAX_TREE_RECORDS || types.size() > 5) {
      return Reply.restError(400, "INVALID_API_INPUT", "An sObject tree holds at most " + MAX_TREE_RECORDS
          + " records of at most 5 types, at most 5 levels deep");
    }
    List<String[]> created = new ArrayList<>();
    List<TreeError> errors = new ArrayList<>();
    data.transaction(() -> {
      for (JsonNode record : records) {
        insertTree(root, record, null, null, created, errors);
      }
      return errors.isEmpty();
    });
    ObjectNode out = FakeJson.MAPPER.createObjectNode();
    out.put("hasErrors", !errors.isEmpty());
    ArrayNode results = out.putArray("results");
    if (errors.isEmpty()) {
      for (String[] c : created) {
        results.addObject().put("referenceId", c[0]).put("id", c[1]);
      }
      return Reply.json(201, FakeJson.bytes(out));
    }
    for (TreeError e : errors) {
      ObjectNode entry = results.addObject();
      entry.put("referenceId", e.referenceId());
      ObjectNode error = entry.putArray("errors").addObject();
      error.put("statusCode", e.error().code());
      error.put("message", e.error().message());
      ArrayNode fields = error.putArray("fields");
      e.error().fields().forEach(fields::add);
    }
    return Reply.json(400, FakeJson.bytes(out));
  }

  private static boolean countTree(JsonNode records, int depth, int[] count, Set<String> types) {
    if (depth > 5) {
      return false;
    }
    for (JsonNode record : records) {
      count[0]++;
      String t = FakeJson.text(record.path("attributes"), "type");
      if (t != null) {
        types.add(t.toLowerCase(Locale.ROOT));
      }
      for (var e : record.properties()) {
        JsonNode children = e.getValue().path("records");
        if (e.getValue().isObject() && children.isArray() && !countTree(children, depth + 1, count, types)) {
          return false;
        }
      }
    }
    return true;
  }

  private void insertTree(SObjectStore expected, JsonNode record, @Nullable String parentField,
      @Nullable String parentId, List<String[]> created, List<TreeError> errors) {
    String ref = FakeJson.text(record.path("attributes"), "referenceId");
    String type = FakeJson.text(record.path("attributes"), "type");
    String refShown = ref == null ? "" : ref;
    SObjectStore store = type == null ? expected : data.type(type);
    if (ref == null || store == null) {
      errors.add(new TreeError(refShown, new DataStore.WriteError("INVALID_INPUT",
          "each record needs attributes.type and attributes.referenceId", List.of())));
      return;
    }
    ObjectNode fields = FakeJson.MAPPER.createObjectNode();
    Map<String, JsonNode> children = new LinkedHashMap<>();
    for (var e : record.properties()) {
      if (e.getKey().equals("attributes")) {
        continue;
      }
      if (e.getValue().isObject() && e.getValue().path("records").isArray()) {
        children.put(e.getKey(), e.getValue().get("records"));
      } else {
        fields.set(e.getKey(), e.getValue());
      }
    }
    if (parentField != null && parentId != null) {
      fields.put(parentField, parentId);
    }
    DataStore.WriteResult result = data.create(store, fields);
    if (result.error() != null) {
      errors.add(new TreeError(ref, result.error()));
      return;
    }
    String id = String.valueOf(result.id());
    created.add(new String[] {ref, id});
    for (JsonNode list : children.values()) {
      for (JsonNode child : list) {
        insertTree(store, child, store.name + "Id", id, created, errors);
      }
    }
  }
}
