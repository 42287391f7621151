package io.forceflux.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Parameterised search: {@code POST /parameterizedSearch} with {@code q}, {@code fields}, {@code sobjects}
 * [{@code name}, {@code fields}, {@code limit}] and {@code overallLimit}, and the GET form ({@code ?q=&sobject=
 * &Type.fields=&Type.limit=&fields=&overallLimit=}, one {@code sobject}). Like the fake's SOSL it matches records
 * written through the API whose Name contains {@code q}, case-insensitively; without {@code sobjects} it searches
 * those of Account, Contact, Lead and Opportunity that have the fields asked for. Records of each type come in Id
 * order, types in the order asked.
 */
final class FakeSearch {
  private static final int MAX_LIMIT = 2000;
  private static final List<String> ALL_TYPES = List.of("Account", "Contact", "Lead", "Opportunity");

  private record Scope(SObjectStore store, List<String> fields, int limit) {}

  private final DataStore data;

  FakeSearch(DataStore data) {
    this.data = data;
  }

  /** The seqs of live records written through the API whose Name contains {@code term} (lower case), in order. */
  static List<Long> nameHits(DataStore data, SObjectStore store, String term) {
    List<Long> hits = new ArrayList<>();
    synchronized (data) {
      for (var e : store.overlay.entrySet()) {
        String name = FakeJson.text(e.getValue(), "Name");
        if (store.live(e.getKey()) && name != null && name.toLowerCase(Locale.ROOT).contains(term)) {
          hits.add(e.getKey());
        }
      }
    }
    Collections.sort(hits);
    return hits;
  }

  Reply handle(Request r, String v) {
    return switch (r.method) {
      case "POST" -> post(r, v);
      case "GET" -> get(r, v);
      default -> Reply.restError(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + r.method
          + "' not allowed. Allowed are GET,POST");
    };
  }

  private Reply post(Request r, String v) {
    JsonNode body = FakeJson.parse(r.body);
    if (body == null || !body.isObject()) {
      return Reply.restError(400, "JSON_PARSER_ERROR", "The request body is not a JSON object");
    }
    List<String> globalFields = strings(body.get("fields"));
    List<Scope> scopes = new ArrayList<>();
    JsonNode sobjects = body.get("sobjects");
    if (sobjects != null && sobjects.isArray()) {
      for (JsonNode s : sobjects) {
        String name = FakeJson.text(s, "name");
        JsonNode limit = s.get("limit");
        Object scope = scope(name, strings(s.get("fields")), globalFields,
            limit == null ? null : limit.asString());
        if (scope instanceof Reply error) {
          return error;
        }
        scopes.add((Scope) scope);
      }
    }
    JsonNode overall = body.get("overallLimit");
    return search(v, FakeJson.text(body, "q"), scopes, globalFields, overall == null ? null : overall.asString());
  }

  private Reply get(Request r, String v) {
    Map<String, String> p = r.query;
    List<String> globalFields = split(p.get("fields"));
    List<Scope> scopes = new ArrayList<>();
    String name = p.get("sobject");
    if (name != null) {
      Object scope = scope(name, split(p.get(name + ".fields")), globalFields, p.get(name + ".limit"));
      if (scope instanceof Reply error) {
        return error;
      }
      scopes.add((Scope) scope);
    }
    return search(v, p.get("q"), scopes, globalFields, p.get("overallLimit"));
  }

  /** A {@link Scope}, or the {@link Reply} refusing it. */
  private Object scope(@Nullable String name, List<String> fields, List<String> globalFields,
      @Nullable String limit) {
    SObjectStore store = name == null ? null : data.type(name);
    if (store == null) {
      return Reply.restError(400, "INVALID_TYPE", "sObject type '" + name + "' is not supported.");
    }
    List<String> canonical = new ArrayList<>();
    for (String f : fields.isEmpty() ? (globalFields.isEmpty() ? List.of("Id") : globalFields) : fields) {
      String field = store.field(f);
      if (field == null) {
        return Reply.restError(400, "INVALID_FIELD", "No such column '" + f + "' on entity '" + store.name + "'");
      }
      canonical.add(field);
    }
    Integer n = limit(limit);
    if (n == null) {
      return Reply.restError(400, "INVALID_SEARCH", "limit must be an integer from 1 to 2000");
    }
    return new Scope(store, canonical, n);
  }

  private Reply search(String v, @Nullable String q, List<Scope> asked, List<String> globalFields,
      @Nullable String overallLimit) {
    if (q == null || q.isBlank()) {
      return Reply.restError(400, "MISSING_ARGUMENT", "q parameter is required");
    }
    String term = q.trim().toLowerCase(Locale.ROOT);
    if (term.length() < 2) {
      return Reply.restError(400, "INVALID_SEARCH", "search term must be longer than one character: " + q);
    }
    Integer overall = limit(overallLimit);
    if (overall == null) {
      return Reply.restError(400, "INVALID_SEARCH", "overallLimit must be an integer from 1 to 2000");
    }
    List<Scope> scopes = asked;
    if (scopes.isEmpty()) {
      scopes = new ArrayList<>();
      for (String type : ALL_TYPES) {
        // Searching everything covers the types that have the fields asked for.
        if (scope(type, List.of(), globalFields, null) instanceof Scope scope) {
          scopes.add(scope);
        }
      }
    }
    List<Scope> chosen = scopes;
    return Reply.json(200, FakeJson.write(g -> {
      g.writeStartObject();
      g.writeName("searchRecords");
      g.writeStartArray();
      int left = overall;
      for (Scope s : chosen) {
        List<Long> hits = nameHits(data, s.store(), term);
        String urlPrefix = "/services/data/v" + v + "/sobjects/" + s.store().name + "/";
        for (long seq : hits.subList(0, Math.min(hits.size(), Math.min(s.limit(), left)))) {
          RestBodies.writeRecord(g, s.store(), seq, s.fields(), urlPrefix);
          left--;
        }
      }
      g.writeEndArray();
      g.writeEndObject();
    }));
  }

  /** 1..2000, 2000 when absent, null when invalid. */
  private static @Nullable Integer limit(@Nullable String text) {
    if (text == null || text.isEmpty()) {
      return MAX_LIMIT;
    }
    try {
      int n = Integer.parseInt(text.trim());
      return n >= 1 && n <= MAX_LIMIT ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static List<String> strings(@Nullable JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      for (JsonNode n : array) {
        out.add(n.asString());
      }
    }
    return out;
  }

  private static List<String> split(@Nullable String csv) {
    List<String> out = new ArrayList<>();
    if (csv != null) {
      for (String f : csv.split(",")) {
        if (!f.isBlank()) {
          out.add(f.trim());
        }
      }
    }
    return out;
  }
}
