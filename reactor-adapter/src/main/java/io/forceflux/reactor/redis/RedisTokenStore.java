package io.forceflux.reactor.redis;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.Secret;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.reactor.RefreshTokenRotation;
import io.forceflux.reactor.TokenStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

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
 * known) and {@code rs} (present while the version is a restored one), a lease {@code <prefix>:{<sha>}:lease} (the holder's id, set
 * with {@code SET NX PX}) and a channel {@code <prefix>:{<sha>}:published}. The hash tag keeps them on one
 * Redis Cluster slot. Compare-and-invalidate, lease renewal and release, and publishing (check lease owner
 * and version, write token, refresh token and a new version, delete the lease, {@code PUBLISH}) are Lua
 * scripts, so each is atomic. Versions start from Redis {@code TIME} in microseconds, so a Redis that lost
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
      redis.call('HDEL', KEYS[1], 'rs')
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

  private final RedisClient client;
  private final ClientResources resources;
  private final RedisURI uri;
  private final String prefix;
  private final Duration leaseTtl;
  private final Duration pollInterval;
  private final Duration commandTimeout;
  private final Duration connectTimeout;
  private final @Nullable TokenCipher cipher;
  private final Scheduler timer = Schedulers.parallel();
  /** Where commands are sent from: Lettuce's endpoint lock is never taken on a Reactor Netty event loop. */
  private final Scheduler dispatch = Schedulers.boundedElastic();
  private final Connector<StatefulRedisConnection<String, Value>> commands;
  private final Connector<StatefulRedisPubSubConnection<String, Value>> pubSub;
  private final Sinks.Many<Message> messages = Sinks.many().multicast().directBestEffort();
  private final Map<String, Mono<Void>> subscriptions = new ConcurrentHashMap<>();
  private final Map<String, Keys> keys = new ConcurrentHashMap<>();
  private final AtomicBoolean unreadableLogged = new AtomicBoolean();

  private RedisTokenStore(Builder b, RedisURI uri) {
    this.uri = uri;
    this.prefix = b.keyPrefix;
    this.leaseTtl = b.leaseTtl;
    this.pollInterval = b.pollInterval;
    this.commandTimeout = b.commandTimeout;
    this.connectTimeout = b.connectTimeout;
    this.cipher = b.encryptionKey == null ? null : new TokenCipher(b.encryptionKey);
    // Reconnect quickly once Redis is back (the default backs off to 30 s): sharing resumes within ~1 s.
    this.resources = ClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(2)
        .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build();
    this.client = RedisClient.create(resources);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .publishOnScheduler(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
        .build());
    this.commands = new Connector<>(() -> client.connectAsync(Value.CODEC, uri));
    this.pubSub = new Connector<>(() -> client.connectPubSubAsync(Value.CODEC, uri).thenApply(c -> {
      c.addListener(new RedisPubSubAdapter<>() {
        @Override
        public void message(String channel, Value message) {
          messages.tryEmitNext(new Message(channel, message.text));
        }
      });
      return c;
    }));
    // Connect in the background now, so the first refresh does not pay for it; a failure is forgotten.
    commands.get().subscribe(c -> { }, e -> { });
    pubSub.get().subscribe(c -> { }, e -> { });
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
    return run(redis -> redis.hmget(k.token, "ver", "tok", "rt", "rot", "rs").collectList()).map(values -> entry(k, values));
  }

  @Override
  public Mono<Boolean> invalidate(String credential, long version) {
    Keys k = keys(credential);
    return script(INVALIDATE, new String[] {k.token}, Long.toString(version)).map(n -> n > 0);
  }

  @Override
  public Mono<Boolean> acquireLease(String credential, String owner) {
    Keys k = keys(credential);
    return run(redis -> redis.set(k.lease, new Value(owner), SetArgs.Builder.nx().px(leaseTtl.toMillis())))
        .map("OK"::equals)
        .defaultIfEmpty(false);
  }

  @Override
  public Mono<Boolean> renewLease(String credential, String owner) {
    Keys k = keys(credential);
    return script(RENEW, new String[] {k.lease}, owner, Long.toString(leaseTtl.toMillis())).map(n -> n > 0);
  }

  @Override
  public Mono<Void> releaseLease(String credential, String owner) {
    Keys k = keys(credential);
    return script(RELEASE, new String[] {k.lease}, owner).then();
  }

  @Override
  public Mono<Long> publish(String credential, String owner, long expectedVersion, AccessToken token,
      @Nullable Secret refreshToken, RefreshTokenRotation rotation) {
    Keys k = keys(credential);
    return Mono.defer(() -> {
      String sealedToken = seal(TokenCodec.encode(token), "tok", k);
      String sealedRefresh = refreshToken == null ? "" : seal(refreshToken.reveal(), "rt", k);
      return script(PUBLISH, new String[] {k.token, k.lease}, owner, Long.toString(expectedVersion), sealedToken,
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
      return script(RESTORE, new String[] {k.token}, Long.toString(entry.version()), sealedToken, sealedRefresh,
          rotationField(entry.rotation()), k.channel);
    }).map(n -> n > 0);
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
    String channel = keys(credential).channel;
    return Flux.merge(messages.asFlux(), subscribed(channel).then(Mono.<Message>empty()))
        .filter(m -> m.channel.equals(channel))
        .handle((Message m, reactor.core.publisher.SynchronousSink<Long> sink) -> {
          try {
            sink.next(Long.parseLong(m.message));
          } catch (NumberFormatException e) {
            // not one of ours: ignore
          }
        })
        .onErrorResume(e -> Flux.never())
        .publishOn(timer);
  }

  /** Every activation of either connection (commands or notifications), including after Lettuce reconnected. */
  @Override
  public Flux<Long> connected() {
    return resources.eventBus().get()
        .filter(ConnectionActivatedEvent.class::isInstance)
        .index((i, e) -> i + 1)
        .onErrorResume(e -> Flux.never())
        .publishOn(timer);
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
    commands.close();
    pubSub.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "RedisTokenStore[prefix=" + prefix + ", leaseTtl=" + leaseTtl + ", encrypted=" + (cipher != null) + "]";
  }

  /**
   * One Redis command on the shared connection: connecting and the command each bounded. The command is sent
   * from {@code dispatch}: Lettuce serializes writers with a lock (a ReentrantLock and a spin on its writer
   * count) that a reconnect holds exclusively; callers here are often on an HTTP event loop (a 401 invalidates
   * the shared token), which must never wait on it. Results continue on our timer threads, never inside
   * Lettuce's I/O callbacks, which can run under that lock.
   */
  private <T> Mono<T> run(Function<RedisReactiveCommands<String, Value>, Mono<T>> op) {
    return send(commands, c -> op.apply(c.reactive()));
  }

  /** {@link #run}'s bounds and threads, for a command on either connection. */
  private <C extends StatefulConnection<String, Value>, T> Mono<T> send(Connector<C> connector, Function<C, Mono<T>> op) {
    return connector.get().timeout(connectTimeout, timer)
        .publishOn(dispatch)
        .flatMap(c -> op.apply(c).timeout(commandTimeout, timer))
        .subscribeOn(dispatch)
        .publishOn(timer);
  }

  private Mono<Long> script(String script, String[] keys, String... args) {
    Value[] values = new Value[args.length];
    for (int i = 0; i < args.length; i++) {
      values[i] = new Value(args[i]);
    }
    return run(redis -> redis.<Long>eval(script, ScriptOutputType.INTEGER, keys, values).next());
  }

  private Mono<Void> subscribed(String channel) {
    return Mono.defer(() -> {
      Mono<Void> s = subscriptions.computeIfAbsent(channel, ch -> send(pubSub, c -> c.reactive().subscribe(ch))
          .cache());
      return s.doOnError(e -> subscriptions.remove(channel, s));
    });
  }

  /** The entry, or a typed error when any part of it cannot be read: never "nothing stored" for a bad value. */
  private Entry entry(Keys k, List<KeyValue<String, Value>> values) {
    String ver = value(values, 0);
    String tok = value(values, 1);
    String rt = value(values, 2);
    String rot = value(values, 3);
    if (ver == null) {
      if (tok != null || rt != null) {
        throw unreadable("no version");
      }
      return Entry.NONE;
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
    return new Entry(version, token, refresh, rotation, value(values, 4) != null);
  }

  private static @Nullable String value(List<KeyValue<String, Value>> values, int i) {
    return values.size() > i && values.get(i).hasValue() ? values.get(i).getValue().text : null;
  }

  private SalesforceException unreadable(String part) {
    if (unreadableLogged.compareAndSet(false, true)) {
      LOG.error("a shared token entry could not be read ({}): another encryption key or a corrupted value; "
          + "token requests for it fail until every process has the same key", part);
    }
    return new SalesforceException(FailureCause.TOKEN_STORE_UNREADABLE, "the shared token store's entry could not "
        + "be read (" + part + ": " + (cipher == null ? "no encryption key configured" : "encryption key mismatch")
        + " or a corrupted value)", null, 1, null);
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

  private record Message(String channel, String message) {}

  /**
   * A Redis value whose {@code toString()} is redacted: Lettuce's debug logging prints command outputs, and
   * stored values (tokens, when no encryption key is set) must not reach a log line through it.
   */
  static final class Value {
    static final RedisCodec<String, Value> CODEC = new RedisCodec<>() {
      @Override
      public String decodeKey(ByteBuffer bytes) {
        return StringCodec.UTF8.decodeKey(bytes);
      }

      @Override
      public Value decodeValue(ByteBuffer bytes) {
        return new Value(StringCodec.UTF8.decodeValue(bytes));
      }

      @Override
      public ByteBuffer encodeKey(String key) {
        return StringCodec.UTF8.encodeKey(key);
      }

      @Override
      public ByteBuffer encodeValue(Value value) {
        return StringCodec.UTF8.encodeValue(value.text);
      }
    };

    final String text;

    Value(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return "[value]";
    }
  }

  /**
   * One lazily opened connection shared by every caller. A failed attempt is forgotten, so the next call
   * tries again; an open connection reconnects by itself (Lettuce auto-reconnect).
   */
  private static final class Connector<C extends StatefulConnection<String, Value>> {
    private final Supplier<CompletionStage<C>> connect;
    private final AtomicReference<@Nullable Mono<C>> current = new AtomicReference<>();
    private volatile boolean closed;

    Connector(Supplier<CompletionStage<C>> connect) {
      this.connect = connect;
    }

    Mono<C> get() {
      return Mono.defer(() -> {
        if (closed) {
          return Mono.error(new IllegalStateException("token store closed"));
        }
        Mono<C> m = current.get();
        if (m == null) {
          Mono<C> fresh = Mono.fromCompletionStage(connect).cache();
          m = current.compareAndExchange(null, fresh);
          if (m == null) {
            m = fresh;
          }
        }
        Mono<C> attempt = m;
        return attempt.doOnError(e -> current.compareAndSet(attempt, null));
      });
    }

    /** Refuses further use; the connection itself is closed by the client's shutdown (closing it twice warns). */
    void close() {
      closed = true;
      current.set(null);
    }
  }

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

    private static void check(boolean ok, String option, Object value) {
      if (!ok) {
        throw new IllegalArgumentException(option + " is out of range: " + value);
      }
    }
  }
}
