package io.forceflux.testkit;

import io.forceflux.testkit.AuthState.Session;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code query} and {@code queryAll} with their cursors: the first page runs the SOQL, later pages continue a
 * cursor by locator and offset, for its owner only and within its lifetime.
 */
final class FakeQuery {

  private static final Pattern BATCH_SIZE = Pattern.compile("batchSize\\s*=\\s*(\\d{1,9})");
  static final int DEFAULT_BATCH = 2000;
  static final int MIN_BATCH = 200;

  private final RestEndpoint.Settings settings;
  private final Clock clock;
  private final DataStore data;
  private final ConcurrentHashMap<String, QueryCursor> cursors = new ConcurrentHashMap<>();

  FakeQuery(RestEndpoint.Settings settings, Clock clock, DataStore data) {
    this.settings = settings;
    this.clock = clock;
    this.data = data;
  }

  Reply query(Request r, Session session, String v, boolean all) {
    String soql = r.query.get("q");
    if (soql == null || soql.isBlank()) {
      return Reply.restError(400, "MALFORMED_QUERY", "A query string has to be specified");
    }
    QueryResult result;
    try {
      result = Soql.parse(soql).run(data, all);
    } catch (Soql.Invalid e) {
      return Reply.restError(400, e.errorCode(), String.valueOf(e.getMessage()));
    }
    if (result.kind != QueryResult.Kind.RECORDS) {
      return Reply.json(200, FakeJson.write(g -> {
        g.writeStartObject();
        g.writeNumberProperty("totalSize", result.totalSize());
        g.writeBooleanProperty("done", true);
        g.writeName("records");
        g.writeStartArray();
        if (result.kind == QueryResult.Kind.AGGREGATE) {
          result.writeAggregate(g);
        }
        g.writeEndArray();
        g.writeEndObject();
      }));
    }
    Instant now = clock.instant();
    QueryCursor cursor = new QueryCursor("01g" + Ids.randomBase62(15), result, now, session.token,
        session.userId, batchSize(r, DEFAULT_BATCH));
    return page(cursor, 0, cursor.batchSize, v, now);
  }

  Reply queryMore(Request r, Session session, String v, String locatorAndOffset) {
    int dash = locatorAndOffset.lastIndexOf('-');
    QueryCursor cursor = dash < 0 ? null : cursors.get(locatorAndOffset.substring(0, dash));
    long offset = -1;
    if (dash >= 0) {
      try {
        offset = Long.parseLong(locatorAndOffset.substring(dash + 1));
      } catch (NumberFormatException e) {
        offset = -1;
      }
    }
    Instant now = clock.instant();
    if (cursor != null && !now.isBefore(cursor.createdAt.plus(settings.cursorLifetime()))) {
      cursors.remove(cursor.locator, cursor);
      cursor = null;
    }
    if (cursor == null || offset < 0 || offset >= Math.max(cursor.total, 1)) {
      return invalidLocator();
    }
    boolean sameOwner = settings.cursorMode() == CursorMode.SESSION ? cursor.sessionToken.equals(session.token)
        : cursor.userId.equals(session.userId);
    if (!sameOwner) {
      return invalidLocator();
    }
    return page(cursor, offset, batchSize(r, cursor.batchSize), v, now);
  }

  private static Reply invalidLocator() {
    return Reply.restError(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
  }

  private static int batchSize(Request r, int fallback) {
    String options = r.header("Sforce-Query-Options");
    if (options == null) {
      return fallback;
    }
    Matcher m = BATCH_SIZE.matcher(options);
    if (!m.find()) {
      return fallback;
    }
    return (int) Math.max(MIN_BATCH, Math.min(DEFAULT_BATCH, Long.parseLong(m.group(1))));
  }

  private Reply page(QueryCursor cursor, long offset, int batchSize, String v, Instant now) {
    long count = Math.min(batchSize, cursor.total - offset);
    boolean done = offset + count >= cursor.total;
    if (!done && offset == 0) {
      cursors.put(cursor.locator, cursor);
      if (cursors.size() > 1024) {
        purgeExpiredCursors(now);
      }
    }
    byte[] body = FakeJson.write(g -> {
      g.writeStartObject();
      g.writeNumberProperty("totalSize", cursor.total);
      g.writeBooleanProperty("done", done);
      if (!done) {
        g.writeStringProperty("nextRecordsUrl",
            "/services/data/v" + v + "/query/" + cursor.locator + "-" + (offset + count));
      }
      g.writeName("records");
      g.writeStartArray();
      cursor.result.forEach(offset, count, seq -> cursor.result.writeRecord(g, seq, v));
      g.writeEndArray();
      g.writeEndObject();
    });
    return Reply.json(200, body);
  }

  private void purgeExpiredCursors(Instant now) {
    cursors.values().removeIf(c -> !now.isBefore(c.createdAt.plus(settings.cursorLifetime())));
  }
}
