package io.forceflux.reactor.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forceflux.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link RedisApiUsage}'s two scripts against a real {@code redis-server}. */
class RedisApiUsageTests {
  private static final Duration BOUND = Duration.ofSeconds(30);

  private static RedisServer redis;
  private static RedisClient raw;
  private static StatefulRedisConnection<String, String> rawConnection;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
    raw = RedisClient.create(redis.uri());
    rawConnection = raw.connect();
  }

  @AfterAll
  static void stopRedis() {
    rawConnection.close();
    raw.shutdown();
    redis.close();
  }

  private static String key(String credential) throws Exception {
    return "forceflux:{" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(credential.getBytes(StandardCharsets.UTF_8))) + "}:api";
  }

  @Test
  void countsWithinTheBudgetAndRefusesBeyondItWithoutCounting() {
    try (RedisApiUsage usage = RedisApiUsage.builder(redis.uri(), "c|" + UUID.randomUUID()).build()) {
      assertThat(usage.trySpend(1, -1).block(BOUND)).isEqualTo(1);
      assertThat(usage.trySpend(3, 10).block(BOUND)).isEqualTo(4);
      assertThat(usage.trySpend(7, 10).block(BOUND)).isEqualTo(-1 - 4);
      assertThat(usage.trySpend(6, 10).block(BOUND)).isEqualTo(10);
      assertThat(usage.trySpend(1, 10).block(BOUND)).isEqualTo(-1 - 10);
    }
  }

  @Test
  void aReportRaisesTheCountAndTheHighestReportReBasesItWhenTheFleetIsQuiet() {
    try (RedisApiUsage usage = RedisApiUsage.builder(redis.uri(), "c|" + UUID.randomUUID()).build()) {
      for (int i = 0; i < 3; i++) {
        usage.trySpend(1, -1).block(BOUND);
      }
      // Another process's calls: the org reports more than this fleet counted.
      assertThat(usage.settle(40).block(BOUND)).isEqualTo(40);
      // One call never reached the org (no report); the last answer's report is older than the highest.
      assertThat(usage.settle(-1).block(BOUND)).isEqualTo(40);
      assertThat(usage.settle(39).block(BOUND)).isEqualTo(40);

      usage.trySpend(1, -1).block(BOUND);
      usage.trySpend(1, -1).block(BOUND);
      assertThat(usage.settle(-1).block(BOUND)).isEqualTo(42);
      // Quiet again: the count falls to what the org reported (the unreported call did not reach it).
      assertThat(usage.settle(41).block(BOUND)).isEqualTo(41);
    }
  }

  @Test
  void callsLeftInFlightByADeadProcessStopCountingAfterTheLeakTime() throws Exception {
    String credential = "c|" + UUID.randomUUID();
    try (RedisApiUsage usage = RedisApiUsage.builder(redis.uri(), credential).build()) {
      for (int i = 0; i < 5; i++) {
        usage.trySpend(1, -1).block(BOUND);
      }
      // Four of them belonged to a process that died; the last count was long ago.
      rawConnection.sync().hset(key(credential), "ft", "0");

      assertThat(usage.settle(2).block(BOUND)).isEqualTo(2);
      assertThat(rawConnection.sync().hget(key(credential), "f")).isEqualTo("0");
      assertThat(rawConnection.sync().pttl(key(credential))).isPositive();
    }
  }

  @Test
  void anUnreachableRedisFailsTheCommandInsteadOfHanging() {
    RedisServer gone = RedisServer.start();
    String uri = gone.uri();
    gone.close();
    try (RedisApiUsage usage = RedisApiUsage.builder(uri, "c").commandTimeout(Duration.ofMillis(500)).build()) {
      assertThatThrownBy(() -> usage.trySpend(1, -1).block(BOUND)).isInstanceOf(RuntimeException.class);
    }
    assertThat(RedisApiUsage.builder(uri, "c").build()).hasToString("RedisApiUsage");
  }
}
