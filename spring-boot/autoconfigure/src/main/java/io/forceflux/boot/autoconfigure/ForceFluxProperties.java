package io.forceflux.boot.autoconfigure;

import io.forceflux.core.recovery.Jitter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code forceflux.*} properties. Everything is checked when the application starts: a missing or contradictory
 * setting stops start-up with a message that names the property and what to set (never its value when it is a
 * secret).
 *
 * <pre>{@code
 * forceflux:
 *   login-url: https://login.salesforce.com
 *   grant:
 *     type: refresh-token
 *     client-id: ${SF_CLIENT_ID}
 *     client-secret: ${SF_CLIENT_SECRET}
 *     refresh-token: ${SF_REFRESH_TOKEN}
 * }</pre>
 */
@ConfigurationProperties("forceflux")
public class ForceFluxProperties {

  /** Whether to auto-configure ForceFlux at all. */
  private boolean enabled = true;

  /**
   * Where tokens are requested: https://login.salesforce.com, https://test.salesforce.com (sandboxes) or the org's My
   * Domain URL (required by the client-credentials grant). Must be https unless its origin is listed in
   * allowed-instance-origins.
   */
  private URI loginUrl = URI.create("https://login.salesforce.com");

  /**
   * Origins (scheme://host[:port]) that tokens may be sent to besides https on Salesforce's own domains, for a proxy
   * or a test org. Default: none.
   */
  private List<String> allowedInstanceOrigins = new ArrayList<>();

  /**
   * The org's session timeout (Setup, Session Settings), when known: a token idle longer than this is refreshed
   * before use instead of being sent to die. Range 1ms..24h. Default: unknown (tokens are used until rejected).
   */
  private @Nullable Duration sessionTimeout;

  /** The REST API version, like 66.0. Default: the newest the instance lists. */
  private @Nullable String apiVersion;

  /**
   * Records per query page, sent as Sforce-Query-Options batchSize (a hint: Salesforce may send fewer). Range
   * 200..2000. Default: none sent (Salesforce uses 2000).
   */
  private @Nullable Integer batchSize;

  /** The credential. */
  private final Grant grant = new Grant();

  /** Retries of token requests and replays of requests whose session died. */
  private final Recovery recovery = new Recovery();

  /** The connection pool of Salesforce API calls (token requests use their own connections). */
  private final Pool pool = new Pool();

  /** The token store shared by every replica using the same credential. Default: none. */
  private final TokenStore tokenStore = new TokenStore();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public URI getLoginUrl() {
    return loginUrl;
  }

  public void setLoginUrl(URI loginUrl) {
    this.loginUrl = loginUrl;
  }

  public List<String> getAllowedInstanceOrigins() {
    return allowedInstanceOrigins;
  }

  public void setAllowedInstanceOrigins(List<String> allowedInstanceOrigins) {
    this.allowedInstanceOrigins = allowedInstanceOrigins;
  }

  public @Nullable Duration getSessionTimeout() {
    return sessionTimeout;
  }

  public void setSessionTimeout(@Nullable Duration sessionTimeout) {
    this.sessionTimeout = sessionTimeout;
  }

  public @Nullable String getApiVersion() {
    return apiVersion;
  }

  public void setApiVersion(@Nullable String apiVersion) {
    this.apiVersion = apiVersion;
  }

  public @Nullable Integer getBatchSize() {
    return batchSize;
  }

  public void setBatchSize(@Nullable Integer batchSize) {
    this.batchSize = batchSize;
  }

  public Grant getGrant() {
    return grant;
  }

  public Recovery getRecovery() {
    return recovery;
  }

  public Pool getPool() {
    return pool;
  }

  public TokenStore getTokenStore() {
    return tokenStore;
  }

  /** The OAuth grant ForceFlux obtains tokens with. */
  public enum GrantType {
    /** OAuth refresh token flow: client-id, refresh-token, client-secret when the connected app requires it. */
    REFRESH_TOKEN,
    /** OAuth JWT bearer flow: client-id, username, and private-key-file or keystore (with its password and alias). */
    JWT_BEARER,
    /** OAuth client credentials flow: client-id, client-secret; login-url must be the org's My Domain URL. */
    CLIENT_CREDENTIALS,
    /** OAuth username-password flow: client-id, client-secret, username, password, security-token if required. */
    PASSWORD
  }

