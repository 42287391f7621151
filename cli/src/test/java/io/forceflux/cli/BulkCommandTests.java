package io.forceflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@Timeout(120)
class BulkCommandTests {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir
  Path dir;

  @Test
  void queryStreamsEveryRowAsNdjsonWithProgressOnStderr() {
    Cli.Run run = Cli.run("bulk", "query", "SELECT Id, Name FROM Account", "--sim", "--sim-accounts", "3000",
        "--format", "ndjson");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(3000);
    Set<String> ids = new HashSet<>();
    for (String line : lines) {
      JsonNode row = JSON.readTree(line);
      assertThat(row.get("Name").asString()).matches("[A-Za-z]+ \\d{6,}"); // a word, a number
      ids.add(row.get("Id").asString());
    }
    assertThat(ids).hasSize(3000);
    assertThat(run.err()).containsPattern("forceflux bulk query: job 750\\w+ created")
        .contains("JobComplete").contains("3000 rows");
  }

  @Test
  void queryWritesCsvWithAHeader() {
    Cli.Run run = Cli.run("bulk", "query", "SELECT Id, Name FROM Account", "--sim", "--sim-accounts", "10");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(11);
    assertThat(lines.get(0)).isEqualTo("Id,Name");
  }

  @Test
  void loadReadsCsvAndWritesResultFiles() throws IOException {
    Path input = dir.resolve("accounts.csv");
    Files.writeString(input, "Name,Industry\nAcme,Energy\n\"Multi\nLine, Inc\",Media\n,Retail\n");
    Path results = dir.resolve("results");

    Cli.Run run = Cli.run("bulk", "load", "Account", "--operation", "insert", "--file", input.toString(),
        "--results", results.toString(), "--sim");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode summary = JSON.readTree(run.out().strip());
    assertThat(summary.get("succeeded").asInt()).isEqualTo(2);
    assertThat(summary.get("failed").asInt()).isEqualTo(1);
    assertThat(summary.get("jobs")).hasSize(1);
    assertThat(Files.readString(results.resolve("success.csv"))).contains("\"Multi\nLine, Inc\"");
    assertThat(Files.readString(results.resolve("failed.csv"))).contains("REQUIRED_FIELD_MISSING");
    assertThat(run.err()).contains("3 rows uploaded").contains("1 rows failed");
  }

  @Test
  void refusedSoqlExitsOneWithSalesforcesErrorAndNoDiagnoseHint() {
    Cli.Run run = Cli.run("bulk", "query", "SELECT COUNT() FROM Account", "--sim");

    assertThat(run.exitCode()).as(run.all()).isEqualTo(1); // Salesforce rejected the request itself
    assertThat(run.err()).contains("API_ERROR").contains("COUNT").doesNotContain("diagnose");
  }

  @Test
  void loadWithoutAnObjectIsAUsageError() {
    Cli.Run run = Cli.run("bulk", "load", "--sim");

    assertThat(run.exitCode()).isEqualTo(ForceFlux.USAGE);
    assertThat(run.err()).contains("give either OBJECT or --resume JOB");
  }
}
