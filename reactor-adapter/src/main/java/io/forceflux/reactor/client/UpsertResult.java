package io.forceflux.reactor.client;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of an upsert by external Id.
 *
 * @param id the record's Id; {@code null} only when Salesforce answered {@code 204 No Content} (API versions
 *     before 46.0 do so for an update), which carries no Id
 * @param created {@code true} when a new record was inserted, {@code false} when an existing one was updated
 */
public record UpsertResult(@Nullable String id, boolean created) {}
