package io.forceflux.testkit;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every sObject type of the org. Writes hold this object's monitor, so a write is recorded (ledger and counters)
 * completely before anything else can observe it, and a query snapshot never sees half of a write.
 */
final class DataStore {

  private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
  /** Standard lookup fields and the type they point at; {@code Owner.Name} follows {@code OwnerId}. */
  private static final Map<String, String> REFERENCES = Map.of("ownerid", "User", "accountid", "Account",
      "contactid", "Contact", "createdbyid", "User", "lastmodifiedbyid", "User");
  private static final String[][] USERS = {{"Ada Lovelace", "ada"}, {"Grace Hopper", "grace"},
    {"Alan Turing", "alan"}, {"Katherine Johnson", "katherine"}};

  /** A per-record failure, shaped like Salesforce's {@code statusCode/message/fields}. */
  record WriteError(String code, String message, List<String> fields) {
  }

  /** What a write did: the record's Id (and whether it was created), or why it failed. */
  record WriteResult(@Nullable String id, boolean created, @Nullable WriteError error) {
    static WriteResult failed(WriteError error) {
      return new WriteResult(null, false, error);
    }
  }

  private final Map<String, SObjectStore> types = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Counters counters;
  private int customTypes;
  /** While a transaction runs (under this object's monitor), how to undo each write, newest last. */
  private @Nullable List<Runnable> undo;

  DataStore(long accounts, Clock clock, Counters counters) {
    this.clock = clock;
    this.counters = counters;
    register(new SObjectStore("Account", "001", accounts, true));
    register(new SObjectStore("Contact", "003", 0, false));
    register(new SObjectStore("Opportunity", "006", 0, false));
    register(new SObjectStore("Lead", "00Q", 0, false));
    register(new SObjectStore("Case", "500", 0, false));
    SObjectStore users = new SObjectStore("User", SObjectStore.USER_PREFIX, 0, false);
    register(users);
    for (String[] user : USERS) {
      seed(users, user[0], user[1]);
    }
  }

  /** A User that owns generated Accounts: present from the start, not in the ledger or the counters. */
  private static void seed(SObjectStore users, String name, String alias) {
    long seq = users.lastSeq.incrementAndGet();
    ObjectNode node = FakeJson.MAPPER.createObjectNode();
    node.put("Id", users.id(seq));
    node.put("Name", name);
    node.put("Username", alias + "@fakeorg.forceflux.test");
    node.put("Email", alias + "@example.com");
    node.put("IsActive", true);
    node.put("CreatedDate", "2024-01-01T00:00:00.000+0000");
    node.put("IsDeleted", false);
    for (String field : node.propertyNames()) {
      users.addField(field);
    }
    users.overlay.put(seq, node);
    users.created.add(seq);
  }

  /** The type a lookup field points at ({@code OwnerId} → User), or null if it is not a known lookup. */
  @Nullable SObjectStore referenceTarget(String field) {
    String target = REFERENCES.get(field.toLowerCase(Locale.ROOT));
    return target == null ? null : types.get(target.toLowerCase(Locale.ROOT));
  }

  private void register(SObjectStore store) {
    types.put(store.name.toLowerCase(Locale.ROOT), store);
  }

  /** The type named {@code name} in any case; custom objects ({@code Foo__c}) spring into existence empty. */
  @Nullable SObjectStore type(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    SObjectStore store = types.get(key);
    if (store != null || !key.endsWith("__c") || !FIELD_NAME.matcher(name).matches()) {
      return store;
    }
    synchronized (this) {
      return types.computeIfAbsent(key, k -> {
        int n = customTypes++;
        String prefix = "a" + Ids.BASE62.charAt(n / 62 % 62) + Ids.BASE62.charAt(n % 62);
        return new SObjectStore(name, prefix, 0, false);
      });
    }
  }

  synchronized SObjectStore.Snapshot snapshot(SObjectStore store, boolean includeDeleted,
      @Nullable String afterId) {
    return store.snapshot(includeDeleted, afterId);
  }

