/**
 * What a fleet of processes sharing one credential keeps in Redis: the tokens
 * ({@link io.forceflux.reactor.redis.RedisTokenStore}, a {@link io.forceflux.reactor.TokenStore}) and the API usage
 * count behind a fleet-wide governor reserve ({@link io.forceflux.reactor.redis.RedisApiUsage}). Needs Lettuce
 * ({@code io.lettuce:lettuce-core}), an optional dependency of this module; nothing outside this package touches it.
 */
@NullMarked
package io.forceflux.reactor.redis;

import org.jspecify.annotations.NullMarked;
