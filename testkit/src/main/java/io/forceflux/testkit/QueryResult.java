package io.forceflux.testkit;

import io.forceflux.testkit.SoqlPlanner.FieldRef;
import io.forceflux.testkit.SoqlPlanner.Hop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;

/**
 * The frozen outcome of one query: which records (by seq, in order) and which columns, or a count. Membership and
 * order are fixed when the query runs; field values are read when a page is written, as Salesforce cursors do.
 */
final class QueryResult {

  enum Kind { RECORDS, COUNT, AGGREGATE }

  /** A selected column: a field of the record, or a lookup written as a nested record of its own columns. */
  sealed interface Column permits Leaf, Relationship {
  }

  record Leaf(String field) implements Column {
  }

  record Relationship(String name, String referenceField, SObjectStore target, List<Column> columns)
      implements Column {
  }

  final Kind kind;
  final SObjectStore store;
  private final List<Column> columns;
  private final List<FieldRef> fields;
  private final @Nullable Rows rows;
  private final long totalSize;
  private final List<String> aggregateNames;
  private final long[] aggregateValues;

  private QueryResult(Kind kind, SObjectStore store, List<Column> columns, List<FieldRef> fields,
      @Nullable Rows rows, long totalSize, List<String> aggregateNames, long[] aggregateValues) {
    this.kind = kind;
    this.store = store;
    this.columns = columns;
    this.fields = fields;
    this.rows = rows;
    this.totalSize = totalSize;
    this.aggregateNames = aggregateNames;
    this.aggregateValues = aggregateValues;
  }

  static QueryResult records(SObjectStore store, List<Column> columns, List<FieldRef> fields, Rows rows) {
    return new QueryResult(Kind.RECORDS, store, columns, List.copyOf(fields), rows, rows.size(), List.of(),
        new long[0]);
  }

  /** {@code SELECT COUNT()}: a totalSize and no records. */
  static QueryResult count(SObjectStore store, long count) {
    return new QueryResult(Kind.COUNT, store, List.of(), List.of(), null, count, List.of(), new long[0]);
  }

  /** {@code SELECT COUNT(f) [alias], …}: one AggregateResult record. */
  static QueryResult aggregate(SObjectStore store, List<String> names, long[] values) {
    return new QueryResult(Kind.AGGREGATE, store, List.of(), List.of(), null, 1, List.copyOf(names), values);
  }

  /** What the response's {@code totalSize} says: matching rows (after LIMIT and OFFSET), a count, or 1. */
  long totalSize() {
    return totalSize;
  }

  /** Whether the rows are an Id-range scan rendered on demand rather than a frozen list of records. */
  boolean lazy() {
    return rows instanceof Scan;
  }

  /** Column labels as Salesforce names them in flat output (Bulk CSV headers): {@code Id}, {@code Owner.Name}. */
  List<String> columnNames() {
    return fields.stream().map(FieldRef::label).toList();
  }

  /** The value of column {@code column} for record {@code seq}: a String, Number, Boolean or null. */
  @Nullable Object value(long seq, int column) {
    return fields.get(column).value(store, seq);
  }

  /** Hands the seqs of rows {@code offset .. offset+count-1} to {@code sink}, in order (RECORDS only). */
  void forEach(long offset, long count, LongConsumer sink) {
    if (rows != null) {
      rows.forEach(offset, count, sink);
    }
  }

  /** One record as the query resource writes it: attributes, then the columns, lookups nested. */
  void writeRecord(JsonGenerator g, long seq, String version) {
    writeRecord(g, store, seq, columns, "/services/data/v" + version + "/sobjects/");
  }

  private static void writeRecord(JsonGenerator g, SObjectStore store, long seq, List<Column> columns,
      String sobjectsUrl) {
    g.writeStartObject();
    g.writeName("attributes");
    g.writeStartObject();
    g.writeStringProperty("type", store.name);
    g.writeStringProperty("url", sobjectsUrl + store.name + "/" + store.id(seq));
    g.writeEndObject();
    for (Column column : columns) {
      if (column instanceof Leaf leaf) {
        g.writeName(leaf.field());
        store.writeField(g, seq, leaf.field());
        continue;
      }
      Relationship r = (Relationship) column;
      g.writeName(r.name());
      long target = store.value(seq, r.referenceField()) instanceof String id ? r.target().seq(id) : -1;
      if (target < 0 || !r.target().live(target)) {
        g.writeNull();
      } else {
        writeRecord(g, r.target(), target, r.columns(), sobjectsUrl);
      }
    }
    g.writeEndObject();
  }

