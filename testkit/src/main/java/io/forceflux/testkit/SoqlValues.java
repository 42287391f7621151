package io.forceflux.testkit;

import io.forceflux.testkit.Soql.Literal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How the fake compares field values with literals and with each other: text case-insensitively (as Salesforce's
 * collation does), Ids by their characters, numbers as numbers, dates as instants; {@code !=} matches nulls.
 */
final class SoqlValues {

  private static final Pattern RECORD_ID = Pattern.compile("[A-Za-z0-9]{15}([A-Za-z0-9]{3})?");
  private static final DateTimeFormatter STORED_DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx", Locale.ROOT);

  /** A field's type as far as filters care; ANY for fields of schemaless objects, checked per value. */
  enum Type {
    ID("id"), STRING("string"), DOUBLE("double"), INTEGER("integer"), BOOLEAN("boolean"),
    DATETIME("dateTime"), ANY("anyType");

    final String soapName;

    Type(String soapName) {
      this.soapName = soapName;
    }
  }

  private SoqlValues() {
  }

  static Type typeOf(DataStore data, SObjectStore store, String field) {
    switch (field) {
      case "Id" -> {
        return Type.ID;
      }
      case "Name", SObjectStore.EXTERNAL_ID -> {
        return Type.STRING;
      }
      case "CreatedDate" -> {
        return Type.DATETIME;
      }
      case "IsDeleted" -> {
        return Type.BOOLEAN;
      }
      default -> {
        if (data.referenceTarget(field) != null) {
          return Type.ID;
        }
      }
    }
    if (!store.strict) {
      return Type.ANY;
    }
    return switch (field) {
      case "AnnualRevenue" -> Type.DOUBLE;
      case "NumberOfEmployees" -> Type.INTEGER;
      default -> Type.STRING;
    };
  }

  /** Why a literal cannot be compared with a field of this type (Salesforce's wording), or null if it can. */
  static @Nullable String mismatch(Type type, String field, Literal literal) {
    Literal.Kind kind = literal.kind();
    boolean fits = switch (type) {
      case ANY -> true;
      case ID, STRING -> kind == Literal.Kind.STRING || kind == Literal.Kind.NULL;
      case DOUBLE, INTEGER -> kind == Literal.Kind.NUMBER || kind == Literal.Kind.NULL;
      case BOOLEAN -> kind == Literal.Kind.BOOLEAN || kind == Literal.Kind.NULL;
      case DATETIME -> kind == Literal.Kind.DATETIME || kind == Literal.Kind.NULL;
    };
    if (fits) {
      return null;
    }
    boolean quoted = type == Type.ID || type == Type.STRING;
    return "value of filter criterion for field '" + field + "' must be of type " + type.soapName
        + (quoted ? " and should be enclosed in quotes" : " and should not be enclosed in quotes");
  }

  static boolean isRecordId(String text) {
    return RECORD_ID.matcher(text).matches();
  }

  /** An Id literal in the 18-character form the store uses, so 15- and 18-character Ids compare alike. */
  static String id18(String id) {
    return id.length() == 15 ? Ids.to18(id) : id;
  }

  /** {@code value op literal}, where a null value only satisfies {@code = null} and {@code !=}. */
  static boolean test(@Nullable Object value, String op, Literal literal, Type type) {
    if (literal.kind() == Literal.Kind.NULL) {
      return switch (op) {
        case "=" -> value == null;
        case "!=" -> value != null;
        default -> false;
      };
    }
    if (value == null) {
      return op.equals("!=");
    }
    Integer c = compareWithLiteral(value, literal, type);
    if (c == null) {
      return op.equals("!=");
    }
    return switch (op) {
      case "=" -> c == 0;
      case "!=" -> c != 0;
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      case ">" -> c > 0;
      case ">=" -> c >= 0;
      default -> throw new IllegalArgumentException(op);
    };
  }

  /** The sign of {@code value - literal}, or null when they cannot be compared (a text against a number). */
  private static @Nullable Integer compareWithLiteral(Object value, Literal literal, Type type) {
    Object expected = literal.value();
    switch (literal.kind()) {
      case STRING -> {
        String text = value instanceof String s ? s : String.valueOf(value);
        if (type == Type.ID) {
          return Integer.signum(text.compareTo(id18((String) expected)));
        }
        return Integer.signum(String.CASE_INSENSITIVE_ORDER.compare(text, (String) expected));
      }
      case NUMBER -> {
        Double number = value instanceof Number n ? Double.valueOf(n.doubleValue()) : parseDouble(value);
        return number == null ? null : Double.compare(number, (Double) expected);
      }
      case BOOLEAN -> {
        return value instanceof Boolean b ? Boolean.compare(b, (Boolean) expected) : null;
      }
      case DATE -> {
        LocalDate date = value instanceof String s && s.length() >= 10 ? parseDate(s.substring(0, 10)) : null;
        return date == null ? null : date.compareTo((LocalDate) expected);
      }
      case DATETIME -> {
        Instant instant = value instanceof String s ? parseInstant(s) : null;
        return instant == null ? null : instant.compareTo((Instant) expected);
      }
      default -> {
        return null;
      }
    }
  }

  /** Orders two non-null field values: text case-insensitively (ties by characters), Ids by characters. */
  static int compare(Object a, Object b, Type type) {
    if (a instanceof String x && b instanceof String y) {
      if (type == Type.ID) {
        return x.compareTo(y);
      }
      int c = String.CASE_INSENSITIVE_ORDER.compare(x, y);
      return c != 0 ? c : x.compareTo(y);
    }
    if (a instanceof Number x && b instanceof Number y) {
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    if (a instanceof Boolean x && b instanceof Boolean y) {
      return Boolean.compare(x, y);
    }
    // Mixed kinds only occur on schemaless objects; any fixed order keeps pagination stable.
    return a.getClass().getName().compareTo(b.getClass().getName());
  }

  /**
   * A LIKE pattern as a regex: {@code %} any run, {@code _} one character, a backslash quotes the next
   * character; case-insensitive, as Salesforce matches.
   */
  static Pattern like(String raw) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < raw.length()) {
        i++;
        regex.append(Pattern.quote(String.valueOf(raw.charAt(i))));
      } else if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
  }

  private static @Nullable Double parseDouble(Object value) {
    try {
      return Double.valueOf(String.valueOf(value));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static @Nullable LocalDate parseDate(String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static @Nullable Instant parseInstant(String text) {
    try {
      return OffsetDateTime.parse(text, STORED_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException again) {
        return null;
      }
    }
  }
}
