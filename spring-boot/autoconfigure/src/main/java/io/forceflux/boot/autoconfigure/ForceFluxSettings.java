package io.forceflux.boot.autoconfigure;

import io.forceflux.boot.autoconfigure.ForceFluxProperties.GrantType;
import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.InstanceUrlPolicy;
import io.forceflux.core.internal.ApiVersions;
import io.forceflux.core.recovery.RecoveryPolicy;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * The checked form of {@link ForceFluxProperties}: every rule that makes a setting missing, out of range or
 * contradictory lives here, and each failure names its property. Values of secrets are never quoted.
 */
final class ForceFluxSettings {
  private static final String P = "forceflux.";
  private static final Set<String> LOGIN_HOSTS = Set.of("login.salesforce.com", "test.salesforce.com");

  final URI loginUrl;
  final InstanceUrlPolicy instanceUrlPolicy;
  final @Nullable Duration sessionTimeout;
  final @Nullable String apiVersion;
  final RecoveryPolicy recoveryPolicy;
  final int freshRejectionLimit;
  final @Nullable Integer batchSize;
  final ForceFluxProperties.Pool pool;
  final ForceFluxProperties.TokenStore tokenStore;
  private final ForceFluxProperties.Grant grant;

  private ForceFluxSettings(ForceFluxProperties p, @Nullable ClassLoader classLoader) {
    List<String> origins = origins(p.getAllowedInstanceOrigins());
    this.instanceUrlPolicy = InstanceUrlPolicy.allowing(origins.toArray(String[]::new));
    this.loginUrl = loginUrl(p.getLoginUrl(), instanceUrlPolicy);
    this.sessionTimeout = p.getSessionTimeout();
    if (sessionTimeout != null && (sessionTimeout.toMillis() < 1 || sessionTimeout.compareTo(Duration.ofHours(24)) > 0)) {
      throw invalid("session-timeout", "is out of range 1ms..24h",
          "Set forceflux.session-timeout to the org's session timeout (Setup > Session Settings), e.g. 2h, or remove it.");
    }
    this.apiVersion = p.getApiVersion();
    if (apiVersion != null && !ApiVersions.isValid(apiVersion)) {
      throw invalid("api-version", "must look like 66.0", "Set forceflux.api-version to a version such as 66.0, or "
          + "remove it to use the newest the instance lists.");
    }
    this.recoveryPolicy = recovery(p.getRecovery());
    this.freshRejectionLimit = p.getRecovery().getFreshRejectionLimit();
    if (freshRejectionLimit < 1 || freshRejectionLimit > 10) {
      throw invalid("recovery.fresh-rejection-limit", "is out of range 1..10",
          "Set forceflux.recovery.fresh-rejection-limit to 1..10 (default 2).");
    }
    this.batchSize = p.getBatchSize();
    if (batchSize != null && (batchSize < 200 || batchSize > 2000)) {
      throw invalid("batch-size", "is out of range 200..2000",
          "Set forceflux.batch-size to 200..2000, or remove it to let Salesforce choose (2000).");
    }
    this.pool = pool(p.getPool());
    this.tokenStore = p.getTokenStore();
    tokenStore(tokenStore);
    if (tokenStore.configured() && !ClassUtils.isPresent("io.lettuce.core.RedisClient", classLoader)) {
      throw invalid(tokenStore.getRedisUrl() != null ? "token-store.redis-url" : "token-store.use-application-redis",
          "configures a Redis token store, but Lettuce is not on the classpath",
          "Add the dependency io.lettuce:lettuce-core, or remove the forceflux.token-store settings.");
    }
    this.grant = p.getGrant();
  }

  /**
   * Checks every setting except the grant's parameters (checked by {@link #grant()}, which is not called when the
   * application defines its own {@code Grant}).
   *
   * @throws InvalidForceFluxPropertyException naming the first property that is wrong
   */
  static ForceFluxSettings of(ForceFluxProperties properties, @Nullable ClassLoader classLoader) {
    return new ForceFluxSettings(properties, classLoader);
  }

