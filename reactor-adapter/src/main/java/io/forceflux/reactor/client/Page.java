package io.forceflux.reactor.client;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectReader;

/**
 * One page of query results, held as the bytes Salesforce sent and decoded one record at a time.
 *
 * <p>{@link #received} reads only the page's head for the next page's path ({@link #announcedNext}), so that the
 * next page can be requested while this one is checked. {@link #check} (or {@link #parse}, both at once) then
 * makes one streaming pass that checks the whole page before any of its records is used: it must
 * be complete, well-formed JSON with {@code done} and a {@code records} array of objects; a {@code nextRecordsUrl}
 * and every record's {@code attributes.url} must be host-relative paths under {@code /services/data/}. It keeps
 * only the record count and the last record's {@code Id} (no tree, no String of the page). {@link #next} then
 * decodes records lazily with a second parser over the same bytes, so a page costs its raw size plus one record.
 * That second pass is one {@link MappingIterator} per page (one deserialization context for all of its records,
 * not one per record), or, with a {@link RecordDecoder}, one plain parser: neither this class nor the raw path
 * needs an object mapper.
 *
 * <p>Not thread-safe: a page is consumed by one drain loop at a time.
 */
final class Page {
  private final byte[] body;
  private final @Nullable String announcedNext;
  /** Checking a page needs only a streaming parser: no object mapper is set up for it. */
  private static final JsonFactory FACTORY = new JsonFactory();

  // Set by check().
  private boolean checked;
  private int size;
  private @Nullable String nextRecordsUrl;
  private long totalSize = -1;
  private @Nullable String lastId;

  private int taken;
  private @Nullable MappingIterator<?> values;
  private @Nullable JsonParser raw;

  private Page(byte[] body, @Nullable String announcedNext) {
    this.body = body;
    this.announcedNext = announcedNext;
  }

  /** A page as received: not checked yet, only its head read for {@link #announcedNext}. */
  static Page received(byte[] body) {
    return new Page(body, announce(body));
  }

  /**
   * A page, checked and indexed: {@link #received} and {@link #check}.
   *
   * @throws SalesforceException as {@link #check}
   */
  static Page parse(byte[] body) {
    Page page = received(body);
    page.check();
    return page;
  }

  /**
   * The next page's path as the page's head gives it, if the head says {@code "done": false} and then names a
   * trusted {@code nextRecordsUrl}, both before {@code records} (the order Salesforce writes them in); otherwise
   * null. A hint for requesting the next page early, never a verdict: {@link #check} reads the whole page, and
   * its {@link #nextRecordsUrl} is what counts.
   */
  @Nullable String announcedNext() {
    return announcedNext;
  }

