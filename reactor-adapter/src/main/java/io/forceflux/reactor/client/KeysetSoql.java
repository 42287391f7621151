package io.forceflux.reactor.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A SOQL query made resumable by keyset: it selects {@code Id}, is ordered by {@code Id}, and can be continued
 * after any Id with {@code WHERE (original) AND Id > 'last'} and the remaining {@code LIMIT}.
 *
 * <p>Only the top level of the query is examined: string literals and parenthesised parts (subqueries,
 * semi-joins, grouped conditions) are skipped, so keywords inside them are never mistaken for clauses.
 */
final class KeysetSoql {
  private static final Pattern ORDER_BY_ID = Pattern.compile("(?i)id(\\s+asc)?(\\s+nulls\\s+(first|last))?");
  private static final Pattern DIGITS = Pattern.compile("\\d{1,10}");
  private static final Pattern RECORD_ID = Pattern.compile("[A-Za-z0-9]{15}([A-Za-z0-9]{3})?");

  /** {@code SELECT fields FROM object [USING SCOPE …]}, Id guaranteed among the fields. */
  private final String selectFrom;
  private final @Nullable String where;
  private final String with;
  private final long limit;
  private final String trailing;

  private KeysetSoql(String selectFrom, @Nullable String where, String with, long limit, String trailing) {
    this.selectFrom = selectFrom;
    this.where = where;
    this.with = with;
    this.limit = limit;
    this.trailing = trailing;
  }

  /**
   * Makes {@code soql} resumable: adds {@code Id} to the selected fields and {@code ORDER BY Id} when missing.
   *
   * @throws IllegalArgumentException if the query cannot be resumed by Id (not a SELECT … FROM, ordered by
   *     something else, GROUP BY, HAVING, OFFSET, or a LIMIT that is not a number)
   */
  static KeysetSoql prepare(String soql) {
    List<Word> words = topLevelWords(soql);
    if (words.isEmpty() || !words.get(0).is("SELECT")) {
      throw invalid("it does not start with SELECT");
    }
    int from = -1;
    for (int i = 1; i < words.size(); i++) {
      if (words.get(i).is("FROM")) {
        from = i;
        break;
      }
    }
    if (from < 0) {
      throw invalid("it has no FROM");
    }
    // Clause starts after FROM, in SOQL's fixed order.
    List<Clause> clauses = new ArrayList<>();
    for (int i = from + 1; i < words.size(); i++) {
      Word w = words.get(i);
      Word next = i + 1 < words.size() ? words.get(i + 1) : null;
      String kind = clauseAt(w, next);
      if (kind != null) {
        clauses.add(new Clause(kind, w.start, kind.contains(" ") && next != null ? next.end : w.end));
      }
    }
    String where = null;
    String with = "";
    String orderBy = null;
    String limitText = null;
    StringBuilder trailing = new StringBuilder();
    int selectFromEnd = clauses.isEmpty() ? soql.length() : clauses.get(0).start;
    for (int i = 0; i < clauses.size(); i++) {
      Clause c = clauses.get(i);
      int end = i + 1 < clauses.size() ? clauses.get(i + 1).start : soql.length();
      String body = soql.substring(c.bodyStart, end).strip();
      switch (c.kind) {
        case "WHERE" -> where = body;
        case "WITH" -> with = soql.substring(c.start, end).strip();
        case "ORDER BY" -> orderBy = body;
        case "LIMIT" -> limitText = body;
        case "GROUP BY", "HAVING", "OFFSET" -> throw invalid("it uses " + c.kind);
        default -> trailing.append(trailing.length() == 0 ? "" : " ").append(soql.substring(c.start, end).strip());
      }
    }
    if (orderBy != null && !ORDER_BY_ID.matcher(orderBy).matches()) {
      throw invalid("it is ordered by something other than Id");
    }
    long limit = -1;
    if (limitText != null) {
      if (!DIGITS.matcher(limitText).matches()) {
        throw invalid("its LIMIT is not a number");
      }
      limit = Long.parseLong(limitText);
    }
    int fieldsStart = words.get(0).end;
    int fieldsEnd = words.get(from).start;
    String fields = soql.substring(fieldsStart, fieldsEnd).strip();
    boolean selectsId = false;
    for (String field : splitTopLevel(fields)) {
      if (field.strip().equalsIgnoreCase("Id")) {
        selectsId = true;
      }
    }
    String selectFrom = "SELECT " + (selectsId ? fields : "Id, " + fields) + " "
        + soql.substring(fieldsEnd, selectFromEnd).strip();
    if (where != null && where.isEmpty()) {
      throw invalid("its WHERE clause is empty");
    }
    return new KeysetSoql(selectFrom, where, with, limit, trailing.toString().strip());
  }

