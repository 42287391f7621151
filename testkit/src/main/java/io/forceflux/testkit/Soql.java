package io.forceflux.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The SOQL subset the fake org understands:
 * {@code SELECT f1, f2 FROM Obj [WHERE Id > 'x'] [ORDER BY Id [ASC]] [LIMIT n]}, keywords in any case. Anything
 * else is a {@link Malformed} with a Salesforce-style message.
 */
final class Soql {

    /** The parsed query; {@code afterId} is the {@code WHERE Id >} bound, {@code limit} -1 when absent. */
    record Query(List<String> fields, String sobject, @Nullable String afterId, long limit) {
    }

    /** A MALFORMED_QUERY with its message. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private record Token(String text, int column, boolean string) {
    }

    private final String soql;
    private final List<Token> tokens;
    private int pos;

    private Soql(String soql) throws Malformed {
        this.soql = soql;
        this.tokens = tokenize(soql);
    }

    static Query parse(String soql) throws Malformed {
        return new Soql(soql).query();
    }

    private Query query() throws Malformed {
        keyword("SELECT");
        List<String> fields = new ArrayList<>();
        fields.add(identifier());
        while (peekIs(",")) {
            pos++;
            fields.add(identifier());
        }
        keyword("FROM");
        String sobject = identifier();
        String afterId = null;
        long limit = -1;
        if (peekKeyword("WHERE")) {
            pos++;
            Token field = next();
            if (field.string() || !field.text().equalsIgnoreCase("Id")) {
                throw unexpected(field);
            }
            symbol(">");
            Token value = next();
            if (!value.string()) {
                throw unexpected(value);
            }
            afterId = value.text();
        }
        if (peekKeyword("ORDER")) {
            pos++;
            keyword("BY");
            Token field = next();
            if (field.string() || !field.text().equalsIgnoreCase("Id")) {
                throw unexpected(field);
            }
            if (peekKeyword("ASC")) {
                pos++;
            }
        }
        if (peekKeyword("LIMIT")) {
            pos++;
            Token n = next();
            if (n.string() || !n.text().matches("\\d{1,9}")) {
                throw unexpected(n);
            }
            limit = Long.parseLong(n.text());
        }
        if (pos < tokens.size()) {
            throw unexpected(tokens.get(pos));
        }
        return new Query(fields, sobject, afterId, limit);
    }

    private Token next() throws Malformed {
        if (pos >= tokens.size()) {
            throw new Malformed(message(soql.length() + 1, "<EOF>"));
        }
        return tokens.get(pos++);
    }

    private boolean peekIs(String text) {
        return pos < tokens.size() && !tokens.get(pos).string() && tokens.get(pos).text().equals(text);
    }

    private boolean peekKeyword(String keyword) {
        return pos < tokens.size() && !tokens.get(pos).string() && tokens.get(pos).text().equalsIgnoreCase(keyword);
    }

    private void keyword(String keyword) throws Malformed {
        Token t = next();
        if (t.string() || !t.text().equalsIgnoreCase(keyword)) {
            throw unexpected(t);
        }
    }

    private void symbol(String symbol) throws Malformed {
        Token t = next();
        if (t.string() || !t.text().equals(symbol)) {
            throw unexpected(t);
        }
    }

    private String identifier() throws Malformed {
        Token t = next();
        if (t.string() || !Character.isLetter(t.text().charAt(0)) || isReserved(t.text())) {
            throw unexpected(t);
        }
        return t.text();
    }

    private static boolean isReserved(String word) {
        return switch (word.toUpperCase(Locale.ROOT)) {
            case "SELECT", "FROM", "WHERE", "ORDER", "BY", "LIMIT", "ASC", "DESC", "AND", "OR", "NOT" -> true;
            default -> false;
        };
    }

    private Malformed unexpected(Token t) {
        return new Malformed(message(t.column(), t.string() ? "'" + t.text() + "'" : t.text()));
    }

    private String message(int column, String token) {
        return "\n" + soql + "\n" + " ".repeat(Math.max(0, column - 1)) + "^\nERROR at Row:1:Column:" + column
                + "\nunexpected token: " + token;
    }

    private static List<Token> tokenize(String s) throws Malformed {
        List<Token> result = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                    i++;
                }
                result.add(new Token(s.substring(start, i), start + 1, false));
            } else if (c == '\'') {
                int start = i;
                StringBuilder text = new StringBuilder();
                i++;
                while (i < s.length() && s.charAt(i) != '\'') {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                        i++;
                    }
                    text.append(s.charAt(i));
                    i++;
                }
                if (i >= s.length()) {
                    throw new Malformed("\n" + s + "\n" + " ".repeat(start) + "^\nERROR at Row:1:Column:"
                            + (start + 1) + "\nunterminated string literal");
                }
                i++;
                result.add(new Token(text.toString(), start + 1, true));
            } else {
                result.add(new Token(String.valueOf(c), i + 1, false));
                i++;
            }
        }
        return result;
    }
}
