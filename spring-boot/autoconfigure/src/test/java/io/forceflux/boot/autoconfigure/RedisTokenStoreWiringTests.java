package io.forceflux.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.reactor.TokenStore;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.reactor.redis.RedisTokenStore;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.RedisServer;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code forceflux.token-store.*} puts the token on a real Redis, shared by every replica of the credential. */
class RedisTokenStoreWiringTests {
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

  private static RedisServer redis;
  private static FakeOrg org;

  @BeforeAll
  static void start() {
    redis = RedisServer.start();
    org = FakeOrg.builder().accounts(5).build().start();
  }

  @AfterAll
  static void stop() {
    org.close();
    redis.close();
  }

  private static ApplicationContextRunner replica() {
    return Contexts.runner().withPropertyValues(Contexts.refreshToken(org))
        .withPropertyValues("forceflux.token-store.redis-url=" + redis.uri(),
            "forceflux.token-store.encryption-key=" + KEY);
  }

  @Test
  void twoReplicasOnTheSameRedisShareOneToken() {
    long before = org.stats().tokenRequests();
    replica().run(first -> {
      assertThat(first).hasSingleBean(RedisTokenStore.class);
      assertThat(first.getBean(SalesforceClient.class).query("SELECT Id FROM Account").count().block(BOUND))
          .isEqualTo(5);
      replica().run(second -> {
        assertThat(second.getBean(SalesforceClient.class).query("SELECT Id FROM Account").count().block(BOUND))
            .isEqualTo(5);
      });
    });
    assertThat(org.stats().tokenRequests() - before).as("the second replica adopted the stored token").isEqualTo(1);
  }

  @Test
  void useApplicationRedisSharesOnTheRedisOfSpringDataRedisSettings() {
    long before = org.stats().tokenRequests();
    ApplicationContextRunner onAppRedis = Contexts.runner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
        .withPropertyValues(Contexts.refreshToken(org))
        .withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
            "forceflux.token-store.use-application-redis=true", "forceflux.token-store.encryption-key=" + KEY,
            "forceflux.token-store.key-prefix=app-redis");
    onAppRedis.run(first -> {
      assertThat(first).hasSingleBean(RedisTokenStore.class);
      first.getBean(SalesforceClient.class).query("SELECT Id FROM Account").count().block(BOUND);
      onAppRedis.run(second -> second.getBean(SalesforceClient.class).query("SELECT Id FROM Account").count()
          .block(BOUND));
    });
    assertThat(org.stats().tokenRequests() - before).as("shared through the application's Redis").isEqualTo(1);
  }

  @Test
  void anApplicationTokenStoreWins() {
    TokenStore own = RedisTokenStore.builder(redis.uri()).keyPrefix("own").build();
    replica().withBean("myStore", TokenStore.class, () -> own).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBeansOfType(TokenStore.class)).containsOnlyKeys("myStore");
    });
  }
}
