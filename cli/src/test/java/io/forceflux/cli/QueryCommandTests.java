package io.forceflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@Timeout(120)
class QueryCommandTests {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void streamsNdjsonWithoutAttributes() {
    Cli.Run run = Cli.run("query", "SELECT Id, Name FROM Account", "--sim", "--sim-accounts", "1234",
        "--batch-size", "200");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(1234);
    Set<String> ids = new HashSet<>();
    for (String line : lines) {
      JsonNode record = JSON.readTree(line);
      assertThat(record.has("attributes")).isFalse();
      assertThat(record.get("Name").asString()).matches("\\w+ \\d{6}");
      ids.add(record.get("Id").asString());
    }
    assertThat(ids).hasSize(1234);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void streamsCsvWithAHeaderFromTheFirstRecord() {
    Cli.Run run = Cli.run("query", "SELECT Id, Name, NumberOfEmployees FROM Account", "--sim", "--sim-accounts",
        "300", "--format", "csv");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(301);
    assertThat(lines.get(0)).isEqualTo("Id,Name,NumberOfEmployees");
    assertThat(lines.get(1)).matches("001\\w{15},Account 0+1,\\d+");
    assertThat(run.out()).doesNotContain("attributes");
  }

  @Test
  void streamsOneJsonArray() {
    Cli.Run run = Cli.run("query", "SELECT Id FROM Account", "--sim", "--sim-accounts", "450", "--format", "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode array = JSON.readTree(run.out());
    assertThat(array.isArray()).isTrue();
    assertThat(array.size()).isEqualTo(450);
    assertThat(array.get(0).has("attributes")).isFalse();

    Cli.Run empty = Cli.run("query", "SELECT Id FROM Contact", "--sim", "--format", "json");
    assertThat(empty.exitCode()).as(empty.err()).isZero();
    assertThat(JSON.readTree(empty.out()).size()).isZero();
  }

  @Test
  void queryAllIncludesDeletedRecords() {
    Cli.Run run = Cli.run("query", "SELECT Id FROM Account", "--all", "--sim", "--sim-accounts", "10");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines()).hasSize(10);
  }

  @Test
  void showsAProgressBarOnlyWhenAskedOrOnATerminal() {
    Cli.Run forced = Cli.run("query", "SELECT Id FROM Account", "--sim", "--sim-accounts", "500", "--progress");
    Cli.Run quiet = Cli.run("query", "SELECT Id FROM Account", "--sim", "--sim-accounts", "500");

    assertThat(forced.exitCode()).isZero();
    assertThat(forced.err()).contains("Querying", "rec");
    assertThat(forced.out().lines()).hasSize(500);
    assertThat(quiet.err()).isEmpty();
  }

  @Test
  void readsCredentialsFromTheEnvironmentAndMapsAuthFailuresToExit3() {
    try (FakeOrg org = FakeOrg.builder().accounts(20).build().start()) {
      Credentials c = org.credentials();
      Map<String, String> env = Map.of("SF_LOGIN_URL", org.loginUrl(), "SF_CLIENT_ID", c.clientId(),
          "SF_CLIENT_SECRET", c.clientSecret(), "SF_REFRESH_TOKEN", c.refreshToken());
      Cli.Run ok = Cli.run(env, "query", "SELECT Id FROM Account");
      assertThat(ok.exitCode()).as(ok.err()).isZero();
      assertThat(ok.out().lines()).hasSize(20);

      Map<String, String> jwt = Map.of("SF_LOGIN_URL", org.loginUrl(), "SF_CLIENT_ID", c.clientId(),
          "SF_USERNAME", c.username(), "SF_PRIVATE_KEY", c.privateKeyPem());
      Cli.Run viaJwt = Cli.run(jwt, "query", "SELECT Id FROM Account");
      assertThat(viaJwt.exitCode()).as(viaJwt.err()).isZero();

      org.revokeRefreshTokens();
      Cli.Run revoked = Cli.run(env, "query", "SELECT Id FROM Account");
      assertThat(revoked.exitCode()).isEqualTo(3);
      assertThat(revoked.err()).contains("REFRESH_TOKEN_REVOKED", "Runbook:", "forceflux diagnose");
      assertThat(revoked.all()).doesNotContain(c.clientSecret(), c.refreshToken());
    }
  }