  private static @Nullable String announce(byte[] body) {
    try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      boolean notDone = false;
      String name;
      while ((name = p.nextName()) != null) {
        JsonToken value = p.nextToken();
        switch (name) {
          case "done" -> notDone = value == JsonToken.VALUE_FALSE;
          case "nextRecordsUrl" -> {
            String url = value == JsonToken.VALUE_STRING ? p.getString() : null;
            return notDone && url != null && Paths.isTrusted(url) ? url : null;
          }
          case "records" -> {
            return null;
          }
          default -> p.skipChildren();
        }
      }
    } catch (JacksonException e) {
      // The check will say what is wrong.
    }
    return null;
  }

  /**
   * Checks the page and indexes it, once (later calls return at once).
   *
   * @throws SalesforceException {@link FailureCause#MALFORMED_RESPONSE} for anything but a complete query result,
   *     {@link FailureCause#UNTRUSTED_URL} for a {@code nextRecordsUrl} or {@code attributes.url} that could leave
   *     the instance
   */
  void check() {
    if (checked) {
      return;
    }
    Boolean done = null;
    String next = null;
    long total = -1;
    int count = -1;
    IdBuffer id = new IdBuffer();
    try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw malformed("the query response is not a JSON object");
      }
      String name;
      while ((name = p.nextName()) != null) {
        JsonToken value = p.nextToken();
        switch (name) {
          case "done" -> {
            if (!value.isBoolean()) {
              throw malformed("\"done\" is not a boolean");
            }
            done = value == JsonToken.VALUE_TRUE;
          }
          case "nextRecordsUrl" -> {
            if (value == JsonToken.VALUE_STRING) {
              next = p.getString();
            } else if (value != JsonToken.VALUE_NULL) {
              throw malformed("\"nextRecordsUrl\" is not a string");
            }
          }
          case "totalSize" -> {
            if (value == JsonToken.VALUE_NUMBER_INT) {
              total = p.getLongValue();
            } else {
              p.skipChildren();
            }
          }
          case "records" -> {
            if (value != JsonToken.START_ARRAY) {
              throw malformed("\"records\" is not an array");
            }
            count = 0;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
              if (t != JsonToken.START_OBJECT) {
                throw malformed("a record is not a JSON object");
              }
              count++;
              scanRecord(p, id);
            }
          }
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw malformed("the query response has content after its end");
      }
    } catch (JacksonException e) {
      throw SalesforceException.of(FailureCause.MALFORMED_RESPONSE,
          "the query response is not complete, well-formed JSON (" + e.getClass().getSimpleName() + " in "
              + body.length + " bytes)");
    }
    if (done == null || count < 0) {
      throw malformed("the query response lacks \"done\" or \"records\"");
    }
    if (done) {
      next = null;
    } else if (next == null) {
      throw malformed("the query response is not done but has no nextRecordsUrl");
    } else if (!Paths.isTrusted(next)) {
      throw Paths.untrusted("nextRecordsUrl", next);
    }
    size = count;
    nextRecordsUrl = next;
    totalSize = total;
    lastId = count > 0 ? id.string() : null;
    checked = true;
  }

  /**
   * Reads one record's top-level fields: its Id, copied into {@code id} (reused across records: only the last
   * record's becomes a String), and its attributes.url, checked in the parser's buffer. The parser ends on the
   * record's end.
   */
  private static void scanRecord(JsonParser p, IdBuffer id) {
    id.length = -1;
    String name;
    while ((name = p.nextName()) != null) {
      JsonToken value = p.nextToken();
      if (value == JsonToken.VALUE_STRING && name.equalsIgnoreCase("Id")) {
        id.copy(p);
      } else if (value == JsonToken.START_OBJECT && name.equals("attributes")) {
        String attribute;
        while ((attribute = p.nextName()) != null) {
          if (p.nextToken() == JsonToken.VALUE_STRING && attribute.equals("url")) {
            if (!Paths.isTrusted(p.getStringCharacters(), p.getStringOffset(), p.getStringLength())) {
              throw Paths.untrusted("a record's attributes.url", p.getString());
            }
          } else {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
  }

  /** The last Id seen, as characters; {@code length} -1 when the record had none. */
  private static final class IdBuffer {
    char[] chars = new char[18];
    int length = -1;

    void copy(JsonParser p) {
      int len = p.getStringLength();
      if (chars.length < len) {
        chars = new char[len];
      }
      System.arraycopy(p.getStringCharacters(), p.getStringOffset(), chars, 0, len);
      length = len;
    }

    @Nullable String string() {
      return length < 0 ? null : new String(chars, 0, length);
    }
  }

  private static SalesforceException malformed(String what) {
    return Rest.malformed(what, null);
  }

  /** Records in this page. */
  int size() {
    return size;
  }

  /** Records not yet taken. */
  int remaining() {
    return size - taken;
  }

  /** Records already taken. */
  int taken() {
    return taken;
  }

  /** The next page's path, or null on the last page. Already checked by {@link #parse}. */
  @Nullable String nextRecordsUrl() {
    return nextRecordsUrl;
  }

  /** {@code totalSize} as reported, or -1. */
  long totalSize() {
    return totalSize;
  }

  /** The {@code Id} of the page's last record, or null if it has none (or the page is empty). */
  @Nullable String lastId() {
    return lastId;
  }

  /**
   * Decodes the next record.
   *
   * @return null when the page is exhausted
   * @throws SalesforceException {@link FailureCause#MALFORMED_RESPONSE} if a record does not bind to the type
   */
  <T> @Nullable T next(Decoding<T> decoding) {
    if (taken >= size) {
      close();
      return null;
    }
    try {
      T value = decoding instanceof Decoding.Raw<T> r ? nextRaw(r.decoder()) : nextBound((Decoding.Bound<T>) decoding);
      taken++;
      if (taken == size) {
        close();
      }
      return value;
    } catch (JacksonException e) {
      int failed = taken + 1;
      close();
      // The message may quote field values: keep it out of ours, the type is enough to act on.
      throw SalesforceException.of(FailureCause.MALFORMED_RESPONSE, "record " + failed + " of a page could "
          + "not be decoded " + decoding.describe() + " (" + e.getClass().getSimpleName() + ")");
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @SuppressWarnings("unchecked")
  private <T> T nextBound(Decoding.Bound<T> bound) {
    MappingIterator<?> it = values;
    if (it == null) {
      it = bound.reader().readValues(open(bound.reader().createParser(body)));
      values = it;
    }
    if (!it.hasNextValue()) {
      throw malformed("the query response changed between reads");
    }
    return (T) it.nextValue();
  }

  private <T> T nextRaw(RecordDecoder<T> decoder) {
    JsonParser p = raw;
    if (p == null) {
      p = open(FACTORY.createParser(ObjectReadContext.empty(), body));
      raw = p;
    } else if (p.nextToken() != JsonToken.START_OBJECT) {
      throw malformed("the query response changed between reads");
    }
    int depth = p.streamReadContext().getNestingDepth();
    T value = decoder.decode(p);
    if (p.currentToken() != JsonToken.END_OBJECT || p.streamReadContext().getNestingDepth() != depth - 1) {
      throw new IllegalStateException("a RecordDecoder must return on its record's END_OBJECT");
    }
    return value;
  }

  /**
   * {@code p} moved onto the first record (a page that is read has one): an iterator then reads the array's
   * elements and stops at its end.
   */
  private JsonParser open(JsonParser p) {
    p.nextToken();
    String name;
    while ((name = p.nextName()) != null) {
      JsonToken value = p.nextToken();
      if (name.equals("records") && value == JsonToken.START_ARRAY) {
        if (p.nextToken() == JsonToken.START_OBJECT) {
          return p;
        }
        break;
      }
      p.skipChildren();
    }
    p.close();
    throw malformed("the query response changed between reads");
  }

  /** Releases the parser; the page is then unusable. */
  void close() {
    MappingIterator<?> it = values;
    if (it != null) {
      values = null;
      it.close(); // closes its parser
    }
    JsonParser p = raw;
    if (p != null) {
      raw = null;
      p.close();
    }
    taken = size;
  }

  /** How records become values: bound by an object reader, or by a {@link RecordDecoder} from the parser. */
  sealed interface Decoding<T> {
    static <T> Decoding<T> bound(ObjectReader reader) {
      return new Bound<>(reader);
    }

    static <T> Decoding<T> raw(RecordDecoder<T> decoder) {
      return new Raw<>(decoder);
    }

    /** For error messages: what the record could not be decoded as. */
    String describe();

    record Bound<T>(ObjectReader reader) implements Decoding<T> {
      @Override
      public String describe() {
        return "as " + reader.getValueType().getRawClass().getSimpleName();
      }
    }

    record Raw<T>(RecordDecoder<T> decoder) implements Decoding<T> {
      @Override
      public String describe() {
        return "by the record decoder";
      }
    }
  }
}