  // ---- validation ----

  @Nullable WriteError validate(SObjectStore store, JsonNode body, boolean create) {
    if (!body.isObject()) {
      return new WriteError("JSON_PARSER_ERROR", "The request body must be a JSON object.", List.of());
    }
    for (Entry<String, JsonNode> entry : body.properties()) {
      String key = entry.getKey();
      if (key.equals("attributes")) {
        continue;
      }
      String canonical = store.field(key);
      if (!FIELD_NAME.matcher(key).matches() || (canonical == null && store.strict)) {
        return new WriteError("INVALID_FIELD",
            "No such column '" + key + "' on sobject of type " + store.name, List.of(key));
      }
      if (canonical != null && SObjectStore.READ_ONLY.contains(canonical)) {
        return new WriteError("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: "
            + canonical + ". Please check the security settings of this field and verify that it is "
            + "read/write for your profile or permission set.", List.of(canonical));
      }
      if (entry.getValue().isContainer()) {
        return new WriteError("JSON_PARSER_ERROR", "Cannot deserialize instance of " + key
            + " from " + (entry.getValue().isArray() ? "START_ARRAY" : "START_OBJECT") + " value",
            List.of(key));
      }
    }
    if (store.strict) {
      JsonNode name = null;
      for (Entry<String, JsonNode> entry : body.properties()) {
        if (entry.getKey().equalsIgnoreCase("Name")) {
          name = entry.getValue();
        }
      }
      boolean missing = name == null ? create : name.isNull() || name.asString("").isBlank();
      if (missing) {
        return new WriteError("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]",
            List.of("Name"));
      }
    }
    return null;
  }

  // ---- writes (caller validated) ----

  synchronized WriteResult create(SObjectStore store, JsonNode body) {
    WriteError error = validate(store, body, true);
    return error != null ? WriteResult.failed(error) : new WriteResult(applyCreate(store, body), true, null);
  }

  synchronized WriteResult update(SObjectStore store, long seq, JsonNode body) {
    WriteError error = validate(store, body, false);
    if (error != null) {
      return WriteResult.failed(error);
    }
    applyUpdate(store, seq, body);
    return new WriteResult(store.id(seq), false, null);
  }

  /** Upsert by External_Id__c: updates the live record with that value, or creates one carrying it. */
  synchronized WriteResult upsert(SObjectStore store, String value, JsonNode body) {
    long seq = store.findByExternalId(value);
    if (seq > 0) {
      return update(store, seq, body);
    }
    WriteError error = validate(store, body, true);
    if (error != null) {
      return WriteResult.failed(error);
    }
    ObjectNode withKey = ((ObjectNode) body).deepCopy();
    withKey.put(SObjectStore.EXTERNAL_ID, value);
    return new WriteResult(applyCreate(store, withKey), true, null);
  }

  synchronized boolean delete(SObjectStore store, long seq) {
    if (!store.live(seq)) {
      return false;
    }
    ObjectNode node = materialize(store, seq);
    node.put("IsDeleted", true);
    store.deleted.add(seq);
    store.deletedIds.add(store.id(seq));
    counters.recordsDeleted.increment();
    if (undo != null) {
      undo.add(() -> {
        node.put("IsDeleted", false);
        store.deleted.remove(seq);
        store.deletedIds.remove(store.deletedIds.size() - 1);
        counters.recordsDeleted.decrement();
      });
    }
    return true;
  }

  String applyCreate(SObjectStore store, JsonNode body) {
    long seq = store.lastSeq.incrementAndGet();
    ObjectNode node = FakeJson.MAPPER.createObjectNode();
    String id = store.id(seq);
    node.put("Id", id);
    copyFields(store, body, node);
    node.put("CreatedDate", SObjectStore.SALESFORCE_DATE_TIME.format(clock.instant()));
    node.put("IsDeleted", false);
    store.overlay.put(seq, node);
    indexExternalId(store, seq, null, node);
    store.created.add(seq);
    store.createdIds.add(id);
    counters.recordsCreated.increment();
    if (undo != null) {
      // A rolled-back insert: gone from the ledger and from queries (seqs stay dense for the snapshots).
      undo.add(() -> {
        store.deleted.add(seq);
        store.createdIds.remove(id);
        store.externalIds.values().remove(seq);
        counters.recordsCreated.decrement();
      });
    }
    return id;
  }