  /** The AggregateResult record of a COUNT(field) query. */
  void writeAggregate(JsonGenerator g) {
    g.writeStartObject();
    g.writeName("attributes");
    g.writeStartObject();
    g.writeStringProperty("type", "AggregateResult");
    g.writeEndObject();
    for (int i = 0; i < aggregateNames.size(); i++) {
      g.writeNumberProperty(aggregateNames.get(i), aggregateValues[i]);
    }
    g.writeEndObject();
  }

  /** {@code OwnerId} → {@code Owner}: the relationship a lookup field is reached through. */
  static String relationshipName(String referenceField) {
    return referenceField.endsWith("Id") ? referenceField.substring(0, referenceField.length() - 2)
        : referenceField;
  }

  /** Groups bound fields into columns: fields through one lookup share one nested record, first mention first. */
  static List<Column> columns(List<FieldRef> fields) {
    List<Column> top = new ArrayList<>();
    for (FieldRef f : fields) {
      List<Column> level = top;
      for (Hop hop : f.hops()) {
        Relationship found = null;
        for (Column c : level) {
          if (c instanceof Relationship r && r.referenceField().equals(hop.referenceField())) {
            found = r;
          }
        }
        if (found == null) {
          found = new Relationship(relationshipName(hop.referenceField()), hop.referenceField(),
              hop.target(), new ArrayList<>());
          level.add(found);
        }
        level = found.columns();
      }
      Leaf leaf = new Leaf(f.field());
      if (!level.contains(leaf)) {
        level.add(leaf);
      }
    }
    return top;
  }

  /** The rows of a result: a lazy Id-range scan or a frozen array of seqs. */
  abstract static sealed class Rows permits Scan, Frozen {
    abstract long size();

    abstract void forEach(long offset, long count, LongConsumer sink);
  }

  /**
   * An Id-range of the store rendered on demand, so a cursor over a million generated records costs a few
   * objects; page starts are remembered so consecutive pages do not rescan from the start.
   */
  static final class Scan extends Rows {
    private final SObjectStore store;
    private final SObjectStore.Snapshot snapshot;
    private final long size;
    private final ConcurrentHashMap<Long, Long> checkpoints = new ConcurrentHashMap<>();

    Scan(SObjectStore store, SObjectStore.Snapshot snapshot, long size) {
      this.store = store;
      this.snapshot = snapshot;
      this.size = size;
      checkpoints.put(0L, snapshot.lower());
    }

    @Override
    long size() {
      return size;
    }

    @Override
    void forEach(long offset, long count, LongConsumer sink) {
      long last = seqBefore(offset);
      long end = Math.min(size, offset + count);
      for (long i = offset; i < end; i++) {
        long seq = store.next(snapshot, last);
        if (seq < 0) {
          break;
        }
        last = seq;
        sink.accept(seq);
      }
      checkpoints.put(end, last);
    }

    private long seqBefore(long offset) {
      Long known = checkpoints.get(offset);
      if (known != null) {
        return known;
      }
      long seq = snapshot.lower();
      for (long i = 0; i < offset && seq >= 0; i++) {
        seq = store.next(snapshot, seq);
      }
      return seq;
    }
  }

  /** A filtered or sorted result: the seqs themselves. */
  static final class Frozen extends Rows {
    private final long[] seqs;

    Frozen(long[] seqs) {
      this.seqs = seqs;
    }

    @Override
    long size() {
      return seqs.length;
    }

    @Override
    void forEach(long offset, long count, LongConsumer sink) {
      long end = Math.min(seqs.length, offset + count);
      for (long i = offset; i < end; i++) {
        sink.accept(seqs[(int) i]);
      }
    }
  }
}
