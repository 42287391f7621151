package io.forceflux.reactor;

import io.forceflux.testkit.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One Redis server for a whole test class of fleets sharing a token store, and the AES key (256 bits, Base64) their
 * stores seal entries with.
 */
abstract class SharedRedisTests {
  static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef"
      .getBytes(StandardCharsets.US_ASCII));

  static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }
}