  /** The grant from {@code forceflux.grant.*}, with every parameter checked. */
  Grant grant() {
    GrantType type = grant.getType();
    if (type == null) {
      throw invalid("grant.type", "is not set", "Set forceflux.grant.type to refresh-token, jwt-bearer, "
          + "client-credentials or password, with that grant's parameters under forceflux.grant.");
    }
    String name = type.name().toLowerCase(Locale.ROOT).replace('_', '-');
    Map<String, Object> set = new LinkedHashMap<>();
    put(set, "client-secret", grant.getClientSecret());
    put(set, "refresh-token", grant.getRefreshToken());
    put(set, "username", grant.getUsername());
    put(set, "password", grant.getPassword());
    put(set, "security-token", grant.getSecurityToken());
    put(set, "private-key-file", grant.getPrivateKeyFile());
    put(set, "keystore", grant.getKeystore());
    put(set, "keystore-password", grant.getKeystorePassword());
    put(set, "key-alias", grant.getKeyAlias());
    put(set, "audience", grant.getAudience());
    Set<String> allowed = switch (type) {
      case REFRESH_TOKEN -> Set.of("client-secret", "refresh-token");
      case JWT_BEARER -> Set.of("username", "private-key-file", "keystore", "keystore-password", "key-alias",
          "audience");
      case CLIENT_CREDENTIALS -> Set.of("client-secret");
      case PASSWORD -> Set.of("client-secret", "username", "password", "security-token");
    };
    for (String key : set.keySet()) {
      if (!allowed.contains(key)) {
        throw invalid("grant." + key, "is set, but the " + name + " grant does not use it",
            "Remove forceflux.grant." + key + ", or set forceflux.grant.type to the grant it belongs to.");
      }
    }
    String clientId = required(grant.getClientId(), "client-id", name, "the connected app's consumer key");
    return switch (type) {
      case REFRESH_TOKEN -> Grant.refreshToken(loginUrl, clientId, blankToNull(grant.getClientSecret()),
          required(grant.getRefreshToken(), "refresh-token", name, "the refresh token from the OAuth approval"));
      case JWT_BEARER -> jwtBearer(clientId, name);
      case CLIENT_CREDENTIALS -> {
        if (LOGIN_HOSTS.contains(String.valueOf(loginUrl.getHost()).toLowerCase(Locale.ROOT))) {
          throw invalid("login-url", "is a shared login host, where Salesforce refuses the client-credentials grant",
              "Set forceflux.login-url to the org's My Domain URL, e.g. https://mycompany.my.salesforce.com.");
        }
        yield Grant.clientCredentials(loginUrl, clientId,
            required(grant.getClientSecret(), "client-secret", name, "the connected app's consumer secret"));
      }
      case PASSWORD -> Grant.password(loginUrl, clientId,
          required(grant.getClientSecret(), "client-secret", name, "the connected app's consumer secret"),
          required(grant.getUsername(), "username", name, "the Salesforce username"),
          required(grant.getPassword(), "password", name, "the user's password (without the security token)"),
          blankToNull(grant.getSecurityToken()));
    };
  }

