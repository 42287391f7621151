package io.forceflux.testkit;

import io.forceflux.testkit.QueryResult.Column;
import io.forceflux.testkit.Soql.Condition;
import io.forceflux.testkit.Soql.Literal;
import io.forceflux.testkit.Soql.Path;
import io.forceflux.testkit.SoqlValues.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Binds a parsed query to one sObject type and runs it. Names become {@link FieldRef}s (INVALID_FIELD when one
 * does not exist), the WHERE clause a {@link RowTest}, ORDER BY a comparator. A top-level {@code Id > 'x'} becomes
 * the start of an Id-range scan, so keyset pages of a big org never sort or test the records before {@code x};
 * with nothing else to filter and Id order, the result stays a lazy range (no per-record work at all).
 */
final class SoqlPlanner {

  private static final int MAX_OFFSET = 2000;
  private static final Pattern PREFIX_ONLY = Pattern.compile("[^%_\\\\]*%");

  /** One step through a lookup: the lookup field on the current type and the type it points at. */
  record Hop(String referenceField, SObjectStore target) {
  }

  /** A bound field path: lookups to follow from the queried record, then a field of the type reached. */
  record FieldRef(String label, List<Hop> hops, SObjectStore owner, String field, Type type) {
    @Nullable Object value(SObjectStore root, long seq) {
      SObjectStore current = root;
      long at = seq;
      for (Hop hop : hops) {
        if (!(current.value(at, hop.referenceField()) instanceof String id)) {
          return null;
        }
        at = hop.target().seq(id);
        if (at < 0 || !hop.target().live(at)) {
          return null;
        }
        current = hop.target();
      }
      return current.value(at, field);
    }

    boolean isId() {
      return hops.isEmpty() && field.equals("Id");
    }
  }

  @FunctionalInterface
  interface RowTest {
    boolean test(long seq);
  }

  private final Soql.Query query;
  private final DataStore data;
  private final String soql;
  private final SObjectStore store;

  private SoqlPlanner(Soql.Query query, DataStore data, SObjectStore store) {
    this.query = query;
    this.data = data;
    this.soql = query.text();
    this.store = store;
  }

  static QueryResult run(Soql.Query query, DataStore data, boolean includeDeleted) throws Soql.Invalid {
    SObjectStore store = data.type(query.sobject());
    if (store == null) {
      throw Soql.Invalid.at("INVALID_TYPE", query.text(), query.sobjectColumn(), "sObject type '"
          + query.sobject() + "' is not supported. If you are attempting to use a custom object, be sure "
          + "to append the '__c' after the entity name. Please reference your WSDL or the describe call "
          + "for the appropriate names.");
    }
    return new SoqlPlanner(query, data, store).run(includeDeleted);
  }

  private QueryResult run(boolean includeDeleted) throws Soql.Invalid {
    SObjectStore s = store;
    List<FieldRef> fields = new ArrayList<>();
    List<FieldRef> counted = new ArrayList<>();
    List<String> countNames = new ArrayList<>();
    for (Soql.Item item : query.select()) {
      if (item instanceof Soql.Count count) {
        counted.add(bind(count.path()));
        countNames.add(count.alias() != null ? count.alias() : "expr" + countNames.size());
      } else {
        fields.add(bind(((Soql.Field) item).path()));
      }
    }
    if (!counted.isEmpty() && !fields.isEmpty()) {
      Path first = ((Soql.Field) query.select().stream().filter(Soql.Field.class::isInstance).findFirst()
          .orElseThrow()).path();
      throw Soql.Invalid.at("MALFORMED_QUERY", soql, first.column(), "Field must be grouped or aggregated: "
          + first.text());
    }
    if (query.offset() > MAX_OFFSET) {
      throw new Soql.Invalid("NUMBER_OUTSIDE_VALID_RANGE", "Maximum SOQL offset allowed is " + MAX_OFFSET);
    }
    String afterId = null;
    Condition residual = query.where();
    if (residual instanceof Soql.Compare c && isAfterId(c)) {
      afterId = afterId(c);
      residual = null;
    } else if (residual instanceof Soql.Junction j && j.and()) {
      List<Condition> rest = new ArrayList<>(j.parts());
      for (Condition part : j.parts()) {
        if (part instanceof Soql.Compare c && isAfterId(c)) {
          afterId = afterId(c);
          rest.remove(part);
          break;
        }
      }
      residual = rest.size() == 1 ? rest.get(0) : new Soql.Junction(true, List.copyOf(rest));
    }
    RowTest test = residual == null ? null : compile(residual);
    List<FieldRef> keys = new ArrayList<>();
    for (Soql.Order o : query.orderBy()) {
      keys.add(bind(o.field()));
    }
    Comparator<Object[]> order = comparator(keys);
    List<Column> columns = QueryResult.columns(fields);
    synchronized (data) {
      SObjectStore.Snapshot snapshot = data.snapshot(s, includeDeleted, afterId);
      QueryResult.Rows rows = rows(s, snapshot, test, keys, order);
      if (query.countOnly()) {
        long n = rows.size();
        return QueryResult.count(s, query.limit() >= 0 ? Math.min(n, query.limit()) : n);
      }
      if (!counted.isEmpty()) {
        return QueryResult.aggregate(s, countNames, count(s, rows, counted));
      }
      return QueryResult.records(s, columns, fields, rows);
    }
  }

