/**
 * The value types of {@link io.forceflux.reactor.client.SalesforceClient} ({@link io.forceflux.reactor.client.Query},
 * {@link io.forceflux.reactor.client.SaveResult}, {@link io.forceflux.reactor.client.Limits}, …) and its
 * package-private machinery: demand-driven query paging, incremental record decoding, keyset resumption.
 */
@NullMarked
package io.forceflux.reactor.client;

import org.jspecify.annotations.NullMarked;