  /** The credential: which grant and its parameters. Only the parameters of the chosen grant may be set. */
  public static class Grant {
    /** The grant: refresh-token, jwt-bearer, client-credentials or password. Required. */
    private @Nullable GrantType type;

    /** The connected app's consumer key. */
    private @Nullable String clientId;

    /** The connected app's consumer secret (refresh-token: only if the app requires it; client-credentials; password). */
    private @Nullable String clientSecret;

    /** The refresh token (refresh-token grant). */
    private @Nullable String refreshToken;

    /** The Salesforce username (jwt-bearer, password). */
    private @Nullable String username;

    /** The user's password, without the security token (password grant). */
    private @Nullable String password;

    /** The security token appended to the password, when the org requires one (password grant). */
    private @Nullable String securityToken;

    /** A PKCS#8 PEM file with the private key that signs the JWT (jwt-bearer; exclusive with keystore). */
    private @Nullable Path privateKeyFile;

    /** A PKCS#12 keystore holding the JWT signing key (jwt-bearer; exclusive with private-key-file). */
    private @Nullable Path keystore;

    /** The keystore's password (with keystore). */
    private @Nullable String keystorePassword;

    /** The alias of the signing key in the keystore (with keystore). */
    private @Nullable String keyAlias;

    /** The JWT audience (jwt-bearer). Default: the login URL. */
    private @Nullable String audience;

    public @Nullable GrantType getType() {
      return type;
    }

    public void setType(@Nullable GrantType type) {
      this.type = type;
    }

    public @Nullable String getClientId() {
      return clientId;
    }

    public void setClientId(@Nullable String clientId) {
      this.clientId = clientId;
    }

    public @Nullable String getClientSecret() {
      return clientSecret;
    }

    public void setClientSecret(@Nullable String clientSecret) {
      this.clientSecret = clientSecret;
    }

    public @Nullable String getRefreshToken() {
      return refreshToken;
    }

    public void setRefreshToken(@Nullable String refreshToken) {
      this.refreshToken = refreshToken;
    }

    public @Nullable String getUsername() {
      return username;
    }

    public void setUsername(@Nullable String username) {
      this.username = username;
    }

    public @Nullable String getPassword() {
      return password;
    }

    public void setPassword(@Nullable String password) {
      this.password = password;
    }

    public @Nullable String getSecurityToken() {
      return securityToken;
    }

    public void setSecurityToken(@Nullable String securityToken) {
      this.securityToken = securityToken;
    }

    public @Nullable Path getPrivateKeyFile() {
      return privateKeyFile;
    }

    public void setPrivateKeyFile(@Nullable Path privateKeyFile) {
      this.privateKeyFile = privateKeyFile;
    }

    public @Nullable Path getKeystore() {
      return keystore;
    }

    public void setKeystore(@Nullable Path keystore) {
      this.keystore = keystore;
    }

    public @Nullable String getKeystorePassword() {
      return keystorePassword;
    }

    public void setKeystorePassword(@Nullable String keystorePassword) {
      this.keystorePassword = keystorePassword;
    }

    public @Nullable String getKeyAlias() {
      return keyAlias;
    }

    public void setKeyAlias(@Nullable String keyAlias) {
      this.keyAlias = keyAlias;
    }

    public @Nullable String getAudience() {
      return audience;
    }

    public void setAudience(@Nullable String audience) {
      this.audience = audience;
    }

    @Override
    public String toString() {
      return "Grant[type=" + type + ", secrets hidden]";
    }
  }

  /** Attempts and exponential backoff with jitter for token requests and replays. */
  public static class Recovery {
    /** Attempts in total, the first included. Range 1..100. */
    private int maxAttempts = 5;

    /** The base delay before the first retry; must not exceed max-backoff. */
    private Duration initialBackoff = Duration.ofSeconds(2);

