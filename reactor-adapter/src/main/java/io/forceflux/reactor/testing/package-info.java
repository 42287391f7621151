/**
 * Wiring ForceFlux clients to an in-process fake Salesforce org ({@code forceflux-testkit}), for tests,
 * benchmarks and demos. The testkit is an optional dependency of this module: add
 * {@code io.forceflux:forceflux-testkit} (test scope, usually) to use this package.
 */
@NullMarked
package io.forceflux.reactor.testing;

import org.jspecify.annotations.NullMarked;
