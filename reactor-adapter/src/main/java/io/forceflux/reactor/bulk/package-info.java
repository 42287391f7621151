/**
 * Bulk API 2.0: ingest and query jobs that outlive any session, as backpressured {@code Flux}es. Start with
 * {@link io.forceflux.reactor.client.SalesforceClient#bulk()}.
 */
@NullMarked
package io.forceflux.reactor.bulk;

import org.jspecify.annotations.NullMarked;
