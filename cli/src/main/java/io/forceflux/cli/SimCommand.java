package io.forceflux.cli;

import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.CursorMode;
import io.forceflux.testkit.FakeOrg;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code forceflux sim}: a standalone fake org on 127.0.0.1 until interrupted. */
@Command(
    addMethodSubcommands = false,
    name = "sim",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Serves a fake Salesforce org on 127.0.0.1 until Ctrl-C or SIGTERM (exit 0).",
        "Prints ONE JSON line on stdout: loginUrl and instanceUrl (both",
        "http://127.0.0.1:PORT), myDomainUrl (http://localhost:PORT, for the",
        "client-credentials grant), clientId, clientSecret, username, password,",
        "securityToken, refreshToken (fake credentials, printed on purpose).",
        "Controls on the same port:",
        "  POST /__sim/expire-sessions   kill every session",
        "  POST /__sim/revoke            revoke every refresh token",
        "  GET  /__sim/stats             counters (token requests, 401s, ...)",
        "  and more: see the FakeOrg javadoc."})
final class SimCommand implements Callable<Integer> {

  @Spec
  @Nullable CommandSpec spec;

  @Option(names = "--port", paramLabel = "N", defaultValue = "0",
      description = "Port on 127.0.0.1; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--session-timeout", paramLabel = "DURATION", defaultValue = "2h", converter = Durations.class,
      description = "Inactivity timeout of sessions: 500ms, 90s, 15m, 2h or PT15M. Default: ${DEFAULT-VALUE}.")
  Duration sessionTimeout = Duration.ofHours(2);

  @Option(names = "--accounts", paramLabel = "N", defaultValue = "10000",
      description = "Accounts in the org (0..100,000,000; generated on demand). Default: ${DEFAULT-VALUE}.")
  long accounts;

  @Option(names = "--rotation", description = "Refresh-token rotation: every refresh returns a new refresh token "
      + "and reusing an old one revokes the family (so the printed refreshToken works once). Default: off.")
  boolean rotation;

  @Option(names = "--cursor-mode", paramLabel = "user|session", defaultValue = "user",
      description = "Who may continue a query cursor: any session of the user, or only the session that ran the "
          + "query. Default: ${DEFAULT-VALUE}.")
  CursorMode cursorMode = CursorMode.USER;

  /** Completed to stop serving (by the shutdown hook; tests may complete it directly). */
  final CompletableFuture<Void> stop = new CompletableFuture<>();

  @Override
  public Integer call() throws InterruptedException {
    CommandSpec s = Objects.requireNonNull(spec);
    if (port < 0 || port > 65_535) {
      throw new ParameterException(s.commandLine(), "--port must be 0..65535: " + port);
    }
    if (accounts < 0 || accounts > 100_000_000L) {
      throw new ParameterException(s.commandLine(),
          "--accounts must be 0..100000000: " + accounts);
    }
    if (sessionTimeout.toMillis() < 1) {
      throw new ParameterException(s.commandLine(),
          "--session-timeout must be at least 1ms: " + sessionTimeout);
    }
    FakeOrg org = FakeOrg.builder().port(port).sessionTimeout(sessionTimeout).accounts(accounts)
        .refreshTokenRotation(rotation).cursorMode(cursorMode).build();
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    Thread hook = new Thread(() -> {
      stop.complete(null);
      if (Shutdown.byMain()) {
        return;
      }
      // A signal: wait for the clean stop below, then end with 0 instead of the JVM's 130/143.
      try {
        stopped.get(15, TimeUnit.SECONDS);
      } catch (InterruptedException | ExecutionException | TimeoutException ignored) {
        // exit anyway
      }
      Runtime.getRuntime().halt(ForceFlux.OK);
    }, "forceflux-sim-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      org.start();
      // One host for both URLs: a client that trusts the printed login host then trusts the instance too.
      org.moveInstance(org.loginUrl());
      PrintWriter out = s.commandLine().getOut();
      out.println(JsonText.MAPPER.writeValueAsString(line(org)));
      out.flush();
      s.commandLine().getErr().println("forceflux sim: serving on " + org.loginUrl() + " (Ctrl-C to stop)");
      s.commandLine().getErr().flush();
      try {
        stop.get();
      } catch (ExecutionException ignored) {
        // completed exceptionally means stop as well
      }
      return ForceFlux.OK;
    } finally {
      org.close();
      s.commandLine().getOut().flush();
      s.commandLine().getErr().flush();
      stopped.complete(null);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // already shutting down: the hook is running
      }
    }
  }

  private static Map<String, Object> line(FakeOrg org) {
    Credentials c = org.credentials();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("loginUrl", org.loginUrl());
    m.put("instanceUrl", org.instanceUrl());
    m.put("myDomainUrl", org.myDomainUrl());
    m.put("apiVersion", org.apiVersion());
    m.put("clientId", c.clientId());
    m.put("clientSecret", c.clientSecret());
    m.put("username", c.username());
    m.put("password", c.password());
    m.put("securityToken", c.securityToken());
    m.put("refreshToken", c.refreshToken());
    m.put("sessionTimeoutMs", org.sessionTimeout().toMillis());
    return m;
  }
}
