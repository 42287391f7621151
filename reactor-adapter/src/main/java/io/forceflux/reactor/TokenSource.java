package io.forceflux.reactor;

import io.forceflux.core.auth.AccessToken;
import reactor.core.publisher.Mono;

/**
 * Where requests get their access token.
 *
 * <p>{@link #token()} is cheap on a cache hit (no I/O, no lock) and, when a token has to be obtained,
 * shares one token request among every caller waiting for it. {@link #invalidate(AccessToken)} is
 * compare-and-invalidate: it discards the cached token only if it is still the one that was rejected,
 * so a late rejection of an old token never throws away a newer one.
 */
public interface TokenSource {
  /**
   * The current token. The returned {@code Mono} is lazy and may be subscribed more than once: each
   * subscription gets the token that is current then. It signals a
   * {@link io.forceflux.core.error.SalesforceException} when no token can be obtained.
   */
  Mono<AccessToken> token();

  /**
   * Reports that Salesforce rejected {@code rejected} ({@code INVALID_SESSION_ID}). Does nothing if the
   * source already moved on to another token. Never blocks, never throws.
   */
  void invalidate(AccessToken rejected);
}
