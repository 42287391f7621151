package io.forceflux.reactor;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.Secret;
import io.lettuce.core.RedisConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A {@link TokenStore} that breaks one replica's view of a real store, as a network fault between that replica
 * and Redis would, while the other replicas keep reaching it. Armed faults start at this replica's next
 * publish (so after its refresh reached the token endpoint) and last a wall-clock window.
 */
final class FaultyStore extends ForwardingTokenStore {
  private volatile boolean armedPublishOnly;
  private volatile boolean armedPartition;
  private volatile Duration window = Duration.ZERO;
  /** When set, every lease renewal answers that the lease is held by someone else. */
  volatile boolean leaseLost;
  private final AtomicLong publishDownUntil = new AtomicLong();
  private final AtomicLong allDownUntil = new AtomicLong();

  FaultyStore(TokenStore delegate) {
    super(delegate);
  }

  /** From the next publish on, every publish fails for {@code window}; the other commands keep working. */
  void failPublishesFromNextPublish(Duration window) {
    this.window = window;
    armedPublishOnly = true;
  }

  /** From the next publish on, every command fails for {@code window}: this replica cannot reach the store. */
  void partitionFromNextPublish(Duration window) {
    this.window = window;
    armedPartition = true;
  }

  /** Whether an armed fault is still running (or has not started). */
  boolean faulty() {
    long now = System.nanoTime();
    return armedPublishOnly || armedPartition || now - publishDownUntil.get() < 0 || now - allDownUntil.get() < 0;
  }

  private boolean down(AtomicLong until) {
    return until.get() != 0 && System.nanoTime() - until.get() < 0;
  }

  @Override
  <T> Mono<T> gate(Mono<T> command) {
    return Mono.defer(() -> down(allDownUntil)
        ? Mono.error(new RedisConnectionException("partitioned (test fault)")) : command);
  }

  @Override
  public Mono<Boolean> renewLease(String credential, String owner) {
    return leaseLost ? Mono.just(false) : super.renewLease(credential, owner);
  }

  @Override
  public Mono<Long> publish(String credential, String owner, long expectedVersion, AccessToken token,
      @Nullable Secret refreshToken, RefreshTokenRotation rotation) {
    return Mono.defer(() -> {
      long now = System.nanoTime();
      if (armedPublishOnly) {
        armedPublishOnly = false;
        publishDownUntil.set(now + window.toNanos());
      }
      if (armedPartition) {
        armedPartition = false;
        allDownUntil.set(now + window.toNanos());
      }
      if (down(publishDownUntil)) {
        return Mono.error(new RedisConnectionException("publish failing (test fault)"));
      }
      return super.publish(credential, owner, expectedVersion, token, refreshToken, rotation);
    });
  }
}
