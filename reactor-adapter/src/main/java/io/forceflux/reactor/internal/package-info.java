/**
 * Not API: helpers shared by this module's packages (they are public only because Java has no module-wide
 * visibility short of JPMS). Nothing here is stable; do not use it from outside ForceFlux.
 */
@NullMarked
package io.forceflux.reactor.internal;

import org.jspecify.annotations.NullMarked;
