/** A Spring Boot WebFlux service on ForceFlux's starter: Salesforce Accounts over HTTP, configured by properties. */
@NullMarked
package io.forceflux.examples.webflux;

import org.jspecify.annotations.NullMarked;