  private Grant jwtBearer(String clientId, String name) {
    String username = required(grant.getUsername(), "username", name, "the Salesforce username the JWT asserts");
    Path pem = grant.getPrivateKeyFile();
    Path keystore = grant.getKeystore();
    if ((pem == null) == (keystore == null)) {
      throw invalid("grant.private-key-file", pem == null ? "and forceflux.grant.keystore are both unset"
              : "and forceflux.grant.keystore are both set",
          "Set exactly one: forceflux.grant.private-key-file (a PKCS#8 PEM file) or forceflux.grant.keystore (a "
              + "PKCS#12 file, with forceflux.grant.keystore-password and forceflux.grant.key-alias).");
    }
    String audience = blankToNull(grant.getAudience());
    if (pem != null) {
      if (grant.getKeystorePassword() != null || grant.getKeyAlias() != null) {
        throw invalid("grant.keystore-password", "or forceflux.grant.key-alias is set without forceflux.grant.keystore",
            "Remove them, or use forceflux.grant.keystore instead of forceflux.grant.private-key-file.");
      }
      String text;
      try {
        text = Files.readString(pem, StandardCharsets.US_ASCII);
      } catch (IOException | RuntimeException e) {
        throw invalid("grant.private-key-file", "cannot be read (" + e.getClass().getSimpleName() + ")",
            "Set forceflux.grant.private-key-file to a readable PKCS#8 PEM file (-----BEGIN PRIVATE KEY-----).");
      }
      try {
        return Grant.jwtBearer(loginUrl, clientId, username, text, audience);
      } catch (RuntimeException e) {
        throw invalid("grant.private-key-file", "does not hold a PKCS#8 PEM private key",
            "Convert the key with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
      }
    }
    String password = required(grant.getKeystorePassword(), "keystore-password", name, "the keystore's password");
    String alias = required(grant.getKeyAlias(), "key-alias", name, "the alias of the signing key in the keystore");
    if (!Files.isReadable(keystore)) {
      throw invalid("grant.keystore", "cannot be read", "Set forceflux.grant.keystore to a readable PKCS#12 file.");
    }
    try {
      return Grant.jwtBearer(loginUrl, clientId, username, keystore, password.toCharArray(), alias, audience);
    } catch (RuntimeException e) {
      throw invalid("grant.keystore", "has no private key under forceflux.grant.key-alias with that password",
          "Check forceflux.grant.keystore-password and forceflux.grant.key-alias (keytool -list -keystore FILE).");
    }
  }

  private static void put(Map<String, Object> set, String key, @Nullable Object value) {
    if (value != null && !(value instanceof String s && s.isBlank())) {
      set.put(key, value);
    }
  }

  private static String required(@Nullable String value, String key, String grantName, String what) {
    if (value == null || value.isBlank()) {
      throw invalid("grant." + key, "is not set (the " + grantName + " grant needs it)",
          "Set forceflux.grant." + key + " to " + what + ".");
    }
    return value;
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static List<String> origins(List<String> configured) {
    List<String> origins = new ArrayList<>();
    for (String o : configured) {
      String trimmed = o.strip();
      URI uri;
      try {
        uri = URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
      } catch (IllegalArgumentException e) {
        uri = null;
      }
      if (uri == null || uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
          || uri.getRawUserInfo() != null) {
        throw invalid("allowed-instance-origins", "has an entry that is not an origin (scheme://host[:port])",
            "List origins only, e.g. https://proxy.example.com or http://127.0.0.1:8443, without paths.");
      }
      origins.add(uri.toString());
    }
    return origins;
  }

  private static URI loginUrl(URI url, InstanceUrlPolicy policy) {
    if (url.getHost() == null || url.getRawUserInfo() != null || url.getRawQuery() != null
        || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))) {
      throw invalid("login-url", "is not an http(s) URL with a host", "Set forceflux.login-url to "
          + "https://login.salesforce.com, https://test.salesforce.com or the org's My Domain URL.");
    }
    if (!policy.allows(url) && "http".equals(url.getScheme())) {
      throw invalid("login-url", "is plain http, which would send the credential unencrypted",
          "Use https, or list this origin in forceflux.allowed-instance-origins (test orgs only).");
    }
    return url;
  }

