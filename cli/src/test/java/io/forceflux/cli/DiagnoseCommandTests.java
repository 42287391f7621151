package io.forceflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.error.FailureCause;
import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(60)
class DiagnoseCommandTests {

  @Test
  void passesEveryStepOnAHealthyOrg() {
    Cli.Run run = Cli.run("diagnose", "--sim");

    assertThat(run.exitCode()).as(run.all()).isZero();
    assertThat(run.out())
        .contains("✓ 1. Obtain a token", "✓ 2. Introspect the token", "✓ 3. Read /limits", "✓ 4. One API call")
        .contains("refresh_token grant", "active; expires", "DailyApiRequests", "All checks passed")
        .doesNotContain("✗");
    assertNoSecrets(run);
  }

  @ParameterizedTest(name = "{0} -> {1}, exit {2}")
  @CsvSource({
      "ip-restricted,      IP_RESTRICTED,          3, 1, IP relaxation",
      "revoked,            REFRESH_TOKEN_REVOKED,  3, 1, Refresh token policy",
      "inactive-user,      INACTIVE_USER,          3, 1, Session timeout",
      "rest-policy,        SESSION_POLICY,         3, 3, High Assurance",
      "password-changed,   REFRESH_TOKEN_REVOKED,  3, 1, Refresh token policy",
      "login-rate,         LOGIN_RATE_EXCEEDED,    3, 1, Session timeout",
      "sandbox-refresh,    UNKNOWN_CLIENT,         3, 1, Session timeout",
      "server-unavailable, SERVER_UNAVAILABLE,     4, 1, Session timeout",
  })
  void classifiesEverySimulatedFault(String fault, FailureCause cause, int exitCode, int failedStep, String setting) {
    Cli.Run run = Cli.run("diagnose", "--sim", "--sim-fault", fault);

    assertThat(run.exitCode()).as(run.all()).isEqualTo(exitCode);
    assertThat(run.out())
        .contains("✗ " + failedStep + ". ")
        .contains("Cause:    " + cause)
        .contains("Runbook:  " + cause.runbook())
        .contains("Settings to check", "Session timeout:", "Refresh token policy:", "IP relaxation:",
            "High Assurance / session security level:")
        .contains("Result: " + cause);
    for (int step = failedStep + 1; step <= 4; step++) {
      assertThat(run.out()).contains("- " + step + ". ");
    }
    if (cause == FailureCause.IP_RESTRICTED || cause == FailureCause.SESSION_POLICY
        || cause == FailureCause.REFRESH_TOKEN_REVOKED) {
      assertThat(run.out()).containsPattern("→ " + Pattern.quote(setting));
    }
    assertNoSecrets(run);
  }

  @Test
  void usesTheJwtAndPasswordGrantsToo() {
    Cli.Run jwt = Cli.run("diagnose", "--sim", "--sim-grant", "jwt");
    Cli.Run password = Cli.run("diagnose", "--sim", "--sim-grant", "password", "--sim-fault", "password-changed");

    assertThat(jwt.exitCode()).as(jwt.all()).isZero();
    assertThat(jwt.out()).contains("JWT bearer grant");
    assertThat(password.exitCode()).as(password.all()).isEqualTo(3);
    assertThat(password.out()).contains("Cause:    AUTHENTICATION_FAILURE");
    assertNoSecrets(jwt);
    assertNoSecrets(password);
  }

  @Test
  void runsAgainstCredentialsFromTheEnvironment() {
    try (FakeOrg org = FakeOrg.builder().accounts(10).build().start()) {
      var c = org.credentials();
      Map<String, String> env = Map.of("SF_LOGIN_URL", org.loginUrl(), "SF_CLIENT_ID", c.clientId(),
          "SF_CLIENT_SECRET", c.clientSecret(), "SF_REFRESH_TOKEN", c.refreshToken());
      Cli.Run run = Cli.run(env, "diagnose");

      assertThat(run.exitCode()).as(run.all()).isZero();
      assertThat(run.out()).contains("refresh_token grant (SF_REFRESH_TOKEN)", "All checks passed");
      assertThat(run.all()).doesNotContain(c.clientSecret(), c.refreshToken(), c.clientId());

      Cli.Run withoutSecret = Cli.run(Map.of("SF_LOGIN_URL", org.loginUrl(), "SF_CLIENT_ID", c.clientId(),
          "SF_REFRESH_TOKEN", c.refreshToken()), "diagnose");
      assertThat(withoutSecret.exitCode()).as(withoutSecret.all()).isZero();
      assertThat(withoutSecret.out()).contains("- 2. Introspect the token", "SF_CLIENT_SECRET is not set");
    }
  }

