/**
 * A {@link io.forceflux.reactor.TokenStore} in Redis, for a fleet of processes sharing one credential:
 * {@link io.forceflux.reactor.redis.RedisTokenStore}. Needs Lettuce ({@code io.lettuce:lettuce-core}), an optional
 * dependency of this module; nothing outside this package touches it.
 */
@NullMarked
package io.forceflux.reactor.redis;

import org.jspecify.annotations.NullMarked;
