package io.forceflux.reactor.redis;

import io.forceflux.reactor.governor.SharedUsage;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The API usage count of one credential, shared through Redis by the {@link
 * io.forceflux.reactor.governor.ApiGovernor}s of a fleet ({@code ApiGovernor.builder().sharedUsage(usage)}), so
 * the daily reserve holds for all of them together.
 *
 * <p>One hash {@code <prefix>:{SHA-256(credentialKey)}:api} holds {@code s} (calls counted: sent, or answered
 * with their usage), {@code f} (the fleet's calls in flight), {@code w} (the highest usage reported since the
 * fleet was last quiet) and {@code ft} (Redis time of the last count). Counting checks the budget and counts in
 * one Lua script; settling raises {@code s} to the report and, when the fleet has nothing in flight, re-bases it on
 * the highest report (so calls that never reached the org stop counting and the rolling window can bring usage
 * down). A process that dies with calls in flight leaves {@code f} too high; after {@link
 * Builder#inFlightLeak(Duration)} without a new count it is taken as zero. The hash expires 25 hours after its
 * last use.
 *
 * <p>Every command is bounded by the command timeout; while Redis is unreachable commands fail at once (Lettuce
 * reconnects in the background) and the governors decide on their own views. The Redis URI and the credential key
 * are never logged or shown by {@link #toString()}. Thread-safe; {@link #close()} it at shutdown.
 */
public final class RedisApiUsage implements SharedUsage, AutoCloseable {
  /** KEYS: hash. ARGV: cost, budget (-1: none), ttl ms. */
  static final String SPEND = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local s = tonumber(redis.call('HGET', KEYS[1], 's') or '0')
      local cost = tonumber(ARGV[1])
      local budget = tonumber(ARGV[2])
      if budget >= 0 and s + cost > budget then return -1 - s end
      redis.call('HSET', KEYS[1], 's', s + cost, 'ft', now)
      redis.call('HINCRBY', KEYS[1], 'f', 1)
      redis.call('PEXPIRE', KEYS[1], ARGV[3])
      return s + cost
      """;

  /** KEYS: hash. ARGV: reported (-1: none), leak ms, ttl ms. */
  static final String SETTLE = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local f = tonumber(redis.call('HGET', KEYS[1], 'f') or '0') - 1
      local ft = tonumber(redis.call('HGET', KEYS[1], 'ft') or '0')
      if f < 0 or now - ft > tonumber(ARGV[2]) then f = 0 end
      local s = tonumber(redis.call('HGET', KEYS[1], 's') or '0')
      local reported = tonumber(ARGV[1])
      if reported >= 0 then
        local w = math.max(tonumber(redis.call('HGET', KEYS[1], 'w') or '0'), reported)
        if w > s then s = w end
        if f == 0 then
          s = w
          w = 0
        end
        redis.call('HSET', KEYS[1], 's', s, 'w', w)
      end
      redis.call('HSET', KEYS[1], 'f', f)
      redis.call('PEXPIRE', KEYS[1], ARGV[3])
      return s
      """;

  private static final long TTL_MILLIS = Duration.ofHours(25).toMillis();

  private final RedisClient client;
  private final ClientResources resources;
  private final String key;
  private final long leakMillis;
  /** Lettuce's endpoint lock is never taken on a Reactor Netty event loop. */
  private final Scheduler dispatch = Schedulers.boundedElastic();
  private final Mono<StatefulRedisConnection<String, String>> connection;

  private RedisApiUsage(Builder b) {
    RedisURI uri = RedisURI.create(b.uri);
    this.key = b.keyPrefix + ":{" + sha256(b.credentialKey) + "}:api";
    this.leakMillis = b.inFlightLeak.toMillis();
    this.resources = RedisConnections.resources(1);
    this.client = RedisConnections.client(resources, b.commandTimeout, b.commandTimeout);
    // Connected on first use; a failed connect is tried again by the next command, a live one is kept (Lettuce
    // reconnects it by itself).
    this.connection = Mono.fromCompletionStage(() -> client.connectAsync(StringCodec.UTF8, uri))
        .cache(c -> Duration.ofMillis(Long.MAX_VALUE), e -> Duration.ZERO, () -> Duration.ZERO);
  }

  /**
   * A builder for the usage count of one credential.
   *
   * @param redisUri e.g. {@code redis://host:6379}
   * @param credentialKey what identifies the credential (org and user), as for the token store; only its SHA-256
   *     appears in Redis
   */
  public static Builder builder(String redisUri, String credentialKey) {
    return new Builder(redisUri, credentialKey);
  }

  @Override
  public Mono<Long> trySpend(long cost, long budget) {
    return eval(SPEND, Long.toString(cost), Long.toString(budget), Long.toString(TTL_MILLIS));
  }

  @Override
  public Mono<Long> settle(long reported) {
    return eval(SETTLE, Long.toString(reported), Long.toString(leakMillis), Long.toString(TTL_MILLIS));
  }

  private Mono<Long> eval(String script, String... args) {
    return connection
        .flatMap(c -> c.reactive().<Long>eval(script, ScriptOutputType.INTEGER, new String[] {key}, args).next())
        .subscribeOn(dispatch);
  }

  /** Closes the connection; no I/O after. */
  @Override
  public void close() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "RedisApiUsage";
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** Options for a {@link RedisApiUsage}; invalid values fail in the setter. */
  public static final class Builder {
    private final String uri;
    private final String credentialKey;
    private String keyPrefix = "forceflux";
    private Duration commandTimeout = Duration.ofSeconds(1);
    private Duration inFlightLeak = Duration.ofMinutes(15);

    private Builder(String uri, String credentialKey) {
      this.uri = Objects.requireNonNull(uri, "redisUri");
      this.credentialKey = Objects.requireNonNull(credentialKey, "credentialKey");
    }

    /** The first part of the key. Default {@code forceflux}. */
    public Builder keyPrefix(String keyPrefix) {
      if (Objects.requireNonNull(keyPrefix, "keyPrefix").isEmpty()) {
        throw new IllegalArgumentException("keyPrefix must not be empty");
      }
      this.keyPrefix = keyPrefix;
      return this;
    }

    /** How long one command may take before the governor decides without it. Default 1 s; range 10 ms..30 s. */
    public Builder commandTimeout(Duration commandTimeout) {
      Objects.requireNonNull(commandTimeout, "commandTimeout");
      if (commandTimeout.compareTo(Duration.ofMillis(10)) < 0 || commandTimeout.compareTo(Duration.ofSeconds(30)) > 0) {
        throw new IllegalArgumentException("commandTimeout must be 10 ms..30 s: " + commandTimeout);
      }
      this.commandTimeout = commandTimeout;
      return this;
    }

    /**
     * After how long without a new count the fleet's calls in flight are taken as none (they were left by a
     * process that died): longer than any request (Salesforce ends REST requests after 10 minutes). Default 15 min;
     * range 1 min..24 h.
     */
    public Builder inFlightLeak(Duration inFlightLeak) {
      Objects.requireNonNull(inFlightLeak, "inFlightLeak");
      if (inFlightLeak.compareTo(Duration.ofMinutes(1)) < 0 || inFlightLeak.compareTo(Duration.ofHours(24)) > 0) {
        throw new IllegalArgumentException("inFlightLeak must be 1 min..24 h: " + inFlightLeak);
      }
      this.inFlightLeak = inFlightLeak;
      return this;
    }

    /**
     * The count's client; connects on first use.
     *
     * @throws IllegalArgumentException for a malformed URI
     */
    public RedisApiUsage build() {
      RedisURI.create(uri);
      return new RedisApiUsage(this);
    }
  }
}
