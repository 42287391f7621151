package io.forceflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@Timeout(90)
class SimCommandTests {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void servesAFakeOrgUntilStoppedAndExitsCleanly() throws Exception {
    File stderr = Processes.tempLog("sim");
    Process sim = Processes.forceflux(List.of("-Xmx256m"), "sim", "--port", "0", "--accounts", "250",
            "--session-timeout", "15m", "--rotation")
        .redirectError(stderr)
        .start();
    try {
      BufferedReader stdout = new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> {
        try {
          return stdout.readLine();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).get(30, TimeUnit.SECONDS);
      assertThat(line).as("first stdout line; stderr: %s", Files.readString(stderr.toPath())).isNotNull();
      JsonNode info = JSON.readTree(line);
      for (String field : List.of("loginUrl", "instanceUrl", "clientId", "clientSecret", "username", "password",
          "securityToken", "refreshToken")) {
        assertThat(info.path(field).asString("")).as(field).isNotBlank();
      }
      String loginUrl = info.get("loginUrl").asString();
      assertThat(loginUrl).startsWith("http://127.0.0.1:");
      assertThat(info.get("instanceUrl").asString()).as("one host for login and instance").isEqualTo(loginUrl);

      // OAuth refresh_token grant with the printed credentials.
      HttpResponse<String> token = post(loginUrl + "/services/oauth2/token",
          "grant_type=refresh_token&client_id=" + enc(info.get("clientId").asString())
              + "&client_secret=" + enc(info.get("clientSecret").asString())
              + "&refresh_token=" + enc(info.get("refreshToken").asString()));
      assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
      JsonNode issued = JSON.readTree(token.body());
      String accessToken = issued.get("access_token").asString();
      String instance = issued.get("instance_url").asString();
      assertThat(instance).as("the token response names the printed host").isEqualTo(loginUrl);
      assertThat(issued.path("refresh_token").asString("")).as("rotation is on").isNotBlank();

      // A REST query with it.
      String queryUrl = instance + "/services/data/v67.0/query?q=" + enc("SELECT Id, Name FROM Account");
      HttpResponse<String> query = get(queryUrl, accessToken);
      assertThat(query.statusCode()).as(query.body()).isEqualTo(200);
      assertThat(JSON.readTree(query.body()).get("totalSize").asLong()).isEqualTo(250);

      // Kill every session through the control endpoint: the old token is now rejected.
      HttpResponse<String> expire = post(loginUrl + "/__sim/expire-sessions", "");
      assertThat(expire.statusCode()).isEqualTo(200);
      HttpResponse<String> rejected = get(queryUrl, accessToken);
      assertThat(rejected.statusCode()).isEqualTo(401);
      assertThat(rejected.body()).contains("INVALID_SESSION_ID");

      HttpResponse<String> stats = http.send(HttpRequest.newBuilder(URI.create(loginUrl + "/__sim/stats"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode counters = JSON.readTree(stats.body());
      assertThat(counters.get("tokenRequests").asLong()).isEqualTo(1);
      assertThat(counters.get("unauthorized401").asLong()).isEqualTo(1);
      assertThat(counters.get("sessionsExpired").asLong()).isEqualTo(1);
    } finally {
      sim.destroy(); // SIGTERM: the shutdown hook stops the org
      boolean exited = sim.waitFor(20, TimeUnit.SECONDS);
      if (!exited) {
        sim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      assertThat(exited).as("sim exits within 20 s of SIGTERM").isTrue();
    }
    assertThat(sim.exitValue()).as("stderr: %s", Files.readString(stderr.toPath())).isZero();
  }

  @Test
  void rejectsABadDurationByName() {
    Cli.Run run = Cli.run("sim", "--session-timeout", "15 minutes");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--session-timeout", "'15 minutes' is not a duration");
  }

  @Test
  void parsesEveryDurationForm() {
    assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("15m")).isEqualTo(Duration.ofMinutes(15));
    assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("PT15M")).isEqualTo(Duration.ofMinutes(15));
    assertThat(Durations.parse("pt1h30m")).isEqualTo(Duration.ofMinutes(90));
  }

  private HttpResponse<String> post(String url, String form) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url, String accessToken) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + accessToken).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
