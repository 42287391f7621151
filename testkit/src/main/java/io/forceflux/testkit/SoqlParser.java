package io.forceflux.testkit;

import io.forceflux.testkit.Soql.Condition;
import io.forceflux.testkit.Soql.Literal;
import io.forceflux.testkit.Soql.Path;
import io.forceflux.testkit.SoqlLexer.Kind;
import io.forceflux.testkit.SoqlLexer.Token;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recursive descent over the subset:
 * <pre>
 * query     = SELECT items FROM name [WHERE condition] [ORDER BY order {, order}] [LIMIT int] [OFFSET int]
 * items     = COUNT() | item {, item}          item = path | COUNT(path) [alias]
 * condition = unary {AND unary} | unary {OR unary}
 * unary     = NOT unary | ( condition ) | path op literal | path [NOT] IN ( literal {, literal} )
 *           | path LIKE string
 * order     = path [ASC | DESC] [NULLS FIRST | NULLS LAST]
 * </pre>
 */
final class SoqlParser {

  /** Words that end a field list or condition, so they can never be field names or aliases. */
  private static final Set<String> RESERVED = Set.of("SELECT", "FROM", "WHERE", "ORDER", "BY", "LIMIT",
      "OFFSET", "ASC", "DESC", "NULLS", "FIRST", "LAST", "AND", "OR", "NOT", "IN", "LIKE", "NULL", "TRUE",
      "FALSE", "GROUP", "HAVING", "WITH", "FOR", "USING", "INCLUDES", "EXCLUDES");
  private static final Set<String> OPERATORS = Set.of("=", "!=", "<>", "<", "<=", ">", ">=");
  private static final DateTimeFormatter OFFSET_NO_COLON =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS][.SS][.S]xx", Locale.ROOT);

  private final String soql;
  private final List<Token> tokens;
  private int pos;

  SoqlParser(String soql) throws Soql.Invalid {
    this.soql = soql;
    this.tokens = SoqlLexer.tokenize(soql);
  }

  Soql.Query query() throws Soql.Invalid {
    expectWord("SELECT");
    List<Soql.Item> items = new ArrayList<>();
    boolean countOnly = false;
    if (peek().is("COUNT") && tokens.get(pos + 1).isSymbol("(") && tokens.get(pos + 2).isSymbol(")")) {
      pos += 3;
      countOnly = true;
    } else {
      items.add(item());
      while (peek().isSymbol(",")) {
        pos++;
        items.add(item());
      }
    }
    expectWord("FROM");
    Token from = name();
    Condition where = null;
    if (accept("WHERE")) {
      where = condition();
    }
    List<Soql.Order> orderBy = new ArrayList<>();
    if (accept("ORDER")) {
      expectWord("BY");
      orderBy.add(order());
      while (peek().isSymbol(",")) {
        pos++;
        orderBy.add(order());
      }
    }
    long limit = accept("LIMIT") ? integer() : -1;
    long offset = accept("OFFSET") ? integer() : -1;
    if (peek().kind() != Kind.EOF) {
      throw unexpected(peek());
    }
    return new Soql.Query(soql, List.copyOf(items), countOnly, from.text(), from.column(), where,
        List.copyOf(orderBy), limit, offset);
  }

  private Soql.Item item() throws Soql.Invalid {
    if (peek().is("COUNT") && tokens.get(pos + 1).isSymbol("(")) {
      pos += 2;
      Path path = path();
      expectSymbol(")");
      String alias = null;
      if (peek().kind() == Kind.WORD && !isReserved(peek())) {
        alias = next().text();
      }
      return new Soql.Count(path, alias);
    }
    return new Soql.Field(path());
  }

  private Soql.Order order() throws Soql.Invalid {
    Path path = path();
    boolean descending = false;
    if (accept("DESC")) {
      descending = true;
    } else {
      accept("ASC");
    }
    boolean nullsFirst = !descending;
    if (accept("NULLS")) {
      if (accept("FIRST")) {
        nullsFirst = true;
      } else {
        expectWord("LAST");
        nullsFirst = false;
      }
    }
    return new Soql.Order(path, descending, nullsFirst);
  }

  private Condition condition() throws Soql.Invalid {
    Condition first = unary();
    Token connective = peek();
    if (!connective.is("AND") && !connective.is("OR")) {
      return first;
    }
    boolean and = connective.is("AND");
    List<Condition> parts = new ArrayList<>(List.of(first));
    while (peek().is("AND") || peek().is("OR")) {
      Token t = next();
      if (t.is("AND") != and) {
        // SOQL wants parentheses around a mix of AND and OR.
        throw unexpected(t);
      }
      parts.add(unary());
    }
    return new Soql.Junction(and, List.copyOf(parts));
  }

  private Condition unary() throws Soql.Invalid {
    if (accept("NOT")) {
      return new Soql.Not(unary());
    }
    if (peek().isSymbol("(")) {
      pos++;
      Condition inner = condition();
      expectSymbol(")");
      return inner;
    }
    Path field = path();
    Token op = next();
    if (op.kind() == Kind.SYMBOL && OPERATORS.contains(op.text())) {
      return new Soql.Compare(field, op.text().equals("<>") ? "!=" : op.text(), literal());
    }
    if (op.is("LIKE")) {
      Token pattern = next();
      if (pattern.kind() != Kind.STRING) {
        throw unexpected(pattern);
      }
      return new Soql.Like(field, pattern.raw(), stringLiteral(pattern));
    }
    boolean negated = op.is("NOT");
    if (negated) {
      op = next();
    }
    if (!op.is("IN")) {
      throw unexpected(op);
    }
    expectSymbol("(");
    List<Literal> values = new ArrayList<>(List.of(literal()));
    while (peek().isSymbol(",")) {
      pos++;
      values.add(literal());
    }
    expectSymbol(")");
    return new Soql.In(field, negated, List.copyOf(values));
  }

  private Literal literal() throws Soql.Invalid {
    Token t = next();
    int column = t.column();
    boolean negative = false;
    if ((t.isSymbol("-") || t.isSymbol("+")) && peek().kind() == Kind.NUMBER) {
      negative = t.isSymbol("-");
      t = next();
    }
    return switch (t.kind()) {
      case STRING -> stringLiteral(t);
      case NUMBER -> {
        double value = Double.parseDouble(t.text());
        yield new Literal(Literal.Kind.NUMBER, negative ? -value : value, (negative ? "-" : "") + t.text(),
            column);
      }
      case DATE -> new Literal(Literal.Kind.DATE, date(t), t.text(), column);
      case DATETIME -> new Literal(Literal.Kind.DATETIME, dateTime(t), t.text(), column);
      case WORD -> {
        if (t.is("null")) {
          yield new Literal(Literal.Kind.NULL, null, t.text(), column);
        }
        if (t.is("true") || t.is("false")) {
          yield new Literal(Literal.Kind.BOOLEAN, t.is("true"), t.text(), column);
        }
        throw unexpected(t);
      }
      default -> throw unexpected(t);
    };
  }

  private static Literal stringLiteral(Token t) {
    return new Literal(Literal.Kind.STRING, t.text(), "'" + t.raw() + "'", t.column());
  }

  private LocalDate date(Token t) throws Soql.Invalid {
    try {
      return LocalDate.parse(t.text());
    } catch (DateTimeParseException e) {
      throw unexpected(t);
    }
  }

  private Instant dateTime(Token t) throws Soql.Invalid {
    try {
      return t.text().endsWith("Z") || t.text().charAt(t.text().length() - 3) == ':'
          ? OffsetDateTime.parse(t.text()).toInstant()
          : OffsetDateTime.parse(t.text(), OFFSET_NO_COLON).toInstant();
    } catch (DateTimeParseException e) {
      throw unexpected(t);
    }
  }

  private long integer() throws Soql.Invalid {
    Token t = next();
    if (t.kind() != Kind.NUMBER || !t.text().matches("\\d{1,9}")) {
      throw unexpected(t);
    }
    return Long.parseLong(t.text());
  }

  private Path path() throws Soql.Invalid {
    Token first = name();
    List<String> parts = new ArrayList<>(List.of(first.text()));
    while (peek().isSymbol(".")) {
      pos++;
      parts.add(name().text());
    }
    return new Path(List.copyOf(parts), first.column());
  }

  private Token name() throws Soql.Invalid {
    Token t = next();
    if (t.kind() != Kind.WORD || isReserved(t)) {
      throw unexpected(t);
    }
    return t;
  }

  private static boolean isReserved(Token t) {
    return RESERVED.contains(t.text().toUpperCase(Locale.ROOT));
  }

  private Token peek() {
    return tokens.get(pos);
  }

  private Token next() {
    Token t = tokens.get(pos);
    if (t.kind() != Kind.EOF) {
      pos++;
    }
    return t;
  }

  private boolean accept(String keyword) {
    if (peek().is(keyword)) {
      pos++;
      return true;
    }
    return false;
  }

  private void expectWord(String keyword) throws Soql.Invalid {
    Token t = next();
    if (!t.is(keyword)) {
      throw unexpected(t);
    }
  }

  private void expectSymbol(String symbol) throws Soql.Invalid {
    Token t = next();
    if (!t.isSymbol(symbol)) {
      throw unexpected(t);
    }
  }

  private Soql.Invalid unexpected(Token t) {
    return Soql.Invalid.at("MALFORMED_QUERY", soql, t.column(), "unexpected token: " + t.shown());
  }
}
