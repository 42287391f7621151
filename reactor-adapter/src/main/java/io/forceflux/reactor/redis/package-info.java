/**
 * Redis-backed sharing between the processes of a fleet: the API usage count behind a fleet-wide governor
 * reserve.
 */
@NullMarked
package io.forceflux.reactor.redis;

import org.jspecify.annotations.NullMarked;
