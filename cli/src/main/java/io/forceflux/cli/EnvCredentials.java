package io.forceflux.cli;

import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.InstanceUrlPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Credentials from the environment. Which grant: {@code SF_REFRESH_TOKEN} if set; else {@code SF_USERNAME} with
 * {@code SF_PRIVATE_KEY} (JWT bearer); else {@code SF_USERNAME} with {@code SF_PASSWORD} (+ {@code
 * SF_SECURITY_TOKEN}). Every problem is a usage error naming the variable; no value is ever echoed.
 */
final class EnvCredentials {
  static final String LOGIN_URL = "SF_LOGIN_URL";
  static final String CLIENT_ID = "SF_CLIENT_ID";
  static final String CLIENT_SECRET = "SF_CLIENT_SECRET";
  static final String REFRESH_TOKEN = "SF_REFRESH_TOKEN";
  static final String USERNAME = "SF_USERNAME";
  static final String PRIVATE_KEY = "SF_PRIVATE_KEY";
  static final String PASSWORD = "SF_PASSWORD";
  static final String SECURITY_TOKEN = "SF_SECURITY_TOKEN";

  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

  private EnvCredentials() {}

  static Connection connect(Map<String, String> env, CommandLine cmd) {
    URI loginUrl = loginUrl(env, cmd);
    String clientId = required(env, CLIENT_ID, cmd, "the connected app's consumer key");
    String clientSecret = optional(env, CLIENT_SECRET);
    InstanceUrlPolicy policy = policyFor(loginUrl);
    String refreshToken = optional(env, REFRESH_TOKEN);
    if (refreshToken != null) {
      return new Connection(Grant.refreshToken(loginUrl, clientId, clientSecret, refreshToken), policy, loginUrl,
          clientId, clientSecret, "refresh_token grant (SF_REFRESH_TOKEN)", null);
    }
    String username = optional(env, USERNAME);
    String privateKey = optional(env, PRIVATE_KEY);
    String password = optional(env, PASSWORD);
    if (username == null) {
      throw new ParameterException(cmd, missingGrant());
    }
    if (privateKey != null) {
      String pem = pem(privateKey, cmd);
      try {
        return new Connection(Grant.jwtBearer(loginUrl, clientId, username, pem, audience(loginUrl)), policy,
            loginUrl, clientId, clientSecret, "JWT bearer grant (SF_USERNAME + SF_PRIVATE_KEY)", null);
      } catch (IllegalArgumentException e) {
        // The message never contains key material (PrivateKeys).
        throw new ParameterException(cmd, PRIVATE_KEY + ": " + e.getMessage());
      }
    }
    if (password != null) {
      if (clientSecret == null) {
        throw new ParameterException(cmd, CLIENT_SECRET + " is not set (the username-password flow needs the "
            + "connected app's consumer secret)");
      }
      return new Connection(
          Grant.password(loginUrl, clientId, clientSecret, username, password, optional(env, SECURITY_TOKEN)),
          policy, loginUrl, clientId, clientSecret, "username-password grant (SF_USERNAME + SF_PASSWORD)", null);
    }
    throw new ParameterException(cmd, USERNAME + " is set but neither " + PRIVATE_KEY + " nor " + PASSWORD
        + " is: " + missingGrant());
  }

  static String missingGrant() {
    return "set " + REFRESH_TOKEN + ", or " + USERNAME + " with " + PRIVATE_KEY + " or " + PASSWORD;
  }

  private static URI loginUrl(Map<String, String> env, CommandLine cmd) {
    String value = required(env, LOGIN_URL, cmd,
        "e.g. https://login.salesforce.com, https://test.salesforce.com or your My Domain URL");
    URI uri;
    try {
      uri = new URI(value.strip());
    } catch (URISyntaxException e) {
      throw new ParameterException(cmd, LOGIN_URL + " is not a URL: '" + value + "'");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http") && isLoopback(uri))) {
      throw new ParameterException(cmd, LOGIN_URL + " must be an https:// URL such as https://login.salesforce.com "
          + "(http:// only for a local 'forceflux sim'): '" + value + "'");
    }
    return URI.create(scheme + "://" + uri.getRawAuthority());
  }

  /**
   * Real orgs: https on Salesforce domains only. A loopback login URL (a local {@code forceflux sim}) also allows
   * that port on the loopback names the fake org uses as instance URLs.
   */
  static InstanceUrlPolicy policyFor(URI loginUrl) {
    if (!isLoopback(loginUrl)) {
      return InstanceUrlPolicy.standard();
    }
    int port = loginUrl.getPort() < 0 ? 80 : loginUrl.getPort();
    String scheme = loginUrl.getScheme();
    return InstanceUrlPolicy.allowing(scheme + "://127.0.0.1:" + port, scheme + "://localhost:" + port);
  }

  static boolean isLoopback(URI uri) {
    return uri.getHost() != null && LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT));
  }

  /** JWT {@code aud}: login or test for Salesforce hosts (My Domain logins included), the login URL otherwise. */
  private static @Nullable String audience(URI loginUrl) {
    String host = loginUrl.getHost().toLowerCase(Locale.ROOT);
    if (host.equals("test.salesforce.com") || host.endsWith(".sandbox.my.salesforce.com")) {
      return "https://test.salesforce.com";
    }
    if (host.endsWith(".salesforce.com")) {
      return "https://login.salesforce.com";
    }
    return null;
  }

  private static String pem(String value, CommandLine cmd) {
    if (value.contains("-----BEGIN")) {
      return value;
    }
    Path path;
    try {
      path = Path.of(value.strip());
    } catch (InvalidPathException e) {
      throw new ParameterException(cmd, PRIVATE_KEY + " is neither a PKCS#8 PEM nor a file path");
    }
    if (!Files.isRegularFile(path)) {
      throw new ParameterException(cmd, PRIVATE_KEY + " is neither a PKCS#8 PEM (BEGIN PRIVATE KEY) nor a readable "
          + "file: " + path);
    }
    try {
      return Files.readString(path, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new ParameterException(cmd, PRIVATE_KEY + ": cannot read " + path + " (" + e.getClass().getSimpleName()
          + ")");
    }
  }

  private static String required(Map<String, String> env, String name, CommandLine cmd, String hint) {
    String value = optional(env, name);
    if (value == null) {
      throw new ParameterException(cmd, name + " is not set (" + hint + ")");
    }
    return value;
  }

  private static @Nullable String optional(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value;
  }
}
