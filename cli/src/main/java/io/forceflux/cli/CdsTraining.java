package io.forceflux.cli;

import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * The training run behind the class-data archive the build ships with the command ({@code forceflux.jsa}): the
 * packaging step runs {@code java -XX:DumpLoadedClassList=forceflux.classlist -Dforceflux.training=true -jar
 * forceflux.jar} and then dumps the listed classes into a static archive; the run does what users do first (help, {@code query} in every format against a fake org over
 * HTTP, {@code sim} up to its JSON line) so the classes they load are archived. Output is discarded; nothing here
 * may fail the build, so every failure is swallowed and the run is bounded.
 */
final class CdsTraining {
  private static final OutputStream NOWHERE = OutputStream.nullOutputStream();

  private CdsTraining() {}

  static void run() {
    CountDownLatch never = new CountDownLatch(1);
    Thread watchdog = new Thread(() -> {
      try {
        // A hung training run must not hang the build: a minute, then out (the archive is then not written).
        never.await(60, TimeUnit.SECONDS);
        Runtime.getRuntime().halt(0);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "forceflux-training-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    try {
      execute(Map.of(), "--help");
      execute(Map.of(), "query", "--help");
      try (FakeOrg org = FakeOrg.builder().accounts(4_500).build().start()) {
        Credentials c = org.credentials();
        Map<String, String> env = Map.of("SF_LOGIN_URL", org.loginUrl(), "SF_CLIENT_ID", c.clientId(),
            "SF_CLIENT_SECRET", c.clientSecret(), "SF_REFRESH_TOKEN", c.refreshToken());
        for (String format : new String[] {"ndjson", "csv", "json"}) {
          execute(env, "query", "SELECT Id, Name FROM Account", "--format", format);
        }
        execute(env, "query", "SELECT Id, Name FROM Account LIMIT 1", "--api-version", org.apiVersion());
        execute(env, "query", "SELECT Id FORM Account");
      }
      sim();
      EventLoops.stop();
    } catch (RuntimeException | Error e) {
      // A thinner archive, never a failed build.
    }
  }

  private static int execute(Map<String, String> env, String... args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(NOWHERE, StandardCharsets.UTF_8));
    return ForceFlux.commandLine(new ForceFlux(env, false, NOWHERE), out, new PrintWriter(NOWHERE)).execute(args);
  }

  /** {@code forceflux sim} until its JSON line is out, then stopped as a signal would. */
  private static void sim() {
    CountDownLatch printed = new CountDownLatch(1);
    OutputStream line = new OutputStream() {
      @Override
      public void write(int b) {
        if (b == '\n') {
          printed.countDown();
        }
      }
    };
    PrintWriter out = new PrintWriter(new OutputStreamWriter(line, StandardCharsets.UTF_8), true);
    CommandLine cl = ForceFlux.commandLine(new ForceFlux(Map.of(), false, line), out, new PrintWriter(NOWHERE));
    SimCommand sim = cl.getSubcommands().get("sim").getCommand();
    Thread serving = new Thread(() -> cl.execute("sim", "--accounts", "100"), "forceflux-training-sim");
    serving.setDaemon(true);
    serving.start();
    try {
      printed.await(30, TimeUnit.SECONDS);
      sim.stop.complete(null);
      serving.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
