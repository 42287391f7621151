/**
 * The Salesforce REST client: {@link io.forceflux.reactor.client.SalesforceClient} and its builder, and the value
 * types its calls take and return ({@link io.forceflux.reactor.client.Query},
 * {@link io.forceflux.reactor.client.SaveResult}, {@link io.forceflux.reactor.client.Limits}, the Composite and
 * sObject Tree requests and results, …). Everything else here is package-private machinery: the implementation,
 * demand-driven query paging, incremental record decoding, keyset resumption.
 */
@NullMarked
package io.forceflux.reactor.client;

import org.jspecify.annotations.NullMarked;