  /** The query to run first. */
  String initial() {
    return render(where, limit);
  }

  /**
   * The query that continues after {@code lastId}, {@code received} records having been received in all; with
   * no {@code lastId} (nothing received yet) the query starts over.
   *
   * @return null when the original LIMIT is already reached
   * @throws IllegalArgumentException if {@code lastId} is not a Salesforce Id
   */
  @Nullable String resumeAfter(@Nullable String lastId, long received) {
    long remaining = limit < 0 ? -1 : limit - received;
    if (limit >= 0 && remaining <= 0) {
      return null;
    }
    if (lastId == null) {
      return render(where, remaining);
    }
    if (!RECORD_ID.matcher(lastId).matches()) {
      throw new IllegalArgumentException("not a record Id");
    }
    String bound = "Id > '" + lastId + "'";
    return render(where == null ? bound : "(" + where + ") AND " + bound, remaining);
  }

  private String render(@Nullable String condition, long rowLimit) {
    StringBuilder sb = new StringBuilder(selectFrom);
    if (condition != null) {
      sb.append(" WHERE ").append(condition);
    }
    if (!with.isEmpty()) {
      sb.append(' ').append(with);
    }
    sb.append(" ORDER BY Id");
    if (rowLimit >= 0) {
      sb.append(" LIMIT ").append(rowLimit);
    }
    if (!trailing.isEmpty()) {
      sb.append(' ').append(trailing);
    }
    return sb.toString();
  }

  private static @Nullable String clauseAt(Word w, @Nullable Word next) {
    String upper = w.text.toUpperCase(Locale.ROOT);
    switch (upper) {
      case "WHERE", "WITH", "HAVING", "LIMIT", "OFFSET" -> {
        return upper;
      }
      case "GROUP", "ORDER" -> {
        return next != null && next.is("BY") ? upper + " BY" : null;
      }
      case "FOR" -> {
        return next != null && (next.is("VIEW") || next.is("REFERENCE") || next.is("UPDATE")) ? "FOR" : null;
      }
      case "UPDATE" -> {
        return next != null && (next.is("TRACKING") || next.is("VIEWSTAT")) ? "UPDATE" : null;
      }
      default -> {
        return null;
      }
    }
  }

  private static IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException("a resumable query must be a SELECT … FROM ordered by Id (or not ordered), "
        + "without GROUP BY, HAVING or OFFSET, but " + why);
  }

  private record Clause(String kind, int start, int bodyStart) {}

  /** A word at the top level of the query (outside literals and parentheses), with its position. */
  private record Word(String text, int start, int end) {
    boolean is(String keyword) {
      return text.equalsIgnoreCase(keyword);
    }
  }

  private static List<Word> topLevelWords(String soql) {
    List<Word> words = new ArrayList<>();
    int depth = 0;
    int i = 0;
    int n = soql.length();
    while (i < n) {
      char c = soql.charAt(i);
      if (c == '\'') {
        i = skipLiteral(soql, i);
      } else if (c == '(') {
        depth++;
        i++;
      } else if (c == ')') {
        depth = Math.max(0, depth - 1);
        i++;
      } else if (isWordChar(c)) {
        int start = i;
        while (i < n && isWordChar(soql.charAt(i))) {
          i++;
        }
        if (depth == 0) {
          words.add(new Word(soql.substring(start, i), start, i));
        }
      } else {
        i++;
      }
    }
    return words;
  }

  /** The index just after the literal that starts at {@code open} (backslash escapes honoured). */
  private static int skipLiteral(String soql, int open) {
    int i = open + 1;
    while (i < soql.length()) {
      char c = soql.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == '\'') {
        return i + 1;
      } else {
        i++;
      }
    }
    throw invalid("a string literal is not terminated");
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.';
  }

  /** Splits on commas outside literals and parentheses. */
  static List<String> splitTopLevel(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\'') {
        i = skipLiteral(text, i);
        continue;
      }
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth = Math.max(0, depth - 1);
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
      i++;
    }
    parts.add(text.substring(start));
    return parts;
  }
}
