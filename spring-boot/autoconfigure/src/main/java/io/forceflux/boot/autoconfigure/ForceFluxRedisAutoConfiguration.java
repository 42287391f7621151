package io.forceflux.boot.autoconfigure;

import io.forceflux.reactor.TokenStore;
import io.forceflux.reactor.redis.RedisTokenStore;
import java.net.URI;
import java.net.URISyntaxException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The shared {@link RedisTokenStore}, when {@code forceflux.token-store.redis-url} is set or
 * {@code forceflux.token-store.use-application-redis} is true (then on the Redis of the application's
 * {@code spring.data.redis} settings, standalone only). Needs Lettuce; backs off when the application defines its own
 * {@link TokenStore}.
 */
@AutoConfiguration(before = ForceFluxAutoConfiguration.class,
    afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(name = {"io.lettuce.core.RedisClient", "io.forceflux.reactor.redis.RedisTokenStore"})
@Conditional(OnTokenStoreConfigured.class)
public class ForceFluxRedisAutoConfiguration {

  /** Created by Spring. */
  public ForceFluxRedisAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean(TokenStore.class)
  RedisTokenStore forcefluxTokenStore(ForceFluxSettings settings, ObjectProvider<ApplicationRedis> application) {
    // The settings bean has checked every forceflux.token-store property already.
    ForceFluxProperties.TokenStore store = settings.tokenStore;
    String url = store.getRedisUrl();
    if (url == null) {
      ApplicationRedis app = application.getIfAvailable();
      if (app == null) {
        throw ForceFluxSettings.invalid("token-store.use-application-redis",
            "is true, but the application has no Spring Data Redis connection",
            "Add spring-boot-starter-data-redis with spring.data.redis.* settings, or set "
                + "forceflux.token-store.redis-url instead.");
      }
      url = app.url();
    }
    RedisTokenStore.Builder b = RedisTokenStore.builder(url).keyPrefix(store.getKeyPrefix());
    String key = store.getEncryptionKey();
    if (key != null) {
      b.encryptionKey(key);
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw ForceFluxSettings.invalid(store.getRedisUrl() != null ? "token-store.redis-url"
              : "token-store.use-application-redis", "does not give a usable Redis URI",
          "Set forceflux.token-store.redis-url to redis://host:6379 (rediss:// for TLS).");
    }
  }

  /** The Redis URL of the application's own Spring Data Redis connection settings. */
  record ApplicationRedis(String url) {}

  /** Reads the application's Redis connection details when Spring Boot's Redis support is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails")
  static class ApplicationRedisConfiguration {

    @Bean
    @ConditionalOnBean(DataRedisConnectionDetails.class)
    @ConditionalOnMissingBean
    ApplicationRedis forcefluxApplicationRedis(DataRedisConnectionDetails details) {
      if (details.getStandalone() == null || details.getSentinel() != null || details.getCluster() != null) {
        throw ForceFluxSettings.invalid("token-store.use-application-redis",
            "is true, but the application's Redis is not a standalone server",
            "Set forceflux.token-store.redis-url to the Redis to share tokens on instead.");
      }
      DataRedisConnectionDetails.Standalone s = details.getStandalone();
      return new ApplicationRedis(url(details.getSslBundle() != null, details.getUsername(), details.getPassword(),
          s.getHost(), s.getPort(), s.getDatabase()));
    }

    private static String url(boolean ssl, @Nullable String user, @Nullable String password, String host, int port,
        int database) {
      String userInfo = password == null ? null : (user == null ? "" : user) + ":" + password;
      try {
        // The multi-argument constructor quotes what userinfo needs quoted.
        return new URI(ssl ? "rediss" : "redis", userInfo, host, port, "/" + database, null, null).toASCIIString();
      } catch (URISyntaxException e) {
        throw ForceFluxSettings.invalid("token-store.use-application-redis",
            "is true, but spring.data.redis does not form a Redis URI", "Set forceflux.token-store.redis-url instead.");
      }
    }
  }
}
