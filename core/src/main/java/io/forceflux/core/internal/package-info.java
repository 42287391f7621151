/**
 * Not API: may change in any release. Public only so that ForceFlux's own modules can use it; applications must
 * not. Small helpers with no dependency on the API packages (origins, XML, redaction), so that the API packages
 * can use them without a package cycle.
 */
@NullMarked
package io.forceflux.core.internal;

import org.jspecify.annotations.NullMarked;