  void applyUpdate(SObjectStore store, long seq, JsonNode body) {
    ObjectNode node = materialize(store, seq);
    String oldExternalId = FakeJson.text(node, SObjectStore.EXTERNAL_ID);
    if (undo != null) {
      ObjectNode before = node.deepCopy();
      undo.add(() -> {
        String now = FakeJson.text(node, SObjectStore.EXTERNAL_ID);
        node.removeAll();
        node.setAll(before);
        indexExternalId(store, seq, now, node);
        store.updatedIds.remove(store.updatedIds.size() - 1);
        counters.recordsUpdated.decrement();
      });
    }
    copyFields(store, body, node);
    indexExternalId(store, seq, oldExternalId, node);
    store.updatedIds.add(store.id(seq));
    counters.recordsUpdated.increment();
  }

  private static void copyFields(SObjectStore store, JsonNode body, ObjectNode node) {
    for (Entry<String, JsonNode> entry : body.properties()) {
      String key = entry.getKey();
      if (key.equals("attributes")) {
        continue;
      }
      String canonical = store.field(key);
      if (canonical == null) {
        store.addField(key);
        canonical = store.field(key);
      }
      node.set(canonical == null ? key : canonical, entry.getValue().deepCopy());
    }
  }

  private static void indexExternalId(SObjectStore store, long seq, @Nullable String old, ObjectNode node) {
    String current = FakeJson.text(node, SObjectStore.EXTERNAL_ID);
    if (old != null && !old.equals(current)) {
      store.externalIds.remove(old, seq);
    }
    if (current != null) {
      store.externalIds.put(current, seq);
    }
  }

  private static ObjectNode materialize(SObjectStore store, long seq) {
    return store.overlay.computeIfAbsent(seq, store::generatedNode);
  }

  // ---- transactions ----

  /**
   * Runs {@code body} as one transaction: every write it makes is undone, newest first, if it returns false.
   * Holds this object's monitor throughout, so no one observes a write that is later rolled back.
   */
  synchronized boolean transaction(java.util.function.BooleanSupplier body) {
    List<Runnable> outer = undo;
    List<Runnable> log = new ArrayList<>();
    undo = log;
    boolean commit = false;
    try {
      commit = body.getAsBoolean();
    } finally {
      undo = outer;
      if (!commit) {
        for (int i = log.size() - 1; i >= 0; i--) {
          log.get(i).run();
        }
      } else if (outer != null) {
        outer.addAll(log);
      }
    }
    return commit;
  }

  /** The store whose key prefix {@code id} carries, or null. */
  @Nullable SObjectStore typeOfId(String id) {
    if (id.length() < 3) {
      return null;
    }
    String prefix = id.substring(0, 3);
    for (SObjectStore store : types.values()) {
      if (store.prefix.equals(prefix)) {
        return store;
      }
    }
    return null;
  }

  // ---- read access for tests ----

  synchronized SObjectLedger ledger(SObjectStore store) {
    return new SObjectLedger(store.name, store.createdIds, store.updatedIds, store.deletedIds);
  }

  synchronized List<Map<String, Object>> createdRecords(SObjectStore store) {
    List<Map<String, Object>> result = new ArrayList<>();
    for (String id : store.createdIds) {
      result.add(toMap(store.current(store.seq(id))));
    }
    return result;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> toMap(ObjectNode node) {
    return Collections.unmodifiableMap(FakeJson.MAPPER.convertValue(node, LinkedHashMap.class));
  }
}
