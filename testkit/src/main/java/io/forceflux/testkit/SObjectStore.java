package io.forceflux.testkit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The records of one sObject type. Record {@code seq} (1-based) has Id {@code Ids.id(prefix, seq)}. Seqs
 * {@code 1..generated} are computed from their number on demand (never stored) until a write copies them into the
 * overlay; records created through the API get the following seqs, so Id order is generated-then-created.
 * Writes are serialized by {@link DataStore}; reads are lock-free.
 */
final class SObjectStore {

  static final DateTimeFormatter SALESFORCE_DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final Instant GENERATED_EPOCH = Instant.parse("2024-01-01T00:00:00Z");
  private static final String[] INDUSTRIES = {"Agriculture", "Banking", "Chemicals", "Communications",
    "Construction", "Consulting", "Education", "Electronics", "Energy", "Engineering", "Finance", "Healthcare",
    "Insurance", "Manufacturing", "Media", "Retail", "Technology", "Transportation"};
  /** First words of generated Account names: four of ten start with an A (one in lower case) for LIKE tests. */
  private static final String[] NAME_WORDS = {"Account", "Birch", "Cedar", "Apex", "Delta", "Evergreen", "Atlas",
    "Fjord", "arbor", "Granite"};
  static final List<String> ACCOUNT_FIELDS = List.of("Id", "Name", "Industry", "AnnualRevenue",
      "NumberOfEmployees", "External_Id__c", "OwnerId", "CreatedDate", "IsDeleted");
  /** Generated Accounts are owned in turn by the org's generated Users (key prefix 005, seqs 1..USERS). */
  static final int USERS = 4;
  static final String USER_PREFIX = "005";
  static final List<String> BASE_FIELDS = List.of("Id", "Name", "External_Id__c", "CreatedDate", "IsDeleted");
  static final List<String> READ_ONLY = List.of("Id", "CreatedDate", "IsDeleted");
  static final String EXTERNAL_ID = "External_Id__c";

  final String name;
  final String prefix;
  final long generated;
  /** Account has a fixed schema; other types accept any well-formed field name on write. */
  final boolean strict;

  private final Map<String, String> fields = new ConcurrentHashMap<>();
  private final List<String> fieldOrder = new ArrayList<>();
  final ConcurrentHashMap<Long, ObjectNode> overlay = new ConcurrentHashMap<>();
  final ConcurrentSkipListSet<Long> created = new ConcurrentSkipListSet<>();
  final ConcurrentSkipListSet<Long> deleted = new ConcurrentSkipListSet<>();
  final ConcurrentHashMap<String, Long> externalIds = new ConcurrentHashMap<>();
  final AtomicLong lastSeq;
  final List<String> createdIds = new ArrayList<>();
  final List<String> updatedIds = new ArrayList<>();
  final List<String> deletedIds = new ArrayList<>();

  SObjectStore(String name, String prefix, long generated, boolean strict) {
    this.name = name;
    this.prefix = prefix;
    this.generated = generated;
    this.strict = strict;
    this.lastSeq = new AtomicLong(generated);
    for (String field : strict ? ACCOUNT_FIELDS : BASE_FIELDS) {
      addField(field);
    }
  }

  synchronized void addField(String field) {
    if (fields.putIfAbsent(field.toLowerCase(Locale.ROOT), field) == null) {
      fieldOrder.add(field);
    }
  }

  /** The field's canonical spelling (SOQL and JSON field names are case-insensitive), or null if unknown. */
  @Nullable String field(String anyCase) {
    return fields.get(anyCase.toLowerCase(Locale.ROOT));
  }

  synchronized List<String> allFields() {
    return List.copyOf(fieldOrder);
  }

  String id(long seq) {
    return Ids.id(prefix, seq);
  }

  /** The seq of an existing record (deleted ones included) with this Id, or -1. */
  long seq(String id) {
    long seq = Ids.seqOf(prefix, id);
    return seq > 0 && exists(seq) ? seq : -1;
  }

  boolean exists(long seq) {
    return (seq >= 1 && seq <= generated) || created.contains(seq);
  }

  boolean live(long seq) {
    return exists(seq) && !deleted.contains(seq);
  }

  /** The record's current state, materialized (use {@link #writeField} on hot paths). */
  ObjectNode current(long seq) {
    ObjectNode node = overlay.get(seq);
    return node != null ? node : generatedNode(seq);
  }

  ObjectNode generatedNode(long seq) {
    ObjectNode node = FakeJson.MAPPER.createObjectNode();
    node.put("Id", id(seq));
    node.put("Name", accountName(seq));
    node.put("Industry", INDUSTRIES[(int) (seq % INDUSTRIES.length)]);
    node.put("AnnualRevenue", annualRevenue(seq));
    node.put("NumberOfEmployees", employees(seq));
    node.put(EXTERNAL_ID, generatedExternalId(seq));
    node.put("OwnerId", ownerId(seq));
    node.put("CreatedDate", SALESFORCE_DATE_TIME.format(GENERATED_EPOCH.plusSeconds(seq)));
    node.put("IsDeleted", false);
    return node;
  }