    /** The cap on any single delay. Range 0..1h. */
    private Duration maxBackoff = Duration.ofSeconds(60);

    /** How delays are randomised: full, equal or none. */
    private Jitter jitter = Jitter.FULL;

    /**
     * How many rejections of tokens obtained after a request started (and never accepted by any request) end it as a
     * session-security policy failure instead of being replayed. Range 1..10.
     */
    private int freshRejectionLimit = 2;

    public int getFreshRejectionLimit() {
      return freshRejectionLimit;
    }

    public void setFreshRejectionLimit(int freshRejectionLimit) {
      this.freshRejectionLimit = freshRejectionLimit;
    }

    public int getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public Duration getInitialBackoff() {
      return initialBackoff;
    }

    public void setInitialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
    }

    public Duration getMaxBackoff() {
      return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }

    public Jitter getJitter() {
      return jitter;
    }

    public void setJitter(Jitter jitter) {
      this.jitter = jitter;
    }
  }

  /** The connection pool of API calls. */
  public static class Pool {
    /** Connections open at most; further requests queue for one. Range 1..10000. */
    private int maxConnections = 500;

    /** How long a request may wait for a connection when all are busy. Range 1ms..10m. */
    private Duration pendingAcquireTimeout = Duration.ofSeconds(60);

    /** Idle connections are closed after this, before a load balancer drops them under a request. */
    private Duration maxIdleTime = Duration.ofSeconds(30);

    /** The longest wait for a response once a request is sent. Range 1ms..1h. */
    private Duration responseTimeout = Duration.ofMinutes(2);

    public int getMaxConnections() {
      return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
      this.maxConnections = maxConnections;
    }

    public Duration getPendingAcquireTimeout() {
      return pendingAcquireTimeout;
    }

    public void setPendingAcquireTimeout(Duration pendingAcquireTimeout) {
      this.pendingAcquireTimeout = pendingAcquireTimeout;
    }

    public Duration getMaxIdleTime() {
      return maxIdleTime;
    }

    public void setMaxIdleTime(Duration maxIdleTime) {
      this.maxIdleTime = maxIdleTime;
    }

    public Duration getResponseTimeout() {
      return responseTimeout;
    }

    public void setResponseTimeout(Duration responseTimeout) {
      this.responseTimeout = responseTimeout;
    }
  }

  /**
   * The shared token store: one token request per expiry for a fleet, and the newest rotated refresh token for every
   * replica. Set redis-url, or use-application-redis to reuse the application's spring.data.redis connection
   * settings; either needs encryption-key.
   */
  public static class TokenStore {
    /** The Redis to share tokens on: redis://[user:password@]host[:port][/db], rediss:// for TLS. */
    private @Nullable String redisUrl;

    /** Whether to share tokens on the Redis the application's spring.data.redis settings point at. */
    private boolean useApplicationRedis;

    /**
     * Base64 of a 16- or 32-byte AES key (openssl rand -base64 32) sealing tokens in Redis; the same on every replica.
     * Required with a store.
     */
    private @Nullable String encryptionKey;

    /** Prefix of every key and channel, to share a Redis between applications. */
    private String keyPrefix = "forceflux";

    public @Nullable String getRedisUrl() {
      return redisUrl;
    }

    public void setRedisUrl(@Nullable String redisUrl) {
      this.redisUrl = redisUrl;
    }

    public boolean isUseApplicationRedis() {
      return useApplicationRedis;
    }

    public void setUseApplicationRedis(boolean useApplicationRedis) {
      this.useApplicationRedis = useApplicationRedis;
    }

    public @Nullable String getEncryptionKey() {
      return encryptionKey;
    }

    public void setEncryptionKey(@Nullable String encryptionKey) {
      this.encryptionKey = encryptionKey;
    }

    public String getKeyPrefix() {
      return keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }

    /** Whether a store is configured at all. */
    boolean configured() {
      return redisUrl != null || useApplicationRedis;
    }

    @Override
    public String toString() {
      return "TokenStore[" + (configured() ? "redis" : "none") + ", secrets hidden]";
    }
  }
}
