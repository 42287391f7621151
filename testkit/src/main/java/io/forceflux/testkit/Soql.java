package io.forceflux.testkit;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The SOQL subset the fake org understands (src/docs/fake-org-soql.md lists it): {@link #parse} turns a query into
 * a {@link Query} syntax tree, and {@link Query#run} binds it to the org's data and freezes its result. Keywords,
 * object and field names are case-insensitive. What falls outside the subset is an {@link Invalid} carrying the
 * errorCode and message Salesforce would send.
 *
 * <p>The pieces: {@link SoqlLexer} (tokens), {@link SoqlParser} (recursive descent into the records below),
 * {@link SoqlPlanner} (names bound to fields, a predicate, a comparator, and an Id-range scan where one suffices),
 * {@link SoqlValues} (typed comparison and LIKE), {@link QueryResult} (the frozen rows and how to write them).
 */
final class Soql {

  private Soql() {
  }

  /**
   * Parses one query.
   *
   * @throws Invalid a {@code MALFORMED_QUERY} pointing at the first token outside the subset
   */
  static Query parse(String soql) throws Invalid {
    return new SoqlParser(soql).query();
  }

  /** A rejected query: the Salesforce errorCode and the message, positioned as Salesforce positions it. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;
    private final String errorCode;

    Invalid(String errorCode, String message) {
      super(message, null, false, false);
      this.errorCode = errorCode;
    }

    /** E.g. {@code MALFORMED_QUERY}, {@code INVALID_FIELD}, {@code INVALID_TYPE}. */
    String errorCode() {
      return errorCode;
    }

    /** Salesforce's layout: the query line, a caret under the column, the row and column, then the reason. */
    static Invalid at(String errorCode, String soql, int column, String reason) {
      return new Invalid(errorCode, "\n" + soql + "\n" + " ".repeat(Math.max(0, column - 1))
          + "^\nERROR at Row:1:Column:" + column + "\n" + reason);
    }
  }

  /** A dotted field path as written ({@code Owner.Name}), with the column of its first character. */
  record Path(List<String> parts, int column) {
    String text() {
      return String.join(".", parts);
    }
  }

  /** One SELECT item: a field path, or {@code COUNT(field)} with an optional alias. */
  sealed interface Item permits Field, Count {
  }

  record Field(Path path) implements Item {
  }

  record Count(Path path, @Nullable String alias) implements Item {
  }

  /** A literal value; {@code value} is a String, Double, Boolean, LocalDate, Instant or null. */
  record Literal(Kind kind, @Nullable Object value, String text, int column) {
    enum Kind { STRING, NUMBER, BOOLEAN, NULL, DATE, DATETIME }
  }

  /** A WHERE condition. */
  sealed interface Condition permits Compare, In, Like, Not, Junction {
  }

  /** {@code field op value} with op one of {@code = != < <= > >=} ({@code <>} is read as {@code !=}). */
  record Compare(Path field, String op, Literal value) implements Condition {
  }

  record In(Path field, boolean negated, List<Literal> values) implements Condition {
  }

  /** {@code field LIKE 'pattern'}; the pattern keeps its backslash escapes so {@code \%} stays a literal %. */
  record Like(Path field, String pattern, Literal literal) implements Condition {
  }

  record Not(Condition inner) implements Condition {
  }

  /** Conditions joined by one connective: SOQL does not let AND and OR mix without parentheses. */
  record Junction(boolean and, List<Condition> parts) implements Condition {
  }

  record Order(Path field, boolean descending, boolean nullsFirst) {
  }

  /**
   * A parsed query. {@code countOnly} is {@code SELECT COUNT()}; {@code limit} and {@code offset} are -1 when
   * absent.
   */
  record Query(String text, List<Item> select, boolean countOnly, String sobject, int sobjectColumn,
      @Nullable Condition where, List<Order> orderBy, long limit, long offset) {

    /**
     * Binds the query to the org's data and freezes the matching rows; the caller renders them.
     *
     * @param includeDeleted true for queryAll
     * @throws Invalid {@code INVALID_TYPE}, {@code INVALID_FIELD} or another binding error
     */
    QueryResult run(DataStore data, boolean includeDeleted) throws Invalid {
      return SoqlPlanner.run(this, data, includeDeleted);
    }
  }
}
