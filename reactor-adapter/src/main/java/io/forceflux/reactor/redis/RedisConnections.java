package io.forceflux.reactor.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
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
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The Lettuce side of a {@link RedisTokenStore}: one client with its own threads, a command connection and a
 * pub/sub connection, each opened lazily, shared, and reopened after a failed attempt. Commands are bounded
 * (connect and command timeouts) and sent from a thread that is never a Reactor Netty event loop; results and
 * notifications continue on the parallel scheduler.
 */
final class RedisConnections implements AutoCloseable {
  private final RedisClient client;
  private final ClientResources resources;
  private final Duration commandTimeout;
  private final Duration connectTimeout;
  private final Scheduler timer = Schedulers.parallel();
  /** Where commands are sent from: Lettuce's endpoint lock is never taken on a Reactor Netty event loop. */
  private final Scheduler dispatch = Schedulers.boundedElastic();
  private final Connector<StatefulRedisConnection<String, Value>> commands;
  private final Connector<StatefulRedisPubSubConnection<String, Value>> pubSub;
  private final Sinks.Many<Message> messages = Sinks.many().multicast().directBestEffort();
  private final Map<String, Mono<Void>> subscriptions = new ConcurrentHashMap<>();

  /**
   * Lettuce's resources for a ForceFlux Redis client: {@code threads} I/O and computation threads, and a reconnect
   * that retries quickly once Redis is back (the default backs off to 30 s): sharing resumes within ~1 s.
   */
  static ClientResources resources(int threads) {
    return ClientResources.builder()
        .ioThreadPoolSize(threads)
        .computationThreadPoolSize(threads)
        .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build();
  }

  /**
   * A Lettuce client that reconnects by itself, rejects commands while disconnected (the caller decides what an
   * outage means, nothing queues up), and bounds every command and connect.
   */
  static RedisClient client(ClientResources resources, Duration commandTimeout, Duration connectTimeout) {
    RedisClient client = RedisClient.create(resources);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .publishOnScheduler(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
        .build());
    return client;
  }

  RedisConnections(RedisURI uri, Duration commandTimeout, Duration connectTimeout) {
    this.commandTimeout = commandTimeout;
    this.connectTimeout = connectTimeout;
    this.resources = resources(2);
    this.client = client(resources, commandTimeout, connectTimeout);
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
   * One Redis command on the shared connection: connecting and the command each bounded. The command is sent
   * from {@code dispatch}: Lettuce serializes writers with a lock (a ReentrantLock and a spin on its writer
   * count) that a reconnect holds exclusively; callers here are often on an HTTP event loop (a 401 invalidates
   * the shared token), which must never wait on it. Results continue on our timer threads, never inside
   * Lettuce's I/O callbacks, which can run under that lock.
   */
  <T> Mono<T> run(Function<RedisReactiveCommands<String, Value>, Mono<T>> op) {
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

  Mono<Long> script(String script, String[] keys, String... args) {
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

  /** The messages published on {@code channel}, once subscribed to it; never fails (a failure ends in silence). */
  Flux<String> messages(String channel) {
    return Flux.merge(messages.asFlux(), subscribed(channel).then(Mono.<Message>empty()))
        .filter(m -> m.channel.equals(channel))
        .map(Message::message)
        .onErrorResume(e -> Flux.never())
        .publishOn(timer);
  }

  /** Every activation of either connection (commands or notifications), including after Lettuce reconnected. */
  Flux<Long> connected() {
    return resources.eventBus().get()
        .filter(ConnectionActivatedEvent.class::isInstance)
        .index((i, e) -> i + 1)
        .onErrorResume(e -> Flux.never())
        .publishOn(timer);
  }

  /**
   * Closes the connections (through the client's shutdown, which closes every connection it opened) and the
   * client's threads. Blocks up to ~2 s.
   */
  @Override
  public void close() {
    commands.close();
    pubSub.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

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
}
