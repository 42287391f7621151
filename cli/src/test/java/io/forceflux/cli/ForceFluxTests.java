package io.forceflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import io.forceflux.core.error.ErrorFormat;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceError;
import io.forceflux.core.error.SalesforceException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import reactor.core.Exceptions;

class ForceFluxTests {

  @ParameterizedTest
  @ValueSource(strings = {"", "demo", "sim", "query", "diagnose"})
  void everyCommandHasHelp(String command) {
    Cli.Run run = command.isEmpty() ? Cli.run("--help") : Cli.run(command, "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("Usage: forceflux" + (command.isEmpty() ? "" : " " + command), "--help");
  }

  @Test
  void optionsStillConvertWithoutPicocliTimeAndSqlConverters() {
    String key = "picocli.converters.excludes";
    String before = System.getProperty(key);
    System.clearProperty(key);
    try {
      ForceFlux.quietStartup();
      assertThat(System.getProperty(key)).isNotNull();
      PrintWriter sink = new PrintWriter(new StringWriter());
      CommandLine demo = ForceFlux.commandLineFor(new ForceFlux(Map.of(), false), sink, sink, "demo");
      CommandLine bulk = ForceFlux.commandLineFor(new ForceFlux(Map.of(), false), sink, sink, "bulk");

      demo.parseArgs("demo", "--expire-every", "1s", "--session-timeout", "2m");
      bulk.parseArgs("bulk", "load", "Account", "--file", "accounts.csv", "--results", "out");

      DemoCommand d = demo.getSubcommands().get("demo").getCommand();
      assertThat(d.expireEvery).hasSeconds(1);
      assertThat(d.sessionTimeout).hasMinutes(2);
      BulkLoadCommand load = bulk.getSubcommands().get("bulk").getSubcommands().get("load").getCommand();
      assertThat(load.file).hasFileName("accounts.csv");
      assertThat(load.results).hasFileName("out");
    } finally {
      if (before == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, before);
      }
    }
  }