  /** Writes one field's value of record {@code seq}; generated records are written without building a node. */
  void writeField(JsonGenerator g, long seq, String field) {
    ObjectNode node = overlay.get(seq);
    if (node != null) {
      JsonNode value = node.get(field);
      if (value == null) {
        g.writeNull();
      } else {
        g.writeTree(value);
      }
      return;
    }
    switch (field) {
      case "Id" -> g.writeString(id(seq));
      case "Name" -> g.writeString(accountName(seq));
      case "Industry" -> g.writeString(INDUSTRIES[(int) (seq % INDUSTRIES.length)]);
      case "AnnualRevenue" -> g.writeNumber(annualRevenue(seq));
      case "NumberOfEmployees" -> g.writeNumber(employees(seq));
      case EXTERNAL_ID -> g.writeString(generatedExternalId(seq));
      case "OwnerId" -> g.writeString(ownerId(seq));
      case "CreatedDate" -> g.writeString(SALESFORCE_DATE_TIME.format(GENERATED_EPOCH.plusSeconds(seq)));
      case "IsDeleted" -> g.writeBoolean(false);
      default -> g.writeNull();
    }
  }

  /**
   * One field's value of record {@code seq} for query evaluation: a String, Number, Boolean or null (dates are
   * their Salesforce strings). Generated records are answered without building a node.
   */
  @Nullable Object value(long seq, String field) {
    ObjectNode node = overlay.get(seq);
    if (node != null) {
      JsonNode value = node.get(field);
      if (value == null || value.isNull()) {
        return null;
      }
      if (value.isNumber()) {
        return value.doubleValue();
      }
      if (value.isBoolean()) {
        return value.booleanValue();
      }
      return value.isString() ? value.stringValue() : value.toString();
    }
    return switch (field) {
      case "Id" -> id(seq);
      case "Name" -> accountName(seq);
      case "Industry" -> INDUSTRIES[(int) (seq % INDUSTRIES.length)];
      case "AnnualRevenue" -> annualRevenue(seq);
      case "NumberOfEmployees" -> (double) employees(seq);
      case EXTERNAL_ID -> generatedExternalId(seq);
      case "OwnerId" -> ownerId(seq);
      case "CreatedDate" -> SALESFORCE_DATE_TIME.format(GENERATED_EPOCH.plusSeconds(seq));
      case "IsDeleted" -> Boolean.FALSE;
      default -> null;
    };
  }

  /** {@code Account 000001}, {@code Birch 000002}, … {@code Granite 000010}, {@code Account 000011}, … */
  private static String accountName(long seq) {
    String word = NAME_WORDS[(int) ((seq - 1) % NAME_WORDS.length)];
    String digits = Long.toString(seq);
    return digits.length() >= 6 ? word + " " + digits : word + " " + "000000".substring(digits.length()) + digits;
  }

  private static String ownerId(long seq) {
    return Ids.id(USER_PREFIX, 1 + (seq - 1) % USERS);
  }

  private static double annualRevenue(long seq) {
    return ((seq * 7919) % 1000 + 1) * 10_000.0;
  }

  private static int employees(long seq) {
    return (int) ((seq * 37) % 5000 + 1);
  }

  static String generatedExternalId(long seq) {
    String digits = Long.toString(seq);
    return digits.length() >= 8 ? "EXT-" + digits : "EXT-" + "00000000".substring(digits.length()) + digits;
  }

  /** The live record whose External_Id__c equals {@code value}, or -1. */
  long findByExternalId(String value) {
    Long seq = externalIds.get(value);
    if (seq != null && live(seq)) {
      return seq;
    }
    if (generated > 0 && value.startsWith("EXT-") && value.length() >= 12) {
      try {
        long candidate = Long.parseLong(value.substring(4));
        if (candidate >= 1 && candidate <= generated && value.equals(generatedExternalId(candidate))
            && !overlay.containsKey(candidate) && !deleted.contains(candidate)) {
          return candidate;
        }
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }

  // ---- query snapshots ----

  /** A frozen result set: the seqs in (lower, max] that exist and are not excluded, in order. */
  record Snapshot(long lower, long max, NavigableSet<Long> excluded, long total) {
  }

  /** Freezes a result set; the caller holds the {@link DataStore} lock so no write is half-done. */
  Snapshot snapshot(boolean includeDeleted, @Nullable String afterId) {
    long max = lastSeq.get();
    long lower = afterId == null ? 0 : lowerBound(afterId, max);
    NavigableSet<Long> excluded = includeDeleted ? new TreeSet<>() : new TreeSet<>(deleted.headSet(max, true));
    long generatedCount = Math.max(0, Math.min(generated, max) - lower);
    // Created records hold exactly the seqs generated+1..lastSeq (DataStore.applyCreate), so counting
    // them is arithmetic; walking the skip list here made every query slower as records were created.
    long createdCount = Math.max(0, max - Math.max(lower, generated));
    long excludedCount = excluded.subSet(lower, false, max, true).size();
    return new Snapshot(lower, max, excluded, generatedCount + createdCount - excludedCount);
  }

  /** The largest seq whose Id is not greater than {@code afterId} (Ids grow with seqs). */
  private long lowerBound(String afterId, long max) {
    long lo = 1;
    long hi = max + 1;
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      if (id(mid).compareTo(afterId) > 0) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo - 1;
  }

  /** The first seq of the snapshot after {@code after}, or -1 at the end. */
  long next(Snapshot snapshot, long after) {
    long current = after;
    while (true) {
      long candidate;
      if (current + 1 <= generated) {
        candidate = current + 1;
      } else {
        Long c = created.higher(current);
        if (c == null) {
          return -1;
        }
        candidate = c;
      }
      if (candidate > snapshot.max()) {
        return -1;
      }
      if (!snapshot.excluded().contains(candidate)) {
        return candidate;
      }
      current = candidate;
    }
  }
}
