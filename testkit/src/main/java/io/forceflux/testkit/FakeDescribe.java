package io.forceflux.testkit;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Describe and a SOSL subset. {@code GET /sobjects} lists the types; {@code GET /sobjects/{type}/describe} gives
 * each field's type, length, {@code nillable}, {@code createable}, {@code updateable} and {@code externalId}, with
 * {@code Last-Modified}; a request whose {@code If-Modified-Since} is not older than the metadata gets
 * {@code 304 Not Modified} and no body. {@code GET /search?q=FIND {term} IN NAME FIELDS RETURNING Type(Field, ...)}
 * finds records written through the API whose Name contains the term (generated records are not searched).
 */
final class FakeDescribe {

  private static final Pattern SOSL = Pattern.compile(
      "FIND\\s*\\{([^}]{2,100})}\\s*IN\\s+NAME\\s+FIELDS\\s+RETURNING\\s+([A-Za-z][A-Za-z0-9_]*)"
          + "\\s*\\(([^)]*)\\)\\s*", Pattern.CASE_INSENSITIVE);

  private final DataStore data;
  private final Instant metadataChanged;

  FakeDescribe(DataStore data, Clock clock) {
    this.data = data;
    this.metadataChanged = clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  Reply global(String v) {
    ObjectNode out = FakeJson.MAPPER.createObjectNode();
    out.put("encoding", "UTF-8");
    out.put("maxBatchSize", 200);
    ArrayNode list = out.putArray("sobjects");
    for (String name : List.of("Account", "Case", "Contact", "Lead", "Opportunity")) {
      SObjectStore store = data.type(name);
      ObjectNode entry = list.addObject();
      entry.put("name", name);
      entry.put("label", name);
      entry.put("keyPrefix", store == null ? "" : store.prefix);
      entry.put("createable", true);
      entry.put("queryable", true);
      entry.putObject("urls").put("describe", "/services/data/v" + v + "/sobjects/" + name + "/describe");
    }
    return Reply.json(200, FakeJson.bytes(out));
  }

  Reply describe(Request r, SObjectStore store) {
    String since = r.header("If-Modified-Since");
    if (since != null) {
      try {
        Instant ims = DateTimeFormatter.RFC_1123_DATE_TIME.parse(since, Instant::from);
        if (!metadataChanged.isAfter(ims)) {
          return Reply.of(304, "", new byte[0]);
        }
      } catch (DateTimeParseException e) {
        // Salesforce ignores a malformed date and answers in full.
      }
    }
    ObjectNode out = FakeJson.MAPPER.createObjectNode();
    out.put("name", store.name);
    out.put("label", store.name);
    out.put("keyPrefix", store.prefix);
    out.put("custom", store.name.endsWith("__c"));
    out.put("createable", true);
    out.put("updateable", true);
    out.put("deletable", true);
    ArrayNode fields = out.putArray("fields");
    for (String field : store.allFields()) {
      fields.add(field(store, field));
    }
    return Reply.json(200, FakeJson.bytes(out)).header("Last-Modified",
        DateTimeFormatter.RFC_1123_DATE_TIME.format(metadataChanged.atOffset(ZoneOffset.UTC)));
  }

  private static ObjectNode field(SObjectStore store, String name) {
    ObjectNode f = FakeJson.MAPPER.createObjectNode();
    String type;
    int length = 0;
    boolean system = SObjectStore.READ_ONLY.contains(name);
    switch (name) {
      case "Id" -> {
        type = "id";
        length = 18;
      }
      case "CreatedDate" -> type = "datetime";
      case "IsDeleted" -> type = "boolean";
      case "AnnualRevenue" -> type = "currency";
      case "NumberOfEmployees" -> type = "int";
      case "Industry" -> {
        type = "picklist";
        length = 255;
      }
      default -> {
        type = name.endsWith("Id") && name.length() > 2 ? "reference" : "string";
        length = type.equals("reference") ? 18 : 255;
      }
    }
    f.put("name", name);
    f.put("label", name);
    f.put("type", type);
    f.put("length", length);
    f.put("nillable", !system && !(store.strict && name.equals("Name")));
    f.put("createable", !system);
    f.put("updateable", !system);
    f.put("externalId", name.equals(SObjectStore.EXTERNAL_ID));
    return f;
  }

  Reply search(Request r, String v) {
    String q = r.query.get("q");
    Matcher m = q == null ? null : SOSL.matcher(q.trim());
    if (m == null || !m.matches()) {
      return Reply.restError(400, "MALFORMED_SEARCH", "This fake org understands only FIND {term} IN NAME "
          + "FIELDS RETURNING Type(Field, ...)");
    }
    String term = m.group(1).trim().toLowerCase(Locale.ROOT);
    SObjectStore store = data.type(m.group(2));
    if (store == null) {
      return Reply.restError(400, "INVALID_TYPE", "sObject type '" + m.group(2) + "' is not supported.");
    }
    List<String> fields = new java.util.ArrayList<>();
    for (String f : m.group(3).split(",")) {
      String canonical = store.field(f.trim());
      if (canonical == null) {
        return Reply.restError(400, "INVALID_FIELD", "No such column '" + f.trim() + "' on entity '"
            + store.name + "'");
      }
      fields.add(canonical);
    }
    String urlPrefix = "/services/data/v" + v + "/sobjects/" + store.name + "/";
    List<Long> hits = FakeSearch.nameHits(data, store, term);
    return Reply.json(200, FakeJson.write(g -> {
      g.writeStartObject();
      g.writeName("searchRecords");
      g.writeStartArray();
      for (long seq : hits.subList(0, Math.min(hits.size(), 2000))) {
        RestBodies.writeRecord(g, store, seq, fields, urlPrefix);
      }
      g.writeEndArray();
      g.writeEndObject();
    }));
  }
}