  @Test
  void printsItsVersion() {
    Cli.Run run = Cli.run("--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("forceflux ").doesNotContain("unknown").doesNotContain("${");
  }

  @Test
  void aMissingCommandOrAnUnknownOptionIsAUsageError() {
    Cli.Run none = Cli.run();
    Cli.Run unknown = Cli.run("demo", "--acounts", "5");
    Cli.Run badNumber = Cli.run("sim", "--port", "eighty");

    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("missing command");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("'--acounts'", "Possible solutions: --accounts");
    assertThat(badNumber.exitCode()).isEqualTo(2);
    assertThat(badNumber.err()).contains("--port", "'eighty'");
    // query's model is declared in code: the same checks as the annotated commands.
    Cli.Run noSoql = Cli.run("query");
    Cli.Run badFormat = Cli.run("query", "--format", "xml", "SELECT Id FROM Account");
    assertThat(noSoql.exitCode()).isEqualTo(2);
    assertThat(noSoql.err()).contains("Missing required parameter: 'SOQL'");
    assertThat(badFormat.exitCode()).isEqualTo(2);
    assertThat(badFormat.err()).contains("'--format'", "'xml'");
  }

  @Test
  void mapsFailuresToExitCodes() {
    SalesforceException revoked = SalesforceException.of(FailureCause.REFRESH_TOKEN_REVOKED, "x");
    SalesforceException unavailable = SalesforceException.of(FailureCause.SERVER_UNAVAILABLE, "x").withAttempts(5);

    assertThat(ForceFlux.exitCodeOf(revoked)).isEqualTo(3);
    assertThat(ForceFlux.exitCodeOf(unavailable)).isEqualTo(4);
    assertThat(ForceFlux.exitCodeOf(Exceptions.propagate(new RuntimeException("wrapped", unavailable)))).isEqualTo(4);
    assertThat(ForceFlux.exitCodeOf(new IllegalStateException("bug"))).isEqualTo(1);
    SalesforceException malformed = SalesforceException.ofApiError(new SalesforceError(400, ErrorFormat.REST_JSON,
        "MALFORMED_QUERY", "unexpected token: 'FORM'", List.of(), ""));
    assertThat(malformed.failureCause()).isEqualTo(FailureCause.API_ERROR);
    assertThat(ForceFlux.exitCodeOf(malformed)).as("the request, not the session, is wrong").isEqualTo(1);
  }

  @Test
  void topLevelHelpListsEveryExitCodeAndWholeCommandSummaries() {
    Cli.Run run = Cli.run("--help");

    String help = run.out();
    for (int code = 0; code <= 4; code++) {
      assertThat(help).as("exit code %d", code).containsPattern("(?m)^  " + code + "  \\S");
    }
    String flat = help.replaceAll("\\s+", " ");
    CommandLine root = ForceFlux.commandLine(new ForceFlux(Map.of(), false), new PrintWriter(new StringWriter()),
        new PrintWriter(new StringWriter()));
    assertThat(root.getSubcommands()).isNotEmpty();
    for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
      // The command list shows only the first description line: it must be a whole sentence.
      String summary = sub.getValue().getCommandSpec().usageMessage().description()[0];
      assertThat(summary).as(sub.getKey()).endsWith(".");
      assertThat(flat).as(sub.getKey()).contains(sub.getKey() + " " + summary);
    }
  }

  @Test
  void buildsOnlyTheSubcommandItRunsAndAllOfThemForHelpAndTypos() {
    PrintWriter sink = new PrintWriter(new StringWriter());
    ForceFlux root = new ForceFlux(Map.of(), false);
    assertThat(ForceFlux.commandLineFor(root, sink, sink, "query", "SELECT Id FROM Account").getSubcommands())
        .containsOnlyKeys("query");
    assertThat(ForceFlux.commandLineFor(root, sink, sink, "--verbose", "bulk", "query", "x").getSubcommands())
        .containsOnlyKeys("bulk");
    List<String> all = List.of("demo", "sim", "query", "diagnose", "bulk");
    for (String[] args : new String[][] {{}, {"--help"}, {"--verbose"}, {"qeury", "x"}}) {
      assertThat(ForceFlux.commandLineFor(root, sink, sink, args).getSubcommands().keySet())
          .as(String.join(" ", args)).containsExactlyElementsOf(all);
    }
    Cli.Run typo = Cli.run("qeury", "SELECT Id FROM Account");
    assertThat(typo.exitCode()).isEqualTo(ForceFlux.USAGE);
    assertThat(typo.err()).contains("query");
  }

  @Test
  void logSetupStepsAsideForAConfigurationFile() {
    String key = "logback.configurationFile";
    String before = System.getProperty(key);
    System.setProperty(key, "elsewhere.xml");
    try {
      assertThat(new LogSetup().configure(new LoggerContext()))
          .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
    } finally {
      if (before == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, before);
      }
    }
  }

  @Test
  void logsSessionEventsAtWarnUnlessVerbose() {
    Logger session = (Logger) LoggerFactory.getLogger("io.forceflux.session");
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.WARN);
    assertThat(session.getEffectiveLevel()).isEqualTo(Level.WARN);
    ConsoleAppender<?> console = (ConsoleAppender<?>) root.getAppender("STDERR");
    assertThat(console.getTarget()).isEqualTo("System.err");
    try {
      Cli.Run run = Cli.run("--verbose", "diagnose", "--sim");
      assertThat(run.exitCode()).as(run.all()).isZero();
      assertThat(session.getEffectiveLevel()).isEqualTo(Level.INFO);
      assertThat(run.out()).as("logs never reach stdout").doesNotContain("INFO", "io.forceflux.session");
    } finally {
      Logging.verbose(false);
    }
    assertThat(session.getEffectiveLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void masksSecretsToTheirEnds() {
    assertThat(Masking.mask("00D5g000004JXyz!AQ8AQJ.abcdefghijklmnopqrstuvwxyz1234")).isEqualTo("00D…1234");
    for (String shortSecret : List.of("", "abc", "0123456789abcde")) {
      assertThat(Masking.mask(shortSecret)).isEqualTo("…");
    }
  }
}
