package io.forceflux.reactor.client;

import tools.jackson.core.JsonParser;

/**
 * Turns one query record into a value straight from the page's parser: no object mapper, no tree per record. For
 * callers that copy or pick fields themselves, such as a command that writes records to its output as they come.
 * Use it with {@link SalesforceClient#query(Query, RecordDecoder)}.
 *
 * <p>Called with the parser on the record's {@code START_OBJECT}; it must return with the parser on that object's
 * {@code END_OBJECT} (read every property, or call {@link JsonParser#skipChildren()}). The record is as Salesforce
 * sent it, {@code attributes} included. It runs on whichever thread drains the query (an event loop, or the
 * subscriber's thread when it requests), one record at a time: it must not block. A {@code JacksonException} it
 * throws fails the query with {@code MALFORMED_RESPONSE}; any other exception fails it as is.
 *
 * @param <T> the value of one record
 */
@FunctionalInterface
public interface RecordDecoder<T> {
  /** The value of the record the parser is on. */
  T decode(JsonParser record);
}