  @Test
  void namesTheMissingVariable() {
    Cli.Run none = Cli.run(Map.of(), "diagnose");
    Cli.Run noClient = Cli.run(Map.of("SF_LOGIN_URL", "https://login.salesforce.com"), "diagnose");
    Cli.Run noGrant = Cli.run(Map.of("SF_LOGIN_URL", "https://login.salesforce.com", "SF_CLIENT_ID", "abc"),
        "diagnose");
    Cli.Run badUrl = Cli.run(Map.of("SF_LOGIN_URL", "http://login.salesforce.com", "SF_CLIENT_ID", "abc",
        "SF_REFRESH_TOKEN", "secret-refresh-token"), "diagnose");

    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("SF_LOGIN_URL is not set");
    assertThat(noClient.exitCode()).isEqualTo(2);
    assertThat(noClient.err()).contains("SF_CLIENT_ID is not set");
    assertThat(noGrant.exitCode()).isEqualTo(2);
    assertThat(noGrant.err()).contains("set SF_REFRESH_TOKEN, or SF_USERNAME with SF_PRIVATE_KEY or SF_PASSWORD");
    assertThat(badUrl.exitCode()).isEqualTo(2);
    assertThat(badUrl.err()).contains("SF_LOGIN_URL must be an https:// URL").doesNotContain("secret-refresh-token");
  }

  @Test
  void explainsAnUnusablePrivateKey() {
    Map<String, String> base = Map.of("SF_LOGIN_URL", "https://login.salesforce.com", "SF_CLIENT_ID", "abc",
        "SF_USERNAME", "user@example.com");
    Map<String, String> missingFile = new java.util.HashMap<>(base);
    missingFile.put("SF_PRIVATE_KEY", "/nonexistent/key.pem");
    Map<String, String> pkcs1 = new java.util.HashMap<>(base);
    pkcs1.put("SF_PRIVATE_KEY", "-----BEGIN RSA PRIVATE KEY-----\nTUlJRW93SUJBQUtDQVFFQXNlY3JldA==\n"
        + "-----END RSA PRIVATE KEY-----\n");
    Map<String, String> usernameOnly = new java.util.HashMap<>(base);

    Cli.Run noFile = Cli.run(missingFile, "diagnose");
    Cli.Run wrongFormat = Cli.run(pkcs1, "diagnose");
    Cli.Run neither = Cli.run(usernameOnly, "diagnose");

    assertThat(noFile.exitCode()).isEqualTo(2);
    assertThat(noFile.err()).contains("SF_PRIVATE_KEY is neither a PKCS#8 PEM (BEGIN PRIVATE KEY) nor a readable file");
    assertThat(wrongFormat.exitCode()).isEqualTo(2);
    assertThat(wrongFormat.err()).contains("SF_PRIVATE_KEY: the private key is PKCS#1").doesNotContain("TUlJ");
    assertThat(neither.exitCode()).isEqualTo(2);
    assertThat(neither.err()).contains("SF_USERNAME is set but neither SF_PRIVATE_KEY nor SF_PASSWORD is");
  }

  @Test
  void rejectsAnUnknownFaultByName() {
    Cli.Run run = Cli.run("diagnose", "--sim", "--sim-fault", "gremlins");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'gremlins' is not one of none, ip-restricted");
  }

  private final List<Credentials> started = new CopyOnWriteArrayList<>();

  @BeforeEach
  void watchEmbeddedOrgs() {
    EmbeddedOrg.observer = org -> started.add(org.credentials());
  }

  @AfterEach
  void stopWatching() {
    EmbeddedOrg.observer = org -> { };
  }

  /** Nothing secret of the fake org, nor any access token it issued, may be printed. */
  void assertNoSecrets(Cli.Run run) {
    String all = run.all();
    assertThat(started).isNotEmpty();
    for (Credentials c : started) {
      assertThat(all).doesNotContain(c.clientSecret(), c.password(), c.securityToken(), c.refreshToken(),
          c.clientId());
    }
    assertThat(all).doesNotContainPattern("00D[A-Za-z0-9]{12,15}![A-Za-z0-9._\\-]{8,}");
    Matcher m = Pattern.compile("5Aep861[A-Za-z0-9]{20,}").matcher(all);
    assertThat(m.find()).as("a refresh token was printed").isFalse();
    for (String word : List.of("client_secret=", "password=", "refresh_token=", "Bearer ")) {
      assertThat(all).doesNotContain(word);
    }
  }
}
