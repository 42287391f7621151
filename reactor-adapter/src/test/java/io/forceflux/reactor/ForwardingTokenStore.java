package io.forceflux.reactor;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.Secret;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A {@link TokenStore} that passes every command to another store through {@link #gate}, the one place where the
 * test stores that break a store's reachability decide whether a command fails. Notifications and settings are
 * passed on untouched.
 */
abstract class ForwardingTokenStore implements TokenStore {
  final TokenStore delegate;

  ForwardingTokenStore(TokenStore delegate) {
    this.delegate = delegate;
  }

  /** The command as this store runs it: {@code command} itself, or an error when the store is unreachable. */
  abstract <T> Mono<T> gate(Mono<T> command);

  @Override
  public Mono<Entry> read(String credential) {
    return gate(delegate.read(credential));
  }

  @Override
  public Mono<Boolean> invalidate(String credential, long version) {
    return gate(delegate.invalidate(credential, version));
  }

  @Override
  public Mono<Boolean> acquireLease(String credential, String owner) {
    return gate(delegate.acquireLease(credential, owner));
  }

  @Override
  public Mono<Boolean> renewLease(String credential, String owner) {
    return gate(delegate.renewLease(credential, owner));
  }

  @Override
  public Mono<Void> releaseLease(String credential, String owner) {
    return gate(delegate.releaseLease(credential, owner));
  }

  @Override
  public Mono<Boolean> restore(String credential, Entry entry) {
    return gate(delegate.restore(credential, entry));
  }

  @Override
  public Mono<Long> publish(String credential, String owner, long expectedVersion, AccessToken token,
      @Nullable Secret refreshToken, RefreshTokenRotation rotation) {
    return gate(delegate.publish(credential, owner, expectedVersion, token, refreshToken, rotation));
  }

  @Override
  public Mono<Boolean> markPresenting(String credential, String owner, long version) {
    return gate(delegate.markPresenting(credential, owner, version));
  }

  @Override
  public Mono<Boolean> clearPresenting(String credential, String owner, long version) {
    return gate(delegate.clearPresenting(credential, owner, version));
  }

  @Override
  public Flux<Long> published(String credential) {
    return delegate.published(credential);
  }

  @Override
  public Duration leaseTtl() {
    return delegate.leaseTtl();
  }

  @Override
  public Duration pollInterval() {
    return delegate.pollInterval();
  }
}
