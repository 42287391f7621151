/**
 * Micrometer meters for session events ({@link io.forceflux.reactor.micrometer.MicrometerSessionListener}) and the
 * API governor ({@link io.forceflux.reactor.micrometer.ApiGovernorMetrics}). Needs Micrometer
 * ({@code io.micrometer:micrometer-core}), an optional dependency of this module; nothing outside this package
 * touches it.
 */
@NullMarked
package io.forceflux.reactor.micrometer;

import org.jspecify.annotations.NullMarked;