  @Test
  void requestsSalesforceRejectsExit1WithItsErrorAndNoDiagnoseHint() {
    Cli.Run typo = Cli.run("query", "SELECT Id FORM Account", "--sim", "--sim-accounts", "5");
    Cli.Run noSuchField = Cli.run("query", "SELECT Id, Nope__c FROM Account", "--sim", "--sim-accounts", "5");

    assertThat(typo.exitCode()).as(typo.all()).isEqualTo(1);
    assertThat(typo.err()).startsWith("forceflux query: MALFORMED_QUERY").contains("ERROR at Row:1:Column:11")
        .doesNotContain("diagnose", "not recoverable by refresh");
    assertThat(typo.out()).isEmpty();
    assertThat(noSuchField.exitCode()).as(noSuchField.all()).isEqualTo(1);
    assertThat(noSuchField.err()).startsWith("forceflux query: INVALID_FIELD").contains("No such column 'Nope__c'")
        .doesNotContain("diagnose");
  }

  @Test
  void asksTheApiVersionOnlyWhenNeitherGivenNorRemembered(@TempDir Path cacheHome) {
    try (FakeOrg org = FakeOrg.builder().accounts(20).build().start()) {
      Credentials c = org.credentials();
      Map<String, String> env = Map.of("SF_LOGIN_URL", org.loginUrl(), "SF_CLIENT_ID", c.clientId(),
          "SF_CLIENT_SECRET", c.clientSecret(), "SF_REFRESH_TOKEN", c.refreshToken(),
          "XDG_CACHE_HOME", cacheHome.toString());
      Map<String, String> noCache = new HashMap<>(env);
      noCache.remove("XDG_CACHE_HOME");

      long before = org.stats().apiRequests();
      Cli.Run first = Cli.run(env, "query", "SELECT Id FROM Account");
      long afterFirst = org.stats().apiRequests();
      Cli.Run second = Cli.run(env, "query", "SELECT Id FROM Account");
      long afterSecond = org.stats().apiRequests();
      Cli.Run given = Cli.run(noCache, "query", "SELECT Id FROM Account", "--api-version", "66.0");
      long afterGiven = org.stats().apiRequests();

      assertThat(List.of(first, second, given)).allSatisfy(run -> {
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines()).hasSize(20);
      });
      assertThat(afterFirst - before).as("versions, then the query").isEqualTo(2);
      assertThat(afterSecond - afterFirst).as("the remembered version: the query only").isEqualTo(1);
      assertThat(afterGiven - afterSecond).as("--api-version: the query only").isEqualTo(1);
      assertThat(cacheHome.resolve("forceflux/api-versions.properties")).content()
          .contains("=" + org.apiVersion() + " ").doesNotContain(c.clientId(), org.loginUrl());
    }
  }

  @Test
  void rejectsAMalformedApiVersion() {
    Cli.Run run = Cli.run("query", "SELECT Id FROM Account", "--sim", "--api-version", "v62");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--api-version must look like 62.0");
  }

  @Test
  void warnsWhenTheOrgRotatedTheRefreshTokenFromTheEnvironment() {
    try (FakeOrg org = FakeOrg.builder().accounts(5).refreshTokenRotation(true).build().start()) {
      Credentials c = org.credentials();
      Map<String, String> env = Map.of("SF_LOGIN_URL", org.loginUrl(), "SF_CLIENT_ID", c.clientId(),
          "SF_CLIENT_SECRET", c.clientSecret(), "SF_REFRESH_TOKEN", c.refreshToken());

      Cli.Run first = Cli.run(env, "query", "SELECT Id FROM Account");
      Cli.Run second = Cli.run(env, "query", "SELECT Id FROM Account");

      assertThat(first.exitCode()).as(first.err()).isZero();
      assertThat(first.out().lines()).hasSize(5);
      assertThat(first.err()).contains("warning: this connected app rotates refresh tokens");
      assertThat(second.exitCode()).isEqualTo(3);
      assertThat(second.err()).contains("REFRESH_TOKEN_REVOKED", "a rotated refresh token was reused");
      assertThat(first.all() + second.all()).doesNotContain(c.refreshToken(), c.clientSecret()).doesNotContain("5Aep861");
    }
  }

