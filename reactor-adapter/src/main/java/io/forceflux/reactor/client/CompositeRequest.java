package io.forceflux.reactor.client;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Composite request ({@code POST /composite}): up to 25 subrequests executed in order in one API call; a later
 * subrequest may use an earlier one's result through {@code @{referenceId.field}} (or
 * {@code @{referenceId.records[0].Id}}) in its path or in its body's string values.
 *
 * <pre>{@code
 * CompositeRequest request = CompositeRequest.builder()
 *     .allOrNone(true)
 *     .create("acct", "Account", Map.of("Name", "Acme"))
 *     .create("contact", "Contact", Map.of("LastName", "Smith", "AccountId", "@{acct.id}"))
 *     .build();
 * }</pre>
 *
 * <p>{@link Builder#build()} checks what Salesforce would refuse, so it never costs a call: more than 25
 * subrequests, more than 5 of them queries or sObject Collections, a reference id that is not letters, digits and
 * {@code _} or is used twice, and a reference to an id that no earlier subrequest has.
 */
public final class CompositeRequest {
  /** Salesforce's limit on subrequests per Composite call. */
  public static final int MAX_SUBREQUESTS = 25;
  /** Salesforce's limit on query and sObject Collections subrequests per Composite call. */
  public static final int MAX_QUERY_OR_COLLECTION = 5;

  static final Pattern REFERENCE_ID = Pattern.compile("[A-Za-z0-9_]{1,80}");
  static final Pattern REFERENCE = Pattern.compile("@\\{([A-Za-z0-9_]+)((?:\\.[A-Za-z0-9_]+|\\[\\d+])*)}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");
  private static final JsonMapper MAPPER = JsonMapper.shared();

  private final boolean allOrNone;
  private final boolean collateSubrequests;
  private final List<Subrequest> subrequests;

  private CompositeRequest(Builder b) {
    this.allOrNone = b.allOrNone;
    this.collateSubrequests = b.collateSubrequests;
    this.subrequests = List.copyOf(b.subrequests);
  }

  /** An empty builder: {@code allOrNone} false, {@code collateSubrequests} false. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether one failure rolls back every subrequest. */
  public boolean allOrNone() {
    return allOrNone;
  }

  /** Whether Salesforce may run independent subrequests together. */
  public boolean collateSubrequests() {
    return collateSubrequests;
  }

  /** The subrequests, in order. */
  public List<Subrequest> subrequests() {
    return subrequests;
  }

  @Override
  public String toString() {
    return "CompositeRequest[" + subrequests.size() + " subrequests, allOrNone=" + allOrNone + "]";
  }

  /** Collects subrequests; each method checks its arguments, {@link #build()} checks the whole. */
  public static final class Builder {
    private boolean allOrNone;
    private boolean collateSubrequests;
    private final List<Subrequest> subrequests = new ArrayList<>();

    private Builder() {}

    /** Roll everything back if one subrequest fails. Default false. */
    public Builder allOrNone(boolean allOrNone) {
      this.allOrNone = allOrNone;
      return this;
    }

    /** Let Salesforce group independent subrequests to run them faster. Default false. */
    public Builder collateSubrequests(boolean collate) {
      this.collateSubrequests = collate;
      return this;
    }

    /** Creates a record ({@code POST /sobjects/{type}}); its result's body holds {@code id}. */
    public Builder create(String referenceId, String type, Object record) {
      return add(referenceId, "POST", "/sobjects/" + name(type), json(record));
    }

    /** Updates a record ({@code PATCH /sobjects/{type}/{id}}); {@code id} may be a reference. */
    public Builder update(String referenceId, String type, String id, Object fields) {
      return add(referenceId, "PATCH", "/sobjects/" + name(type) + "/" + segment(id), json(fields));
    }

    /** Upserts by external id ({@code PATCH /sobjects/{type}/{field}/{value}}). */
    public Builder upsert(String referenceId, String type, String externalIdField, String value, Object record) {
      return add(referenceId, "PATCH", "/sobjects/" + name(type) + "/" + name(externalIdField) + "/"
          + segment(value), json(record));
    }

    /** Deletes a record ({@code DELETE /sobjects/{type}/{id}}). */
    public Builder delete(String referenceId, String type, String id) {
      return add(referenceId, "DELETE", "/sobjects/" + name(type) + "/" + segment(id), null);
    }

    /** Reads a record ({@code GET /sobjects/{type}/{id}}). */
    public Builder get(String referenceId, String type, String id) {
      return add(referenceId, "GET", "/sobjects/" + name(type) + "/" + segment(id), null);
    }

    /** Runs a SOQL query ({@code GET /query?q=}); counts among the 5 query or Collections subrequests. */
    public Builder query(String referenceId, String soql) {
      Objects.requireNonNull(soql, "soql");
      return add(referenceId, "GET", "/query?q=" + java.net.URLEncoder.encode(soql,
          java.nio.charset.StandardCharsets.UTF_8), null);
    }

    /**
     * Any subrequest: {@code path} after {@code /services/data/vNN.N}, starting with {@code /}.
     *
     * @throws IllegalArgumentException for a method Salesforce does not accept or a path that is not relative
     */
    public Builder subrequest(String referenceId, String method, String path, @Nullable Object body) {
      Paths.checkSubrequest(method, path);
      return add(referenceId, method, path, body == null ? null : json(body));
    }

    private Builder add(String referenceId, String method, String path, @Nullable JsonNode body) {
      Objects.requireNonNull(referenceId, "referenceId");
      if (!REFERENCE_ID.matcher(referenceId).matches()) {
        throw new IllegalArgumentException("referenceId must be 1 to 80 letters, digits or _: " + referenceId);
      }
      subrequests.add(new Subrequest(referenceId, method, path, body));
      return this;
    }

    /**
     * Checks the request as a whole.
     *
     * @throws IllegalStateException when Salesforce would refuse it: no subrequest or more than 25, more than 5
     *     queries or sObject Collections, a reference id used twice, or a reference to an id no earlier
     *     subrequest has
     */
    public CompositeRequest build() {
      if (subrequests.isEmpty() || subrequests.size() > MAX_SUBREQUESTS) {
        throw new IllegalStateException("a Composite request holds 1 to " + MAX_SUBREQUESTS + " subrequests, not "
            + subrequests.size());
      }
      long heavy = subrequests.stream().filter(Subrequest::isQueryOrCollection).count();
      if (heavy > MAX_QUERY_OR_COLLECTION) {
        throw new IllegalStateException("a Composite request holds at most " + MAX_QUERY_OR_COLLECTION
            + " query or sObject Collections subrequests, not " + heavy);
      }
      Set<String> earlier = new HashSet<>();
      for (Subrequest s : subrequests) {
        checkReferences(s.path(), earlier, s.referenceId());
        if (s.body() != null) {
          checkReferences(s.body().toString(), earlier, s.referenceId());
        }
        if (!earlier.add(s.referenceId())) {
          throw new IllegalStateException("referenceId " + s.referenceId() + " is used twice");
        }
      }
      return new CompositeRequest(this);
    }

    private static void checkReferences(String text, Set<String> earlier, String in) {
      Matcher m = REFERENCE.matcher(text);
      while (m.find()) {
        if (!earlier.contains(m.group(1))) {
          throw new IllegalStateException("subrequest " + in + " refers to @{" + m.group(1) + m.group(2)
              + "}, but no earlier subrequest has referenceId " + m.group(1));
        }
      }
    }

    private static String name(String name) {
      Objects.requireNonNull(name, "name");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not a valid API name: " + name);
      }
      return name;
    }

    /** An Id, value or a whole reference; references stay readable, anything else is percent-encoded. */
    private static String segment(String value) {
      Objects.requireNonNull(value, "value");
      if (value.isBlank()) {
        throw new IllegalArgumentException("an id or value must not be blank");
      }
      if (REFERENCE.matcher(value).matches()) {
        return value;
      }
      return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode json(Object value) {
      Objects.requireNonNull(value, "body");
      JsonNode node = value instanceof JsonNode n ? n.deepCopy() : MAPPER.valueToTree(value);
      if (!node.isObject() && !node.isArray()) {
        throw new IllegalArgumentException("a subrequest body must serialize to a JSON object or array");
      }
      return node;
    }
  }
}
