package io.forceflux.reactor;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.Secret;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** {@link TokenStore#inMemory()}: one process, each step atomic under the credential's monitor. */
final class InMemoryTokenStore implements TokenStore {
  private final Map<String, Slot> slots = new ConcurrentHashMap<>();
  private final Duration leaseTtl;
  private final Duration pollInterval;

  InMemoryTokenStore(Duration leaseTtl, Duration pollInterval) {
    this.leaseTtl = leaseTtl;
    this.pollInterval = pollInterval;
  }

  private Slot slot(String credential) {
    return slots.computeIfAbsent(credential, c -> new Slot());
  }

  @Override
  public Mono<Entry> read(String credential) {
    return Mono.fromSupplier(() -> {
      Slot s = slot(credential);
      synchronized (s) {
        return s.entry;
      }
    });
  }

  @Override
  public Mono<Boolean> invalidate(String credential, long version) {
    return Mono.fromSupplier(() -> {
      Slot s = slot(credential);
      synchronized (s) {
        if (s.entry.version() != version || s.entry.token() == null) {
          return false;
        }
        Entry e = s.entry;
        s.entry = new Entry(version, null, e.refreshToken(), e.rotation(), e.restored(), e.presenting());
        return true;
      }
    });
  }

  @Override
  public Mono<Boolean> acquireLease(String credential, String owner) {
    return Mono.fromSupplier(() -> {
      Slot s = slot(credential);
      synchronized (s) {
        if (s.leaseHolder(System.nanoTime()) != null) {
          return false;
        }
        s.owner = owner;
        s.leaseUntil = System.nanoTime() + leaseTtl.toNanos();
        return true;
      }
    });
  }

  @Override
  public Mono<Boolean> renewLease(String credential, String owner) {
    return Mono.fromSupplier(() -> {
      Slot s = slot(credential);
      synchronized (s) {
        if (!owner.equals(s.leaseHolder(System.nanoTime()))) {
          return false;
        }
        s.leaseUntil = System.nanoTime() + leaseTtl.toNanos();
        return true;
      }
    });
  }

  @Override
  public Mono<Void> releaseLease(String credential, String owner) {
    return Mono.fromRunnable(() -> {
      Slot s = slot(credential);
      synchronized (s) {
        if (owner.equals(s.leaseHolder(System.nanoTime()))) {
          s.owner = null;
        }
      }
    });
  }

  @Override
  public Mono<Long> publish(String credential, String owner, long expectedVersion, AccessToken token,
      @Nullable Secret refreshToken, RefreshTokenRotation rotation) {
    return Mono.fromSupplier(() -> {
      Slot s = slot(credential);
      long version;
      synchronized (s) {
        String holder = s.leaseHolder(System.nanoTime());
        if ((holder != null && !holder.equals(owner)) || s.entry.version() != expectedVersion) {
          return 0L;
        }
        version = expectedVersion + 1;
        s.entry = new Entry(version, token, refreshToken != null ? refreshToken : s.entry.refreshToken(),
            rotation != RefreshTokenRotation.DETECT ? rotation : s.entry.rotation());
        s.owner = null;
      }
      s.published.tryEmitNext(version); // outside the monitor: subscribers may run inline
      return version;
    });
  }

  @Override
  public Mono<Boolean> restore(String credential, Entry entry) {
    return Mono.fromSupplier(() -> {
      Slot s = slot(credential);
      synchronized (s) {
        if (s.entry.version() >= entry.version()) {
          return false;
        }
        s.entry = new Entry(entry.version(), entry.token(), entry.refreshToken(), entry.rotation(), true);
      }
      s.published.tryEmitNext(entry.version());
      return true;
    });
  }

  @Override
  public Mono<Boolean> markPresenting(String credential, String owner, long version) {
    return Mono.fromSupplier(() -> {
      Slot s = slot(credential);
      synchronized (s) {
        Entry e = s.entry;
        if (!owner.equals(s.leaseHolder(System.nanoTime())) || e.version() != version
            || (e.presenting() != null && !e.presenting().equals(owner))) {
          return false;
        }
        s.entry = new Entry(e.version(), e.token(), e.refreshToken(), e.rotation(), e.restored(), owner);
        return true;
      }
    });
  }

  @Override
  public Mono<Boolean> clearPresenting(String credential, String owner, long version) {
    return Mono.fromSupplier(() -> {
      Slot s = slot(credential);
      synchronized (s) {
        Entry e = s.entry;
        if (e.version() != version || !owner.equals(e.presenting())) {
          return false;
        }
        s.entry = new Entry(e.version(), e.token(), e.refreshToken(), e.rotation(), e.restored(), null);
        return true;
      }
    });
  }

  @Override
  public Flux<Long> published(String credential) {
    return slot(credential).published.asFlux();
  }

  @Override
  public Duration leaseTtl() {
    return leaseTtl;
  }

  @Override
  public Duration pollInterval() {
    return pollInterval;
  }

  @Override
  public String toString() {
    return "InMemoryTokenStore[credentials=" + slots.size() + "]";
  }

  private static final class Slot {
    Entry entry = Entry.NONE;
    @Nullable String owner;
    long leaseUntil;
    // Serialized sink: two racing emissions lose one notification at worst, which polling covers.
    final Sinks.Many<Long> published = Sinks.many().multicast().directBestEffort();

    @Nullable String leaseHolder(long now) {
      return owner != null && now - leaseUntil < 0 ? owner : null;
    }
  }
}