  @Test
  void transientFailuresThatOutlastRetriesExitWith4() {
    try (FakeOrg org = FakeOrg.builder().accounts(20).build().start()) {
      Credentials c = org.credentials();
      org.faults().fraction(1.0, 0, io.forceflux.testkit.FaultTarget.TOKEN,
          io.forceflux.testkit.Fault.serverUnavailable());
      Map<String, String> env = Map.of("SF_LOGIN_URL", org.loginUrl(), "SF_CLIENT_ID", c.clientId(),
          "SF_CLIENT_SECRET", c.clientSecret(), "SF_REFRESH_TOKEN", c.refreshToken());
      Cli.Run run = Cli.run(env, "query", "SELECT Id FROM Account");
      assertThat(run.exitCode()).as(run.err()).isEqualTo(4);
      assertThat(run.err()).contains("SERVER_UNAVAILABLE");
    }
  }

  @Test
  void namesWhatIsMissingOrWrong() {
    Cli.Run noEnv = Cli.run(Map.of(), "query", "SELECT Id FROM Account");
    Cli.Run badBatch = Cli.run("query", "SELECT Id FROM Account", "--sim", "--batch-size", "10");
    Cli.Run badFormat = Cli.run("query", "SELECT Id FROM Account", "--sim", "--format", "xml");
    Cli.Run noSoql = Cli.run("query", "--sim");

    assertThat(noEnv.exitCode()).isEqualTo(2);
    assertThat(noEnv.err()).contains("SF_LOGIN_URL is not set");
    assertThat(badBatch.exitCode()).isEqualTo(2);
    assertThat(badBatch.err()).contains("--batch-size must be 200..2000");
    assertThat(badFormat.exitCode()).isEqualTo(2);
    assertThat(badFormat.err()).contains("--format", "xml");
    assertThat(noSoql.exitCode()).isEqualTo(2);
    assertThat(noSoql.err()).contains("SOQL");
  }

  /**
   * A million rows through a 64 MB heap, fake org included: only a few pages are ever held. About 15 s of CPU; the
   * bound is a hang guard sized for a 2-core machine shared with several other builds.
   */
  @Test
  @Timeout(330)
  void streamsAMillionRowsInSixtyFourMegabytes() throws Exception {
    File stderr = Processes.tempLog("query-1m");
    Process query = Processes.forceflux(List.of("-Xmx64m", "-XX:+UseSerialGC"), "query",
            "SELECT Id, Name FROM Account", "--sim", "--sim-accounts", "1000000")
        .redirectError(stderr)
        .start();
    CompletableFuture<long[]> counted = CompletableFuture.supplyAsync(() -> count(query.getInputStream()));
    try {
      boolean exited = query.waitFor(300, TimeUnit.SECONDS);
      assertThat(exited).as("finished within 300 s").isTrue();
      long[] lines = counted.get(10, TimeUnit.SECONDS);
      String err = Files.readString(stderr.toPath(), StandardCharsets.UTF_8);
      assertThat(query.exitValue()).as(err).isZero();
      assertThat(err).doesNotContain("OutOfMemoryError");
      assertThat(lines[0]).isEqualTo(1_000_000);
      assertThat(lines[1]).as("every line is one JSON object").isEqualTo(1_000_000);
    } finally {
      query.destroyForcibly();
    }
  }

  /** Lines, and lines that look like a record, without holding the output. */
  private static long[] count(InputStream in) {
    long lines = 0;
    long objects = 0;
    boolean lineStart = true;
    byte[] buffer = new byte[1 << 16];
    try (in) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        for (int i = 0; i < n; i++) {
          if (lineStart && buffer[i] == '{') {
            objects++;
          }
          lineStart = buffer[i] == '\n';
          if (lineStart) {
            lines++;
          }
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return new long[] {lines, objects};
  }
}
