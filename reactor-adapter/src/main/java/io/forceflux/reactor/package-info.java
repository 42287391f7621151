/**
 * Sessions: token sources ({@link io.forceflux.reactor.CachingTokenSource}), token stores shared by token sources
 * ({@link io.forceflux.reactor.TokenStore}) and the session recovery filter
 * ({@link io.forceflux.reactor.SessionRecoveryFilter}) that replays a request after its session died. The client
 * built on them is in {@code io.forceflux.reactor.client}; this package does not depend on it.
 */
@NullMarked
package io.forceflux.reactor;

import org.jspecify.annotations.NullMarked;
