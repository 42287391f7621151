package io.forceflux.cli;

import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.reactor.bulk.BulkEvent;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.testkit.FakeOrg;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code forceflux bulk}: Bulk API 2.0 loads and queries from stdin and to stdout, progress on stderr. */
@Command(
    addMethodSubcommands = false,
    name = "bulk",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    description = {
        "Bulk API 2.0 jobs that outlive any session: 'bulk load' from CSV on stdin, 'bulk query' to stdout.",
        "Job ids are printed on stderr as soon as jobs exist; --resume JOB continues one in a new process."},
    subcommands = {BulkLoadCommand.class, BulkQueryCommand.class})
final class BulkCommand implements Callable<Integer> {
  @ParentCommand
  @Nullable ForceFlux root;

  @Spec
  @Nullable CommandSpec spec;

  @Override
  public Integer call() {
    CommandSpec s = Objects.requireNonNull(spec);
    s.commandLine().getErr().println("forceflux bulk: missing command (load or query)");
    s.commandLine().usage(s.commandLine().getErr());
    return ForceFlux.USAGE;
  }

  ForceFlux root() {
    return Objects.requireNonNull(root);
  }

  /**
   * Connects (to SF_* credentials or an embedded fake org), runs {@code body} with a client, and warns if the
   * refresh token rotated.
   */
  static int withClient(ForceFlux root, CommandSpec s, boolean sim, FakeOrg.Builder simOrg, String command,
      Function<SalesforceClient, Integer> body) {
    try (Connection c = sim ? EmbeddedOrg.start(simOrg, EmbeddedOrg.SimGrant.REFRESH_TOKEN)
        : EnvCredentials.connect(root.env(), s.commandLine())) {
      CachingTokenSource tokens = c.commandTokens();
      SalesforceClient client = Connection.commandClient(tokens).build();
      try {
        return body.apply(client);
      } finally {
        c.warnIfRotated(tokens, s.commandLine().getErr(), command);
      }
    }
  }

  /** Progress lines on stderr: jobs created, rows uploaded, state changes (not every poll), pages read. */
  static Consumer<BulkEvent> progress(PrintWriter err, String command) {
    Map<String, String> lastState = new ConcurrentHashMap<>();
    return event -> {
      String line = switch (event.kind()) {
        case CREATED -> "job " + event.jobId() + " created";
        case UPLOADED -> "job " + event.jobId() + ": " + event.count() + " rows uploaded";
        case STATE -> {
          String seen = event.state() + "/" + event.count();
          yield seen.equals(lastState.put(event.jobId(), seen)) ? null
              : "job " + event.jobId() + ": " + event.state() + ", " + event.count() + " rows processed";
        }
        case PAGE -> "job " + event.jobId() + ": page of " + event.count() + " rows";
      };
      if (line != null) {
        synchronized (err) {
          err.println(command + ": " + line);
          err.flush();
        }
      }
    };
  }
}
