/**
 * Spring Boot auto-configuration for ForceFlux: a {@code SalesforceClient}, its token source and session recovery
 * filter, a Salesforce-only {@code WebClient}, the Redis token store, meters and a health indicator, all from
 * {@code forceflux.*} properties ({@link io.forceflux.boot.autoconfigure.ForceFluxProperties}).
 */
@NullMarked
package io.forceflux.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
