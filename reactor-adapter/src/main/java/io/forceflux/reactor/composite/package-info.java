/**
 * Typed requests and results for Salesforce's Composite resources: {@link io.forceflux.reactor.composite
 * .CompositeRequest} (up to 25 subrequests in one API call, with references between them) and
 * {@link io.forceflux.reactor.composite.BatchRequest} (independent subrequests, one API call each). Send them with
 * {@code SalesforceClient.composite(...)} and {@code SalesforceClient.batch(...)}.
 */
@NullMarked
package io.forceflux.reactor.composite;

import org.jspecify.annotations.NullMarked;