  // ---- rows ----

  private QueryResult.Rows rows(SObjectStore s, SObjectStore.Snapshot snapshot, @Nullable RowTest test,
      List<FieldRef> keys, @Nullable Comparator<Object[]> order) {
    long offset = Math.max(0, query.offset());
    long limit = query.limit();
    if (test == null && order == null) {
      // Plain Id order over an Id range: skip OFFSET records (at most 2,000) and stay lazy.
      long lower = snapshot.lower();
      long skipped = 0;
      while (skipped < offset) {
        long next = s.next(snapshot, lower);
        if (next < 0) {
          break;
        }
        lower = next;
        skipped++;
      }
      long remaining = snapshot.total() - skipped;
      long total = limit >= 0 ? Math.min(remaining, limit) : remaining;
      return new QueryResult.Scan(s, new SObjectStore.Snapshot(lower, snapshot.max(), snapshot.excluded(),
          remaining), total);
    }
    if (order == null) {
      // Id order with a filter: test records in Id order and stop once OFFSET + LIMIT have matched.
      long wanted = limit >= 0 ? offset + limit : Long.MAX_VALUE;
      LongList matches = new LongList();
      for (long seq = s.next(snapshot, snapshot.lower()); seq >= 0 && matches.size < wanted;
          seq = s.next(snapshot, seq)) {
        if (test.test(seq)) {
          matches.add(seq);
        }
      }
      return new QueryResult.Frozen(matches.slice(offset, limit));
    }
    List<Object[]> keyed = new ArrayList<>();
    for (long seq = s.next(snapshot, snapshot.lower()); seq >= 0; seq = s.next(snapshot, seq)) {
      if (test == null || test.test(seq)) {
        Object[] row = new Object[keys.size() + 1];
        for (int i = 0; i < keys.size(); i++) {
          row[i] = keys.get(i).value(s, seq);
        }
        row[keys.size()] = seq;
        keyed.add(row);
      }
    }
    keyed.sort(order);
    LongList sorted = new LongList();
    for (Object[] row : keyed) {
      sorted.add((Long) row[row.length - 1]);
    }
    return new QueryResult.Frozen(sorted.slice(offset, limit));
  }

  private static long[] count(SObjectStore s, QueryResult.Rows rows, List<FieldRef> counted) {
    long[] counts = new long[counted.size()];
    long size = rows.size();
    boolean allIds = counted.stream().allMatch(FieldRef::isId);
    if (allIds) {
      Arrays.fill(counts, size);
      return counts;
    }
    rows.forEach(0, size, seq -> {
      for (int i = 0; i < counts.length; i++) {
        if (counted.get(i).value(s, seq) != null) {
          counts[i]++;
        }
      }
    });
    return counts;
  }

  // ---- ORDER BY ----

  /** Null for plain Id order (the store's natural order); otherwise compares key rows, ties broken by Id. */
  private @Nullable Comparator<Object[]> comparator(List<FieldRef> keys) {
    List<Soql.Order> orders = query.orderBy();
    if (keys.isEmpty() || (keys.size() == 1 && keys.get(0).isId() && !orders.get(0).descending())) {
      return null;
    }
    return (a, b) -> {
      for (int i = 0; i < keys.size(); i++) {
        Soql.Order o = orders.get(i);
        Object x = a[i];
        Object y = b[i];
        int c;
        if (x == null || y == null) {
          c = x == y ? 0 : (x == null) == o.nullsFirst() ? -1 : 1;
        } else {
          c = SoqlValues.compare(x, y, keys.get(i).type());
          c = o.descending() ? -c : c;
        }
        if (c != 0) {
          return c;
        }
      }
      return Long.compare((Long) a[a.length - 1], (Long) b[b.length - 1]);
    };
  }

  // ---- WHERE ----

  private boolean isAfterId(Soql.Compare c) {
    return c.op().equals(">") && c.value().kind() == Literal.Kind.STRING && c.field().parts().size() == 1
        && c.field().parts().get(0).equalsIgnoreCase("Id");
  }

  private String afterId(Soql.Compare c) throws Soql.Invalid {
    String id = (String) c.value().value();
    if (!SoqlValues.isRecordId(id)) {
      throw invalidId(c.value());
    }
    return SoqlValues.id18(id);
  }

