package io.forceflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@Timeout(120)
class DemoCommandTests {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void survivesDyingSessionsWithOneTokenRequestPerDeadSession() {
    Cli.Run run = Cli.run("demo", "--json", "--accounts", "3000", "--requests", "2000", "--concurrency", "64",
        "--expire-every", "50ms", "--revoke-every", "70ms", "--seed", "7");

    assertThat(run.exitCode()).as(run.all()).isZero();
    assertThat(run.out().lines()).as("one JSON object, nothing else on stdout").hasSize(1);
    JsonNode result = JSON.readTree(run.out());
    assertThat(result.get("failed").asLong()).isZero();
    assertThat(result.get("requests").asLong()).isEqualTo(2000);
    assertThat(result.get("records").asLong()).isEqualTo(3000);
    assertThat(result.get("recordsOutOfOrder").asLong()).isZero();
    assertThat(result.get("tokenRequests").asLong()).isPositive();
    assertThat(result.get("replays").asLong()).isPositive();
    assertThat(result.get("sessionsExpired").asLong()).isPositive();
    // The promise, measured: one token request for the first token, then one per session that died under the client.
    assertThat(result.get("tokenRequests").asLong())
        .isEqualTo(1 + result.get("sessionsNoticed").asLong())
        .isLessThanOrEqualTo(1 + result.get("sessionsExpired").asLong())
        .isLessThan(result.get("naiveTokenRequests").asLong());
    assertThat(result.get("concurrentRefreshRejected").asLong()).isZero();
    assertThat(result.get("familyRevocations").asLong()).isZero();
    assertThat(result.get("recordsCreated").asLong()).isEqualTo(result.get("creates").asLong());
    for (String field : new String[] {"p50Ms", "p99Ms", "durationMs", "naiveTokenRequests", "pages"}) {
      assertThat(result.get(field).asDouble()).as(field).isPositive();
    }
  }

  @Test
  void printsASummaryTableByDefault() {
    Cli.Run run = Cli.run("demo", "--accounts", "1000", "--requests", "500", "--concurrency", "32",
        "--expire-every", "40ms", "--revoke-every", "0");

    assertThat(run.exitCode()).as(run.all()).isZero();
    assertThat(run.out()).contains("requests", "failed", "sessions expired (org)", "token requests (org)", "replays",
        "records streamed", "latency p50 (ms)", "latency p99 (ms)", "naive client",
        "✓ token requests = 1 initial + sessions the client saw die",
        "one token request per dead session, however many requests were in flight");
    assertThat(run.err()).as("no progress bar when stderr is not a terminal").isEmpty();
  }

  @Test
  void resumesTheStreamByIdWhenCursorsDieWithTheirSession() {
    Cli.Run run = Cli.run("demo", "--json", "--accounts", "6000", "--batch-size", "200", "--requests", "0",
        "--expire-every", "20ms", "--revoke-every", "0", "--cursor-mode", "session");

    assertThat(run.exitCode()).as(run.all()).isZero();
    JsonNode result = JSON.readTree(run.out());
    assertThat(result.get("records").asLong()).isEqualTo(6000);
    assertThat(result.get("recordsOutOfOrder").asLong()).isZero();
    assertThat(result.get("pages").asLong()).isGreaterThanOrEqualTo(30);
    assertThat(result.get("streamReplays").asLong()).as("pages replayed after their session died").isPositive();
  }

  @Test
  void drawsProgressBarsOnStderrWhenAsked() {
    Cli.Run run = Cli.run("demo", "--json", "--progress", "--accounts", "1000", "--requests", "300",
        "--concurrency", "16", "--expire-every", "0", "--revoke-every", "0");

    assertThat(run.exitCode()).as(run.all()).isZero();
    assertThat(run.err()).contains("Stream", "1000/1000", "Load", "300/300", "rec/s", "req/s", "pages");
    assertThat(JSON.readTree(run.out()).get("failed").asLong()).isZero();
  }

  @Test
  void rejectsSizesOutOfRange() {
    Cli.Run run = Cli.run("demo", "--concurrency", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--concurrency must be 1..4096");
  }
}
