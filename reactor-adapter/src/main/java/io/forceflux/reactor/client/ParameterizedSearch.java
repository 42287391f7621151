package io.forceflux.reactor.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A parameterised search ({@code POST /parameterizedSearch}): a plain search string instead of a SOSL statement,
 * the fields to return, the sObject types to search with their own fields and limits, and a limit over all of them.
 * Checked when built, so a request Salesforce would refuse for its shape costs no call.
 *
 * <pre>{@code
 * ParameterizedSearch.builder("Acme")
 *     .sobject("Account", 10, "Id", "Name")
 *     .sobject("Contact", 5, "Id", "Email")
 *     .overallLimit(12)
 *     .build();
 * }</pre>
 *
 * @param q the search string (not SOSL: Salesforce refuses SOSL clauses here)
 * @param fields the fields returned for every type that names none of its own; empty for Salesforce's default (Id)
 * @param sobjects the types to search, in order; empty to search all searchable types
 * @param overallLimit the most records returned in all, or null for Salesforce's default
 */
public record ParameterizedSearch(String q, List<String> fields, List<Scope> sobjects,
    @Nullable Integer overallLimit) {
  /** The most records Salesforce returns for one search, overall or per type. */
  public static final int MAX_LIMIT = 2000;
  private static final int MAX_QUERY_CHARS = 10_000;

  /**
   * The record, checked.
   *
   * @throws IllegalArgumentException for a blank or over-long search string, a name that is not an API name, a
   *     type given twice or a limit outside 1..2000
   */
  public ParameterizedSearch {
    Objects.requireNonNull(q, "q");
    if (q.isBlank() || q.length() > MAX_QUERY_CHARS) {
      throw new IllegalArgumentException("the search string must have 1 to " + MAX_QUERY_CHARS + " characters");
    }
    fields = checkFields(fields);
    sobjects = List.copyOf(Objects.requireNonNull(sobjects, "sobjects"));
    List<String> seen = new ArrayList<>();
    for (Scope s : sobjects) {
      String key = s.name().toLowerCase(java.util.Locale.ROOT);
      if (seen.contains(key)) {
        throw new IllegalArgumentException("sObject type given twice: " + s.name());
      }
      seen.add(key);
    }
    if (overallLimit != null) {
      checkLimit(overallLimit, "overallLimit");
    }
  }

  /** A builder searching for {@code q}. */
  public static Builder builder(String q) {
    return new Builder(q);
  }

  /**
   * One sObject type to search.
   *
   * @param name the type's API name
   * @param fields its fields to return; empty for the search's own {@code fields}
   * @param limit the most records of this type, or null for Salesforce's default
   */
  public record Scope(String name, List<String> fields, @Nullable Integer limit) {
    /**
     * The record, checked.
     *
     * @throws IllegalArgumentException for a name that is not an API name or a limit outside 1..2000
     */
    public Scope {
      Paths.checkName(name, "sObject type");
      fields = checkFields(fields);
      if (limit != null) {
        checkLimit(limit, "limit");
      }
    }
  }

  /** The JSON body Salesforce expects. */
  ObjectNode body() {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("q", q);
    if (!fields.isEmpty()) {
      ArrayNode array = body.putArray("fields");
      fields.forEach(array::add);
    }
    if (!sobjects.isEmpty()) {
      ArrayNode array = body.putArray("sobjects");
      for (Scope s : sobjects) {
        ObjectNode entry = array.addObject();
        entry.put("name", s.name());
        if (!s.fields().isEmpty()) {
          ArrayNode f = entry.putArray("fields");
          s.fields().forEach(f::add);
        }
        if (s.limit() != null) {
          entry.put("limit", s.limit().intValue());
        }
      }
    }
    if (overallLimit != null) {
      body.put("overallLimit", overallLimit.intValue());
    }
    return body;
  }

  private static List<String> checkFields(List<String> fields) {
    List<String> copy = List.copyOf(Objects.requireNonNull(fields, "fields"));
    for (String field : copy) {
      // A field may be a relationship path such as Owner.Name: each part is an API name.
      for (String part : field.split("\\.", -1)) {
        Paths.checkName(part, "field");
      }
    }
    return copy;
  }

  private static void checkLimit(int limit, String what) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(what + " must be 1.." + MAX_LIMIT + ": " + limit);
    }
  }

  /** Collects the parts of a {@link ParameterizedSearch}; {@link #build()} checks them. */
  public static final class Builder {
    private final String q;
    private final List<String> fields = new ArrayList<>();
    private final List<Scope> sobjects = new ArrayList<>();
    private @Nullable Integer overallLimit;

    private Builder(String q) {
      this.q = Objects.requireNonNull(q, "q");
    }

    /** Fields returned for every type that names none of its own. */
    public Builder fields(String... fields) {
      this.fields.addAll(List.of(fields));
      return this;
    }

    /** Searches {@code type}, returning the search's own fields, up to Salesforce's default number of records. */
    public Builder sobject(String type) {
      sobjects.add(new Scope(type, List.of(), null));
      return this;
    }

    /** Searches {@code type}, returning up to {@code limit} records with {@code fields} (none: the search's). */
    public Builder sobject(String type, int limit, String... fields) {
      sobjects.add(new Scope(type, List.of(fields), limit));
      return this;
    }

    /** The most records returned in all (1..2000). */
    public Builder overallLimit(int overallLimit) {
      this.overallLimit = overallLimit;
      return this;
    }

    /**
     * The search.
     *
     * @throws IllegalArgumentException as the record's constructor
     */
    public ParameterizedSearch build() {
      return new ParameterizedSearch(q, fields, sobjects, overallLimit);
    }
  }
}