  private RowTest compile(Condition condition) throws Soql.Invalid {
    SObjectStore s = store;
    if (condition instanceof Soql.Compare c) {
      FieldRef f = bind(c.field());
      check(f, c.value());
      String op = c.op();
      Literal literal = c.value();
      return seq -> SoqlValues.test(f.value(s, seq), op, literal, f.type());
    }
    if (condition instanceof Soql.In in) {
      FieldRef f = bind(in.field());
      for (Literal literal : in.values()) {
        check(f, literal);
      }
      boolean negated = in.negated();
      return seq -> {
        Object value = f.value(s, seq);
        for (Literal literal : in.values()) {
          if (SoqlValues.test(value, "=", literal, f.type())) {
            return !negated;
          }
        }
        return negated;
      };
    }
    if (condition instanceof Soql.Like like) {
      FieldRef f = bind(like.field());
      if (f.type() != Type.STRING && f.type() != Type.ANY) {
        throw Soql.Invalid.at("INVALID_QUERY_FILTER_OPERATOR", soql, like.field().column(),
            "invalid operator on " + f.type().soapName + " field: " + f.label());
      }
      return likeTest(f, like.pattern());
    }
    if (condition instanceof Soql.Not not) {
      RowTest inner = compile(not.inner());
      return seq -> !inner.test(seq);
    }
    Soql.Junction junction = (Soql.Junction) condition;
    List<RowTest> parts = new ArrayList<>();
    for (Condition part : junction.parts()) {
      parts.add(compile(part));
    }
    RowTest[] all = parts.toArray(RowTest[]::new);
    if (junction.and()) {
      return seq -> {
        for (RowTest t : all) {
          if (!t.test(seq)) {
            return false;
          }
        }
        return true;
      };
    }
    return seq -> {
      for (RowTest t : all) {
        if (t.test(seq)) {
          return true;
        }
      }
      return false;
    };
  }

  private RowTest likeTest(FieldRef f, String raw) {
    SObjectStore s = store;
    if (PREFIX_ONLY.matcher(raw).matches()) {
      // 'A%' is by far the commonest pattern: a case-insensitive prefix check, no regex per record.
      String prefix = raw.substring(0, raw.length() - 1);
      return seq -> f.value(s, seq) instanceof String v && v.regionMatches(true, 0, prefix, 0, prefix.length());
    }
    Pattern pattern = SoqlValues.like(raw);
    return seq -> f.value(s, seq) instanceof String v && pattern.matcher(v).matches();
  }

  private void check(FieldRef f, Literal literal) throws Soql.Invalid {
    String mismatch = SoqlValues.mismatch(f.type(), f.label(), literal);
    if (mismatch != null) {
      throw Soql.Invalid.at("INVALID_FIELD", soql, literal.column(), mismatch);
    }
    if (f.type() == Type.ID && literal.value() instanceof String id && !SoqlValues.isRecordId(id)) {
      throw invalidId(literal);
    }
  }

  private Soql.Invalid invalidId(Literal literal) {
    return Soql.Invalid.at("INVALID_QUERY_FILTER_OPERATOR", soql, literal.column(),
        "invalid ID field: " + literal.value());
  }

  // ---- names ----

  /** Resolves {@code Field}, {@code Owner.Name} or {@code Account.Name} (the queried type's own name). */
  private FieldRef bind(Path path) throws Soql.Invalid {
    SObjectStore current = store;
    List<String> parts = path.parts();
    List<Hop> hops = new ArrayList<>();
    StringBuilder label = new StringBuilder();
    for (int i = 0; i < parts.size() - 1; i++) {
      String relationship = parts.get(i);
      String referenceField = current.field(relationship + "Id");
      SObjectStore target = referenceField == null ? null : data.referenceTarget(referenceField);
      if (target == null) {
        if (i == 0 && relationship.equalsIgnoreCase(current.name)) {
          continue;
        }
        throw Soql.Invalid.at("INVALID_FIELD", soql, path.column(), "Didn't understand relationship '"
            + relationship + "' in field path. If you are attempting to use a custom relationship, be "
            + "sure to append the '__r' after the custom relationship name. Please reference your WSDL "
            + "or the describe call for the appropriate names.");
      }
      hops.add(new Hop(referenceField, target));
      label.append(QueryResult.relationshipName(referenceField)).append('.');
      current = target;
    }
    String name = parts.get(parts.size() - 1);
    String field = current.field(name);
    if (field == null) {
      throw Soql.Invalid.at("INVALID_FIELD", soql, path.column(), "No such column '" + name + "' on entity '"
          + current.name + "'. If you are attempting to use a custom field, be sure to append the '__c' "
          + "after the custom field name. Please reference your WSDL or the describe call for the "
          + "appropriate names.");
    }
    return new FieldRef(label + field, List.copyOf(hops), current, field,
        SoqlValues.typeOf(data, current, field));
  }

  /** A growable list of seqs; a filtered result of a big org is a long[], not a list of boxes. */
  static final class LongList {
    private long[] values = new long[64];
    private int size;

    void add(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    long[] slice(long offset, long limit) {
      int from = (int) Math.min(offset, size);
      int to = limit >= 0 ? (int) Math.min((long) from + limit, size) : size;
      return Arrays.copyOfRange(values, from, to);
    }
  }
}
