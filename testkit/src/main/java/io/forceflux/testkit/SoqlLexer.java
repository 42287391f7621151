package io.forceflux.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits a SOQL string into tokens, each with its 1-based column for error messages. */
final class SoqlLexer {

  private static final Pattern DATE_TIME = Pattern.compile(
      "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,3})?(Z|[+-]\\d{2}:?\\d{2})");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");
  private static final List<String> TWO_CHAR_SYMBOLS = List.of("!=", "<>", "<=", ">=");

  enum Kind { WORD, STRING, NUMBER, DATE, DATETIME, SYMBOL, EOF }

  /**
   * A token. For a STRING, {@code text} is the unescaped value and {@code raw} the text between the quotes as
   * written (LIKE needs the escapes of {@code %} and {@code _}).
   */
  record Token(Kind kind, String text, String raw, int column) {
    boolean is(String keyword) {
      return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }

    boolean isSymbol(String symbol) {
      return kind == Kind.SYMBOL && text.equals(symbol);
    }

    /** How Salesforce names the token in "unexpected token: …". */
    String shown() {
      return switch (kind) {
        case STRING -> "'" + raw + "'";
        case EOF -> "<EOF>";
        default -> text;
      };
    }
  }

  private SoqlLexer() {
  }

  static List<Token> tokenize(String soql) throws Soql.Invalid {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int n = soql.length();
    while (i < n) {
      char c = soql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (Character.isDigit(c)) {
        i = number(soql, i, tokens);
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(soql.charAt(i)) || soql.charAt(i) == '_')) {
          i++;
        }
        String word = soql.substring(start, i);
        tokens.add(new Token(Kind.WORD, word, word, start + 1));
      } else if (c == '\'') {
        i = string(soql, i, tokens);
      } else {
        String two = i + 1 < n ? soql.substring(i, i + 2) : "";
        String symbol = TWO_CHAR_SYMBOLS.contains(two) ? two : String.valueOf(c);
        tokens.add(new Token(Kind.SYMBOL, symbol, symbol, i + 1));
        i += symbol.length();
      }
    }
    tokens.add(new Token(Kind.EOF, "", "", n + 1));
    return tokens;
  }

  private static int number(String soql, int start, List<Token> tokens) {
    for (Kind kind : List.of(Kind.DATETIME, Kind.DATE, Kind.NUMBER)) {
      Pattern pattern = kind == Kind.DATETIME ? DATE_TIME : kind == Kind.DATE ? DATE : NUMBER;
      Matcher m = pattern.matcher(soql).region(start, soql.length());
      if (m.lookingAt()) {
        tokens.add(new Token(kind, m.group(), m.group(), start + 1));
        return m.end();
      }
    }
    throw new IllegalStateException("a digit always matches NUMBER");
  }

  private static int string(String soql, int open, List<Token> tokens) throws Soql.Invalid {
    StringBuilder text = new StringBuilder();
    int i = open + 1;
    while (i < soql.length() && soql.charAt(i) != '\'') {
      char c = soql.charAt(i);
      if (c == '\\' && i + 1 < soql.length()) {
        i++;
        char escaped = soql.charAt(i);
        switch (escaped) {
          case 'n' -> text.append('\n');
          case 'r' -> text.append('\r');
          case 't' -> text.append('\t');
          case 'b' -> text.append('\b');
          case 'f' -> text.append('\f');
          default -> text.append(escaped);
        }
      } else {
        text.append(c);
      }
      i++;
    }
    if (i >= soql.length()) {
      throw Soql.Invalid.at("MALFORMED_QUERY", soql, open + 1, "unterminated string literal");
    }
    tokens.add(new Token(Kind.STRING, text.toString(), soql.substring(open + 1, i), open + 1));
    return i + 1;
  }
}
