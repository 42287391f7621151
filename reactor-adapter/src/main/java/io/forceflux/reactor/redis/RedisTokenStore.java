package io.forceflux.reactor.redis;

import static io.forceflux.core.internal.Checks.check;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.Secret;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.reactor.RefreshTokenRotation;
import io.forceflux.reactor.TokenStore;
import io.forceflux.reactor.redis.RedisConnections.Value;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A {@link TokenStore} on Redis, through Lettuce's reactive API (Lettuce is an optional dependency: add
 * {@code io.lettuce:lettuce-core} to use this class).
 *
 * <pre>{@code
 * RedisTokenStore store = RedisTokenStore.builder("redis://redis.internal:6379")
 *     .encryptionKey(System.getenv("FORCEFLUX_STORE_KEY"))   // Base64 of 16 or 32 random bytes
 *     .build();
 * CachingTokenSource tokens = CachingTokenSource.builder(grant).tokenStore(store).build();
 * }</pre>
 *
 * <p>Per credential it keeps, under {@code SHA-256(credentialKey)} so no credential detail is readable in
 * key names, a hash {@code <prefix>:{<sha>}:token} with fields {@code ver}, {@code tok} (the access token),
 * {@code rt} (the newest refresh token) and {@code rot} ({@code r} rotating, {@code s} static, absent when not
 * known), {@code rs} (present while the version is a restored one) and {@code pv}/{@code po} (the version whose
 * refresh token is {@linkplain #markPresenting being presented} and the lease owner presenting it; the entry is
 * marked only while {@code pv} equals the stored version, so an entry written before marks existed reads unmarked),
 * a lease {@code <prefix>:{<sha>}:lease} (the holder's id, set with {@code SET NX PX}) and a channel
 * {@code <prefix>:{<sha>}:published}. The hash tag keeps them on one
 * Redis Cluster slot. Compare-and-invalidate, lease renewal and release, publishing (check lease owner
 * and version, write token, refresh token and a new version, drop the mark, delete the lease, {@code PUBLISH}) and
 * marking are Lua scripts, so each is atomic. Versions start from Redis {@code TIME} in microseconds, so a Redis that lost
 * its data still hands out versions newer than any seen before; a process that knew a newer entry than a
 * restarted Redis holds {@linkplain #restore restores} it under its own version.
 *
 * <p>With an {@linkplain Builder#encryptionKey(byte[]) encryption key}, token and refresh token are sealed
 * with AES-GCM (random 96-bit nonce per write, bound to their key and field); without one they are
 * stored in clear, and Redis must be trusted like the secrets themselves. An entry this store cannot open
 * (another key, a corrupted or foreign value) is read as an error with
 * {@link FailureCause#TOKEN_STORE_UNREADABLE}, never as "nothing stored".
 *
 * <p>Every command is bounded by the {@linkplain Builder#commandTimeout(Duration) command timeout}; while
 * Redis is unreachable, commands fail at once (Lettuce reconnects in the background), and token sources
 * wait for it, or refresh on their own if the refresh token does not rotate (see {@link RefreshTokenRotation}). Keys, tokens and the Redis URI are never logged or shown by {@link #toString()}.
 * Thread-safe; {@link #close()} it at shutdown.
 */
public final class RedisTokenStore implements TokenStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisTokenStore.class);
  private static final String PLAIN = "0:";

  /** KEYS: token hash. ARGV: version. Drops the token only if that version is still stored. */
  static final String INVALIDATE = """
      if redis.call('HGET', KEYS[1], 'ver') == ARGV[1] then
        return redis.call('HDEL', KEYS[1], 'tok')
      end
      return 0
      """;

  /** KEYS: lease. ARGV: owner, ttl ms. */
  static final String RENEW = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        return redis.call('PEXPIRE', KEYS[1], ARGV[2])
      end
      return 0
      """;

  /** KEYS: lease. ARGV: owner. */
  static final String RELEASE = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        return redis.call('DEL', KEYS[1])
      end
      return 0
      """;

  /**
   * KEYS: token hash, lease. ARGV: owner, expected version ('0' = nothing stored), sealed token, sealed
   * refresh token ('' = keep), channel, rotation ('' = keep). Returns the new version, or 0 when fenced off.
   */
  static final String PUBLISH = """
      local holder = redis.call('GET', KEYS[2])
      if holder and holder ~= ARGV[1] then return 0 end
      local current = redis.call('HGET', KEYS[1], 'ver')
      if (current or '0') ~= ARGV[2] then return 0 end
      local version
      if current then
        version = string.format('%d', redis.call('HINCRBY', KEYS[1], 'ver', 1))
      else
        local t = redis.call('TIME')
        version = string.format('%d', tonumber(t[1]) * 1000000 + tonumber(t[2]))
        redis.call('HSET', KEYS[1], 'ver', version)
      end
      redis.call('HSET', KEYS[1], 'tok', ARGV[3])
      if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'rt', ARGV[4]) end
      if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'rot', ARGV[6]) end
      redis.call('HDEL', KEYS[1], 'rs', 'pv', 'po')
      if holder then redis.call('DEL', KEYS[2]) end
      redis.call('PUBLISH', ARGV[5], version)
      return tonumber(version)
      """;

  /**
   * KEYS: token hash. ARGV: version, sealed token, sealed refresh token, rotation ('' = none), channel. Writes
   * the whole entry only over an older one (or none); returns 1 if it wrote.
   */
  static final String RESTORE = """
      local current = redis.call('HGET', KEYS[1], 'ver')
      if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
      redis.call('DEL', KEYS[1])
      redis.call('HSET', KEYS[1], 'ver', ARGV[1], 'rs', '1')
      if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'tok', ARGV[2]) end
      if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'rt', ARGV[3]) end
      if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'rot', ARGV[4]) end
      redis.call('PUBLISH', ARGV[5], ARGV[1])
      return 1
      """;

  /**
   * KEYS: token hash, lease. ARGV: owner, version ('0' = nothing stored). Marks the version's refresh token as being
   * presented by the lease owner, unless another owner's mark is there; returns 1 if marked (or already by owner).
   */
  static final String MARK = """
      if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
      if (redis.call('HGET', KEYS[1], 'ver') or '0') ~= ARGV[2] then return 0 end
      local marked = redis.call('HMGET', KEYS[1], 'pv', 'po')
      if marked[1] == ARGV[2] and marked[2] and marked[2] ~= ARGV[1] then return 0 end
      redis.call('HSET', KEYS[1], 'pv', ARGV[2], 'po', ARGV[1])
      return 1
      """;

  /** KEYS: token hash. ARGV: owner, version. Removes the owner's mark on that version; returns 1 if it did. */
  static final String CLEAR_MARK = """
      local marked = redis.call('HMGET', KEYS[1], 'pv', 'po')
      if marked[1] == ARGV[2] and marked[2] == ARGV[1] then
        return redis.call('HDEL', KEYS[1], 'pv', 'po')
      end
      return 0
      """;

  private final String prefix;
  private final Duration leaseTtl;
  private final Duration pollInterval;
  private final @Nullable TokenCipher cipher;
  private final RedisConnections redis;
  private final Map<String, Keys> keys = new ConcurrentHashMap<>();
  private final AtomicBoolean unreadableLogged = new AtomicBoolean();

  private RedisTokenStore(Builder b, RedisURI uri) {
    this.prefix = b.keyPrefix;
    this.leaseTtl = b.leaseTtl;
    this.pollInterval = b.pollInterval;
    this.cipher = b.encryptionKey == null ? null : new TokenCipher(b.encryptionKey);
    this.redis = new RedisConnections(uri, b.commandTimeout, b.connectTimeout);
  }

  /**
   * A builder for a store on the Redis at {@code redisUri}: {@code redis://[password@]host[:port][/db]},
   * {@code rediss://…} for TLS, as Lettuce's {@code RedisURI} reads it.
   */
  public static Builder builder(String redisUri) {
    return new Builder(redisUri);
  }

  @Override
  public Mono<Entry> read(String credential) {
    Keys k = keys(credential);
    return redis.run(r -> r.hmget(k.token, "ver", "tok", "rt", "rot", "rs", "pv", "po").collectList()).map(values -> entry(k, values));
  }

  @Override
  public Mono<Boolean> invalidate(String credential, long version) {
    Keys k = keys(credential);
    return redis.script(INVALIDATE, new String[] {k.token}, Long.toString(version)).map(n -> n > 0);
  }

  @Override
  public Mono<Boolean> acquireLease(String credential, String owner) {
    Keys k = keys(credential);
    return redis.run(r -> r.set(k.lease, new Value(owner), SetArgs.Builder.nx().px(leaseTtl.toMillis())))
        .map("OK"::equals)
        .defaultIfEmpty(false);
  }

  @Override
  public Mono<Boolean> renewLease(String credential, String owner) {
    Keys k = keys(credential);
    return redis.script(RENEW, new String[] {k.lease}, owner, Long.toString(leaseTtl.toMillis())).map(n -> n > 0);
  }

  @Override
  public Mono<Void> releaseLease(String credential, String owner) {
    Keys k = keys(credential);
    return redis.script(RELEASE, new String[] {k.lease}, owner).then();
  }

  @Override
  public Mono<Long> publish(String credential, String owner, long expectedVersion, AccessToken token,
      @Nullable Secret refreshToken, RefreshTokenRotation rotation) {
    Keys k = keys(credential);
    return Mono.defer(() -> {
      String sealedToken = seal(TokenCodec.encode(token), "tok", k);
      String sealedRefresh = refreshToken == null ? "" : seal(refreshToken.reveal(), "rt", k);
      return redis.script(PUBLISH, new String[] {k.token, k.lease}, owner, Long.toString(expectedVersion), sealedToken,
          sealedRefresh, k.channel, rotationField(rotation));
    });
  }

  @Override
  public Mono<Boolean> restore(String credential, Entry entry) {
    Keys k = keys(credential);
    return Mono.defer(() -> {
      AccessToken token = entry.token();
      Secret refreshToken = entry.refreshToken();
      String sealedToken = token == null ? "" : seal(TokenCodec.encode(token), "tok", k);
      String sealedRefresh = refreshToken == null ? "" : seal(refreshToken.reveal(), "rt", k);
      return redis.script(RESTORE, new String[] {k.token}, Long.toString(entry.version()), sealedToken, sealedRefresh,
          rotationField(entry.rotation()), k.channel);
    }).map(n -> n > 0);
  }

  @Override
  public Mono<Boolean> markPresenting(String credential, String owner, long version) {
    Keys k = keys(credential);
    return redis.script(MARK, new String[] {k.token, k.lease}, owner, Long.toString(version)).map(n -> n > 0);
  }

  @Override
  public Mono<Boolean> clearPresenting(String credential, String owner, long version) {
    Keys k = keys(credential);
    return redis.script(CLEAR_MARK, new String[] {k.token}, owner, Long.toString(version)).map(n -> n > 0);
  }

  private static String rotationField(RefreshTokenRotation rotation) {
    return switch (rotation) {
      case ROTATING -> "r";
      case STATIC -> "s";
      case DETECT -> "";
    };
  }

  @Override
  public Flux<Long> published(String credential) {
    return redis.messages(keys(credential).channel)
        .handle((String message, reactor.core.publisher.SynchronousSink<Long> sink) -> {
          try {
            sink.next(Long.parseLong(message));
          } catch (NumberFormatException e) {
            // not one of ours: ignore
          }
        });
  }

  /** Every activation of either connection (commands or notifications), including after Lettuce reconnected. */
  @Override
  public Flux<Long> connected() {
    return redis.connected();
  }

  @Override
  public Duration leaseTtl() {
    return leaseTtl;
  }

  @Override
  public Duration pollInterval() {
    return pollInterval;
  }

  /**
   * Closes the connections (through the client's shutdown, which closes every connection it opened) and the
   * client's threads. Blocks up to ~2 s: call it at shutdown, not on an event loop.
   */
  @Override
  public void close() {
    redis.close();
  }

  @Override
  public String toString() {
    return "RedisTokenStore[prefix=" + prefix + ", leaseTtl=" + leaseTtl + ", encrypted=" + (cipher != null) + "]";
  }

  /** The entry, or a typed error when any part of it cannot be read: never "nothing stored" for a bad value. */
  private Entry entry(Keys k, List<KeyValue<String, Value>> values) {
    String ver = value(values, 0);
    String tok = value(values, 1);
    String rt = value(values, 2);
    String rot = value(values, 3);
    // Marked only for the stored version: a publish by a process that predates marks leaves a stale one behind.
    String markedVersion = value(values, 5);
    String presenting = markedVersion != null && markedVersion.equals(ver == null ? "0" : ver) ? value(values, 6) : null;
    if (ver == null) {
      if (tok != null || rt != null) {
        throw unreadable("no version");
      }
      return presenting == null ? Entry.NONE
          : new Entry(0, null, null, RefreshTokenRotation.DETECT, false, presenting);
    }
    long version;
    try {
      version = Long.parseLong(ver);
    } catch (NumberFormatException e) {
      throw unreadable("malformed version");
    }
    AccessToken token = null;
    if (tok != null) {
      String json = open(tok, "tok", k);
      token = json == null ? null : TokenCodec.decode(json);
      if (token == null) {
        throw unreadable("access token");
      }
    }
    Secret refresh = null;
    if (rt != null) {
      String value = open(rt, "rt", k);
      if (value == null || value.isEmpty()) {
        throw unreadable("refresh token");
      }
      refresh = Secret.of(value);
    }
    RefreshTokenRotation rotation = "r".equals(rot) ? RefreshTokenRotation.ROTATING
        : "s".equals(rot) ? RefreshTokenRotation.STATIC : RefreshTokenRotation.DETECT;
    return new Entry(version, token, refresh, rotation, value(values, 4) != null, presenting);
  }

  private static @Nullable String value(List<KeyValue<String, Value>> values, int i) {
    return values.size() > i && values.get(i).hasValue() ? values.get(i).getValue().text : null;
  }

  private SalesforceException unreadable(String part) {
    if (unreadableLogged.compareAndSet(false, true)) {
      LOG.error("a shared token entry could not be read ({}): another encryption key or a corrupted value; "
          + "token requests for it fail until every process has the same key", part);
    }
    return SalesforceException.of(FailureCause.TOKEN_STORE_UNREADABLE, "the shared token store's entry could not "
        + "be read (" + part + ": " + (cipher == null ? "no encryption key configured" : "encryption key mismatch")
        + " or a corrupted value)");
  }

  private String seal(String plaintext, String field, Keys k) {
    return cipher == null ? PLAIN + plaintext : cipher.seal(plaintext, "forceflux|" + field + "|" + k.hash);
  }

  private @Nullable String open(String stored, String field, Keys k) {
    if (cipher != null) {
      return cipher.open(stored, "forceflux|" + field + "|" + k.hash);
    }
    return stored.startsWith(PLAIN) ? stored.substring(PLAIN.length()) : null;
  }

  private Keys keys(String credential) {
    return keys.computeIfAbsent(credential, c -> {
      String hash = sha256(c);
      String base = prefix + ":{" + hash + "}:";
      return new Keys(hash, base + "token", base + "lease", base + "published");
    });
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** The Redis names of one credential's entry. */
  private record Keys(String hash, String token, String lease, String channel) {}

  /**
   * Builds a {@link RedisTokenStore}. Every option has a default; invalid values fail in {@link #build()}
   * (or in the setter, for a malformed key).
   */
  public static final class Builder {
    private final String redisUri;
    private String keyPrefix = "forceflux";
    private Duration leaseTtl = Duration.ofSeconds(10);
    private Duration pollInterval = Duration.ofMillis(200);
    private Duration commandTimeout = Duration.ofSeconds(1);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private byte @Nullable [] encryptionKey;

    private Builder(String redisUri) {
      this.redisUri = Objects.requireNonNull(redisUri, "redisUri");
    }

    /** Prefix of every key and channel, to share a Redis between applications. Default {@code forceflux}. */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
      return this;
    }

    /**
     * How long a refresh lease lasts unless its holder renews it (holders renew every third of it while
     * they refresh): the longest a holder that died can keep the others waiting. Default 10 s; range
     * 100 ms..5 min.
     */
    public Builder leaseTtl(Duration leaseTtl) {
      this.leaseTtl = Objects.requireNonNull(leaseTtl, "leaseTtl");
      return this;
    }

    /**
     * How often a token source waiting for another's refresh re-reads Redis when no notification arrives.
     * Default 200 ms; range 10 ms..5 s, and less than the lease TTL.
     */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
      return this;
    }

    /**
     * Bound of every Redis command; past it, the command counts as failed. Default 1 s; range
     * 10 ms..1 min.
     */
    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
      return this;
    }

    /**
     * Bound of connecting (and reconnecting) to Redis, handshake included. Default 5 s; range 10 ms..1 min.
     * A refused connection fails at once; this bounds an unreachable host.
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
      return this;
    }

    /**
     * Encrypts token and refresh token with AES-GCM under this 128- or 256-bit key (16 or 32 bytes; the
     * array is copied). Default: no encryption. Every process sharing the store needs the same key.
     *
     * @throws IllegalArgumentException if the key is not 16 or 32 bytes long
     */
    public Builder encryptionKey(byte[] key) {
      Objects.requireNonNull(key, "key");
      if (key.length != 16 && key.length != 32) {
        throw new IllegalArgumentException("encryptionKey must be 16 or 32 bytes, not " + key.length);
      }
      this.encryptionKey = key.clone();
      return this;
    }

    /**
     * {@link #encryptionKey(byte[])} from its Base64 form (standard alphabet, e.g. {@code openssl rand
     * -base64 32}).
     *
     * @throws IllegalArgumentException if it is not Base64 of 16 or 32 bytes (the message never quotes it)
     */
    public Builder encryptionKey(String base64Key) {
      Objects.requireNonNull(base64Key, "base64Key");
      byte[] key;
      try {
        key = Base64.getDecoder().decode(base64Key.strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("encryptionKey is not valid Base64");
      }
      return encryptionKey(key);
    }

    /**
     * Validates and builds, and starts connecting in the background; an unreachable Redis only makes token
     * sources wait for it (or, for a static refresh token, refresh on their own) until it is reachable.
     *
     * @throws IllegalArgumentException naming the option that is invalid
     */
    public RedisTokenStore build() {
      RedisURI uri;
      try {
        uri = RedisURI.create(redisUri);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("redisUri is not a Redis URI (redis://host:port)");
      }
      check(!keyPrefix.isBlank() && keyPrefix.indexOf('{') < 0 && keyPrefix.indexOf('}') < 0, "keyPrefix",
          keyPrefix);
      check(leaseTtl.compareTo(Duration.ofMillis(100)) >= 0 && leaseTtl.compareTo(Duration.ofMinutes(5)) <= 0,
          "leaseTtl", leaseTtl);
      check(pollInterval.compareTo(Duration.ofMillis(10)) >= 0 && pollInterval.compareTo(Duration.ofSeconds(5)) <= 0
          && pollInterval.compareTo(leaseTtl) < 0, "pollInterval", pollInterval);
      check(commandTimeout.compareTo(Duration.ofMillis(10)) >= 0 && commandTimeout.compareTo(Duration.ofMinutes(1)) <= 0,
          "commandTimeout", commandTimeout);
      check(connectTimeout.compareTo(Duration.ofMillis(10)) >= 0 && connectTimeout.compareTo(Duration.ofMinutes(1)) <= 0,
          "connectTimeout", connectTimeout);
      return new RedisTokenStore(this, uri);
    }
  }
}