  private static RecoveryPolicy recovery(ForceFluxProperties.Recovery r) {
    if (r.getMaxAttempts() < 1 || r.getMaxAttempts() > 100) {
      throw invalid("recovery.max-attempts", "is out of range 1..100", "Set forceflux.recovery.max-attempts to "
          + "1..100 (default 5).");
    }
    if (r.getMaxBackoff().isNegative() || r.getMaxBackoff().compareTo(Duration.ofHours(1)) > 0) {
      throw invalid("recovery.max-backoff", "is out of range 0..1h", "Set forceflux.recovery.max-backoff to "
          + "0..1h (default 60s).");
    }
    if (r.getInitialBackoff().isNegative() || r.getInitialBackoff().compareTo(r.getMaxBackoff()) > 0) {
      throw invalid("recovery.initial-backoff", "is negative or exceeds forceflux.recovery.max-backoff",
          "Set forceflux.recovery.initial-backoff between 0 and forceflux.recovery.max-backoff (default 2s).");
    }
    return RecoveryPolicy.builder().maxAttempts(r.getMaxAttempts()).initialBackoff(r.getInitialBackoff())
        .maxBackoff(r.getMaxBackoff()).jitter(r.getJitter()).build();
  }

  private static ForceFluxProperties.Pool pool(ForceFluxProperties.Pool pool) {
    if (pool.getMaxConnections() < 1 || pool.getMaxConnections() > 10_000) {
      throw invalid("pool.max-connections", "is out of range 1..10000",
          "Set forceflux.pool.max-connections to 1..10000 (default 500).");
    }
    inRange(pool.getPendingAcquireTimeout(), Duration.ofMinutes(10), "pool.pending-acquire-timeout", "60s");
    inRange(pool.getMaxIdleTime(), Duration.ofHours(1), "pool.max-idle-time", "30s");
    inRange(pool.getResponseTimeout(), Duration.ofHours(1), "pool.response-timeout", "2m");
    return pool;
  }

  private static void inRange(Duration value, Duration max, String key, String dflt) {
    if (value.toMillis() < 1 || value.compareTo(max) > 0) {
      throw invalid(key, "is out of range 1ms.." + max.toString().substring(2).toLowerCase(Locale.ROOT),
          "Set forceflux." + key + " within that range (default " + dflt + ").");
    }
  }

  private static void tokenStore(ForceFluxProperties.TokenStore store) {
    String url = store.getRedisUrl();
    if (url != null && store.isUseApplicationRedis()) {
      throw invalid("token-store.redis-url", "and forceflux.token-store.use-application-redis are both set",
          "Set one: forceflux.token-store.redis-url for a Redis of its own, or use-application-redis=true for the "
              + "application's spring.data.redis connection.");
    }
    if (url != null && !url.matches("rediss?://\\S+")) {
      // The URL may carry a password: describe it, never quote it.
      throw invalid("token-store.redis-url", "is not a Redis URL",
          "Set forceflux.token-store.redis-url to redis://host:6379 (rediss:// for TLS).");
    }
    String key = store.getEncryptionKey();
    if (!store.configured()) {
      if (key != null) {
        throw invalid("token-store.encryption-key", "is set, but no token store is configured",
            "Set forceflux.token-store.redis-url (or use-application-redis=true), or remove the encryption key.");
      }
      return;
    }
    if (key == null || key.isBlank()) {
      throw invalid("token-store.encryption-key", "is not set: tokens shared in Redis must be encrypted",
          "Set forceflux.token-store.encryption-key to the Base64 of 32 random bytes (openssl rand -base64 32), "
              + "the same on every replica.");
    }
    int length;
    try {
      length = Base64.getDecoder().decode(key.strip()).length;
    } catch (IllegalArgumentException e) {
      length = -1;
    }
    if (length != 16 && length != 32) {
      throw invalid("token-store.encryption-key", "is not the Base64 of a 16- or 32-byte key",
          "Set forceflux.token-store.encryption-key to the output of: openssl rand -base64 32");
    }
    if (store.getKeyPrefix().isBlank() || store.getKeyPrefix().indexOf('{') >= 0 || store.getKeyPrefix().indexOf('}') >= 0) {
      throw invalid("token-store.key-prefix", "must be non-blank without { or }",
          "Set forceflux.token-store.key-prefix to a plain name such as forceflux (default).");
    }
  }

  static InvalidForceFluxPropertyException invalid(String key, String problem, String action) {
    return new InvalidForceFluxPropertyException(P + key, problem, action);
  }
}
