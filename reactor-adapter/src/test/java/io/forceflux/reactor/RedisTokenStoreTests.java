package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.GrantType;
import io.forceflux.core.auth.RefreshTokenGrant;
import io.forceflux.core.auth.Secret;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.reactor.redis.RedisTokenStore;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** {@link RedisTokenStore} against a real {@code redis-server}: its scripts, lease, fencing and encryption. */
class RedisTokenStoreTests {
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private static RedisServer redis;
  private static RedisClient raw;
  /** Bytes, not strings: Lettuce's debug log prints outputs, and a String output would print a token. */
  private static StatefulRedisConnection<byte[], byte[]> rawConnection;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
    raw = RedisClient.create(redis.uri());
    rawConnection = raw.connect(ByteArrayCodec.INSTANCE);
  }

  @AfterAll
  static void stopRedis() {
    rawConnection.close();
    raw.shutdown();
    redis.close();
  }

  private static RedisTokenStore store(String prefix) {
    return RedisTokenStore.builder(redis.uri()).keyPrefix(prefix).leaseTtl(Duration.ofMillis(300))
        .pollInterval(Duration.ofMillis(50)).build();
  }

  private static AccessToken token(String suffix) {
    return AccessToken.of("00D000000000001!AQ" + suffix + "xxxxxxxxxxxxxxxxxxxxxxxx",
        URI.create("https://acme.my.salesforce.com"), Instant.parse("2026-11-23T10:00:00Z"), GrantType.REFRESH_TOKEN);
  }

  private static String credential() {
    return "refresh_token|http://127.0.0.1|client|" + UUID.randomUUID();
  }

  @Test
  void compareAndInvalidateDropsOnlyTheRejectedVersionAndKeepsTheRefreshToken() {
    try (RedisTokenStore store = store("cai")) {
      String c = credential();
      assertThat(store.read(c).block(BOUND)).isEqualTo(TokenStore.Entry.NONE);
      long v1 = store.publish(c, "me", 0, token("one"), Secret.of("rt-one")).block(BOUND);
      assertThat(v1).isPositive();

      assertThat(store.invalidate(c, v1 - 1).block(BOUND)).isFalse(); // a stale rejection
      assertThat(store.read(c).block(BOUND).token()).isEqualTo(token("one"));
      assertThat(store.invalidate(c, v1).block(BOUND)).isTrue();
      assertThat(store.invalidate(c, v1).block(BOUND)).isFalse(); // already gone

      TokenStore.Entry after = store.read(c).block(BOUND);
      assertThat(after.version()).isEqualTo(v1);
      assertThat(after.token()).isNull();
      assertThat(after.refreshToken()).isEqualTo(Secret.of("rt-one"));
      assertThat(after.toString()).doesNotContain("rt-one").doesNotContain("00D");
    }
  }

  @Test
  void aLeaseHasOneHolderAndPublishingIsFencedByOwnerAndVersion() {
    try (RedisTokenStore store = store("lease")) {
      String c = credential();
      long v1 = store.publish(c, "a", 0, token("one"), Secret.of("rt-one")).block(BOUND);

      assertThat(store.acquireLease(c, "a").block(BOUND)).isTrue();
      assertThat(store.acquireLease(c, "b").block(BOUND)).isFalse();
      assertThat(store.renewLease(c, "b").block(BOUND)).isFalse();
      store.releaseLease(c, "b").block(BOUND); // not b's: no effect
      assertThat(store.acquireLease(c, "b").block(BOUND)).isFalse();

      assertThat(store.publish(c, "b", v1, token("b"), Secret.of("rt-b")).block(BOUND)).isZero(); // a holds it
      assertThat(store.publish(c, "a", v1 - 1, token("a"), Secret.of("rt-a")).block(BOUND)).isZero(); // stale
      long v2 = store.publish(c, "a", v1, token("two"), Secret.of("rt-two")).block(BOUND);

      assertThat(v2).isEqualTo(v1 + 1);
      TokenStore.Entry entry = store.read(c).block(BOUND);
      assertThat(entry.token()).isEqualTo(token("two"));
      assertThat(entry.refreshToken()).isEqualTo(Secret.of("rt-two"));
      assertThat(store.acquireLease(c, "b").block(BOUND)).isTrue(); // publishing released a's lease
      // Without a new refresh token, the stored one is kept.
      assertThat(store.publish(c, "b", v2, token("three"), null).block(BOUND)).isEqualTo(v2 + 1);
      assertThat(store.read(c).block(BOUND).refreshToken()).isEqualTo(Secret.of("rt-two"));
    }
  }

  @Test
  void anUnrenewedLeaseExpiresAndARenewedOneDoesNot() {
    try (RedisTokenStore store = store("ttl")) {
      String c = credential();
      assertThat(store.acquireLease(c, "a").block(BOUND)).isTrue();
      for (int i = 0; i < 4; i++) { // 4 x 150 ms > the 300 ms TTL, renewed every 150 ms
        Mono.delay(Duration.ofMillis(150)).block(BOUND);
        assertThat(store.renewLease(c, "a").block(BOUND)).isTrue();
      }
      assertThat(store.acquireLease(c, "b").block(BOUND)).isFalse();
      Mono.delay(Duration.ofMillis(450)).block(BOUND);
      assertThat(store.acquireLease(c, "b").block(BOUND)).isTrue();
      assertThat(store.renewLease(c, "a").block(BOUND)).isFalse();
    }
  }

  @Test
  void publishingNotifiesEveryProcessWatchingTheCredential() {
    try (RedisTokenStore publisher = store("notify"); RedisTokenStore watcher = store("notify")) {
      String c = credential();
      StepVerifier.create(watcher.published(c).take(1))
          .then(() -> Mono.delay(Duration.ofMillis(200)) // let SUBSCRIBE land
              .then(publisher.publish(c, "a", 0, token("one"), null)).subscribe())
          .assertNext(version -> assertThat(version).isPositive())
          .expectComplete()
          .verify(BOUND);
    }
  }

  @Test
  void versionsKeepIncreasingWhenRedisLosesItsData() {
    try (RedisTokenStore store = store("flush")) {
      String c = credential();
      long before = store.publish(c, "a", 0, token("one"), null).block(BOUND);
      rawConnection.sync().flushall();
      long after = store.publish(c, "a", 0, token("two"), null).block(BOUND);
      // Versions start from Redis TIME in microseconds: a replica that saw the old one adopts the new one.
      assertThat(after).isGreaterThan(before);
    }
  }

  @Test
  void withAKeyTheRawValuesContainNeitherTheAccessTokenNorTheRefreshToken() {
    Stored sealed = rawEntryAfterOneRefresh("sealed", KEY);
    Stored plain = rawEntryAfterOneRefresh("plain", null);

    assertThat(sealed.raw.keySet()).containsExactlyInAnyOrder("ver", "tok", "rt", "rot");
    assertThat(sealed.raw.get("tok")).startsWith("1:").doesNotContain("00D").doesNotContain("127.0.0.1");
    assertThat(sealed.raw.get("rt")).startsWith("1:");
    for (String value : sealed.raw.values()) {
      assertThat(value).doesNotContain(sealed.accessToken).doesNotContain(sealed.refreshToken)
          .doesNotContain(sealed.configuredRefreshToken);
    }
    // The same flow without a key stores both in clear: the assertions above can fail.
    assertThat(plain.raw.get("tok")).contains(plain.accessToken);
    assertThat(plain.raw.get("rt")).contains(plain.refreshToken);
  }

  @Test
  void anEntrySealedWithAnotherKeyIsATypedErrorNeverNothingStored() {
    String c = credential();
    try (RedisTokenStore writer = RedisTokenStore.builder(redis.uri()).keyPrefix("keys").encryptionKey(KEY).build();
        RedisTokenStore reader = RedisTokenStore.builder(redis.uri()).keyPrefix("keys")
            .encryptionKey(Base64.getEncoder().encodeToString(new byte[32])).build();
        RedisTokenStore clear = RedisTokenStore.builder(redis.uri()).keyPrefix("keys").build()) {
      writer.publish(c, "a", 0, token("one"), Secret.of("rt-one"), RefreshTokenRotation.ROTATING).block(BOUND);
      assertThat(writer.read(c).block(BOUND).token()).isEqualTo(token("one"));
      assertThat(writer.read(c).block(BOUND).rotation()).isEqualTo(RefreshTokenRotation.ROTATING);
      for (RedisTokenStore other : List.of(reader, clear)) {
        assertThatThrownBy(() -> other.read(c).block(BOUND)).isInstanceOfSatisfying(SalesforceException.class,
            e -> assertThat(e.failureCause()).isEqualTo(FailureCause.TOKEN_STORE_UNREADABLE))
            .hasMessageContaining("Runbook: ").hasMessageNotContaining("rt-one");
      }
    }
  }

  @Test
  void aCorruptedValueIsATypedError() {
    String c = credential();
    try (RedisTokenStore store = RedisTokenStore.builder(redis.uri()).keyPrefix("corrupt").encryptionKey(KEY).build();
        RedisClient raw = RedisClient.create(redis.uri());
        StatefulRedisConnection<String, String> connection = raw.connect()) {
      store.publish(c, "a", 0, token("one"), Secret.of("rt-one")).block(BOUND);
      String key = "corrupt:{" + FleetTokenSharingTests.sha256(c) + "}:token";
      connection.sync().hset(key, "rt", "1:bm90IGEgc2VhbGVkIHZhbHVl");
      assertThatThrownBy(() -> store.read(c).block(BOUND)).isInstanceOfSatisfying(SalesforceException.class,
          e -> assertThat(e.failureCause()).isEqualTo(FailureCause.TOKEN_STORE_UNREADABLE));
      connection.sync().hset(key, "ver", "not a number");
      assertThatThrownBy(() -> store.read(c).block(BOUND)).isInstanceOf(SalesforceException.class);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aPresentingMarkIsFencedByLeaseAndVersionAndDroppedOnlyByADefiniteAnswer() {
    try (RedisTokenStore store = RedisTokenStore.builder(redis.uri()).keyPrefix("mark").encryptionKey(KEY).build()) {
      PresentingMarkContract.check(store, credential());
    }
  }

  @Test
  void anEntryWrittenWithoutMarksOrMovedOnByAnOlderPublisherReadsUnmarked() {
    String c = credential();
    try (RedisTokenStore store = RedisTokenStore.builder(redis.uri()).keyPrefix("oldmark").build();
        RedisClient raw = RedisClient.create(redis.uri());
        StatefulRedisConnection<String, String> connection = raw.connect()) {
      String key = "oldmark:{" + FleetTokenSharingTests.sha256(c) + "}:token";
      long v1 = store.publish(c, "a", 0, token("one"), Secret.of("rt-one")).block(BOUND);
      assertThat(connection.sync().hkeys(key)).containsExactlyInAnyOrder("ver", "tok", "rt"); // no mark fields
      assertThat(store.read(c).block(BOUND).inDoubt()).isFalse();

      assertThat(store.acquireLease(c, "a").block(BOUND)).isTrue();
      assertThat(store.markPresenting(c, "a", v1).block(BOUND)).isTrue();
      assertThat(connection.sync().hget(key, "pv")).isEqualTo(Long.toString(v1));
      assertThat(connection.sync().hget(key, "po")).isEqualTo("a");
      // A process running a version without marks publishes over it: its script moves the version on and leaves the
      // fields behind. The mark belonged to the old version only.
      connection.sync().hincrby(key, "ver", 1);
      TokenStore.Entry moved = store.read(c).block(BOUND);
      assertThat(moved.version()).isEqualTo(v1 + 1);
      assertThat(moved.inDoubt()).isFalse();
      assertThat(store.markPresenting(c, "a", v1 + 1).block(BOUND)).isTrue(); // replaces the stale fields
      assertThat(store.read(c).block(BOUND).presenting()).isEqualTo("a");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void restoreWritesOnlyOverAnOlderEntryAndKeepsItsVersion() {
    String c = credential();
    try (RedisTokenStore store = RedisTokenStore.builder(redis.uri()).keyPrefix("restore").encryptionKey(KEY).build()) {
      TokenStore.Entry known = new TokenStore.Entry(42, token("one"), Secret.of("rt-one"), RefreshTokenRotation.ROTATING);
      TokenStore.Entry restored = new TokenStore.Entry(42, token("one"), Secret.of("rt-one"),
          RefreshTokenRotation.ROTATING, true);
      assertThat(store.restore(c, known).block(BOUND)).isTrue();
      assertThat(store.read(c).block(BOUND)).isEqualTo(restored);
      assertThat(store.restore(c, new TokenStore.Entry(41, token("old"), Secret.of("rt-old"))).block(BOUND)).isFalse();
      assertThat(store.restore(c, new TokenStore.Entry(42, token("old"), Secret.of("rt-old"))).block(BOUND)).isFalse();
      assertThat(store.read(c).block(BOUND)).isEqualTo(restored);
      // A publish builds on the restored version and clears the mark; the rotation it knew is kept.
      assertThat(store.publish(c, "a", 42, token("two"), Secret.of("rt-two")).block(BOUND)).isEqualTo(43);
      assertThat(store.read(c).block(BOUND).rotation()).isEqualTo(RefreshTokenRotation.ROTATING);
      assertThat(store.read(c).block(BOUND).restored()).isFalse();
    }
  }

  @Test
  void invalidOptionsFailWhenBuiltAndNeverQuoteTheKey() {
    assertThatThrownBy(() -> RedisTokenStore.builder(redis.uri()).encryptionKey(new byte[20]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 or 32 bytes");
    assertThatThrownBy(() -> RedisTokenStore.builder(redis.uri()).encryptionKey("c2VjcmV0LWtleS1tYXRlcmlhbA=="))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("c2VjcmV0");
    assertThatThrownBy(() -> RedisTokenStore.builder(redis.uri()).encryptionKey("not base64 ***"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("***");
    assertThatThrownBy(() -> RedisTokenStore.builder("http://user:hunter2@host").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> RedisTokenStore.builder(redis.uri()).leaseTtl(Duration.ofMillis(50)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaseTtl");
    assertThatThrownBy(() -> RedisTokenStore.builder(redis.uri()).pollInterval(Duration.ofSeconds(20)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pollInterval");
    try (RedisTokenStore store = RedisTokenStore.builder(redis.uri()).encryptionKey(KEY).build()) {
      assertThat(store.toString()).contains("encrypted=true").doesNotContain("0123456789abcdef")
          .doesNotContain(String.valueOf(redis.port()));
    }
  }

  /** A raw Redis hash and the access and refresh token it should hold. */
  private record Stored(Map<String, String> raw, String accessToken, String refreshToken,
      String configuredRefreshToken) {}

  /** One real refresh (rotating) through a token source on a fresh store; the raw Redis hash it left behind. */
  private static Stored rawEntryAfterOneRefresh(String prefix, byte @Nullable [] key) {
    RedisTokenStore.Builder b = RedisTokenStore.builder(redis.uri()).keyPrefix(prefix);
    if (key != null) {
      b.encryptionKey(key);
    }
    try (RedisTokenStore store = b.build();
        FakeOrg org = FakeOrg.builder().accounts(10).refreshTokenRotation(true).build().start()) {
      OrgFixture f = new OrgFixture(org);
      CachingTokenSource tokens = f.tokens().tokenStore(store).build();
      WebClient client = f.salesforce(tokens);
      f.org.expireAllSessions();
      client.get().uri("/services/data/v67.0/limits").retrieve().bodyToMono(String.class).block(BOUND);
      String accessToken = tokens.cachedToken().value();
      String refreshToken = ((RefreshTokenGrant) tokens.grant()).refreshToken().reveal();
      TestGuards.secret(refreshToken);
      String hash;
      try {
        hash = FleetTokenSharingTests.sha256(tokens.grant().credentialKey());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      // The publish runs in the background right after the token is handed out: wait (bounded) for it.
      long deadline = System.nanoTime() + BOUND.toNanos();
      byte[] hashKey = (prefix + ":{" + hash + "}:token").getBytes(StandardCharsets.UTF_8);
      while (rawConnection.sync().hget(hashKey, "tok".getBytes(StandardCharsets.UTF_8)) == null) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Mono.delay(Duration.ofMillis(10)).block(BOUND);
      }
      Map<String, String> rawEntry = new java.util.HashMap<>();
      rawConnection.sync().hgetall(hashKey).forEach((field, value) ->
          rawEntry.put(new String(field, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8)));
      return new Stored(rawEntry, accessToken, refreshToken,
          org.credentials().refreshToken());
    }
  }
}
