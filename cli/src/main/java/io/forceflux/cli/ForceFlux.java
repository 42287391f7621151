package io.forceflux.cli;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceError;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.internal.Redaction;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The {@code forceflux} command: {@code demo}, {@code sim}, {@code query}, {@code diagnose}.
 *
 * <p>Exit codes: {@value #OK} success, {@value #OTHER} Salesforce rejected the request itself (malformed query,
 * invalid field, …) or anything else, {@value #USAGE} usage error (bad option, missing environment variable),
 * {@value #AUTH_FAILED} an auth failure no refresh can fix (revoked token, IP restriction, policy, …),
 * {@value #TRANSIENT_EXHAUSTED} a transient failure that outlasted its retries.
 */
public final class ForceFlux implements Callable<Integer> {
  /** Success. */
  public static final int OK = 0;
  /**
   * Salesforce rejected the request itself ({@code MALFORMED_QUERY}, {@code INVALID_FIELD}, …), or anything not
   * classified below (a bug, a port in use, …).
   */
  public static final int OTHER = 1;
  /** Bad option, bad value, missing environment variable. */
  public static final int USAGE = 2;
  /** A {@link SalesforceException} about access (credentials, session policy, org or user state) that no refresh or
   * retry can fix. */
  public static final int AUTH_FAILED = 3;
  /** A recoverable {@link SalesforceException} that outlasted its retries. */
  public static final int TRANSIENT_EXHAUSTED = 4;

  /** The subcommands, in usage order; {@link #newSubcommand} makes each. */
  private static final Set<String> SUBCOMMANDS =
      new LinkedHashSet<>(List.of("demo", "sim", "query", "diagnose", "bulk"));

  private final Map<String, String> env;
  private final boolean stderrIsTerminal;
  private final OutputStream stdout;

  @Nullable CommandSpec spec;

  /** The command as {@code java -jar forceflux.jar} runs it: the process environment, the real stderr. */
  public ForceFlux() {
    this(System.getenv(), Terminals.stderrIsTerminal());
  }

  /**
   * A command reading {@code env} instead of the process environment, writing query records to the process's
   * stdout.
   *
   * @param stderrIsTerminal whether stderr is a terminal: progress bars are shown only then (or when forced)
   */
  public ForceFlux(Map<String, String> env, boolean stderrIsTerminal) {
    this(env, stderrIsTerminal, new FileOutputStream(FileDescriptor.out));
  }

  /**
   * A command reading {@code env} instead of the process environment (for tests and embedding).
   *
   * @param stderrIsTerminal whether stderr is a terminal: progress bars are shown only then (or when forced)
   * @param stdout where {@code query} writes its records as bytes: the stream under the {@code out} writer given
   *     to {@link #commandLine}, so that both end up in one place in order
   */
  public ForceFlux(Map<String, String> env, boolean stderrIsTerminal, OutputStream stdout) {
    this.env = Map.copyOf(env);
    this.stderrIsTerminal = stderrIsTerminal;
    this.stdout = Objects.requireNonNull(stdout, "stdout");
  }

  OutputStream stdout() {
    return stdout;
  }

  Map<String, String> env() {
    return env;
  }

  boolean stderrIsTerminal() {
    return stderrIsTerminal;
  }

  @Override
  public Integer call() {
    CommandSpec s = spec;
    if (s != null) {
      s.commandLine().getErr().println("forceflux: missing command (demo, sim, query or diagnose)");
      s.commandLine().usage(s.commandLine().getErr());
    }
    return USAGE;
  }

  /**
   * A configured command line: exit codes mapped, secrets redacted from error output, output to {@code out}
   * and {@code err}.
   */
  public static CommandLine commandLine(ForceFlux root, PrintWriter out, PrintWriter err) {
    return commandLine(root, out, err, SUBCOMMANDS);
  }

  /**
   * The command line for {@code args}: when they name a subcommand, only that one is built. picocli reads every
   * command's annotations and builds its options when it is added, a cost a process paying for its start-up should
   * not pay for four commands it will not run; help, a missing or a misspelled command get them all (usage lists
   * them, suggestions need them).
   */
  static CommandLine commandLineFor(ForceFlux root, PrintWriter out, PrintWriter err, String... args) {
    String command = subcommand(args);
    return commandLine(root, out, err, command == null ? SUBCOMMANDS : Set.of(command));
  }

  /** The subcommand {@code args} name (the first argument that is not an option), or null if none is known. */
  static @Nullable String subcommand(String... args) {
    for (String arg : args) {
      if (!arg.startsWith("-")) {
        return SUBCOMMANDS.contains(arg) ? arg : null;
      }
    }
    return null;
  }

  private static CommandLine commandLine(ForceFlux root, PrintWriter out, PrintWriter err, Set<String> names) {
    CommandLine cl = new CommandLine(spec(root));
    for (String name : SUBCOMMANDS) {
      if (names.contains(name)) {
        cl.addSubcommand(name, newSubcommand(name, root));
      }
    }
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(new UsageErrors());
    cl.setExecutionExceptionHandler(new Failures());
    cl.setOut(out);
    cl.setErr(err);
    return cl;
  }

  /**
   * picocli's model of the {@code forceflux} command, declared in code. Reading a command's model from its
   * annotations costs a cold start tens of milliseconds (the JDK parses each annotation and generates a proxy class
   * per annotation type), so the commands a short run goes through, this one and {@code query}, are declared
   * here; the others keep their annotations.
   */
  static CommandSpec spec(ForceFlux root) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(root);
    spec.name("forceflux").versionProvider(new Version());
    spec.usageMessage().sortOptions(false).autoWidth(true)
        .description(
            "ForceFlux: a reactive Salesforce client that survives session death.",
            "",
            "query and diagnose read credentials from the environment:",
            "  SF_LOGIN_URL, SF_CLIENT_ID, SF_CLIENT_SECRET, and one of",
            "  SF_REFRESH_TOKEN                      (refresh-token grant)",
            "  SF_USERNAME + SF_PRIVATE_KEY          (JWT bearer; PEM text or file)",
            "  SF_USERNAME + SF_PASSWORD [+ SF_SECURITY_TOKEN]  (username-password)",
            "--sim runs them against an embedded fake org instead.")
        .footerHeading("%nExit codes:%n")
        .footer(
            "  0  ok",
            "  1  Salesforce rejected the request (malformed query, invalid field, ...)",
            "     or another failure",
            "  2  usage error: bad option, missing environment variable",
            "  3  auth failure no refresh can fix (revoked, IP restricted, ...)",
            "  4  transient failure that outlasted its retries (503, network)");
    spec.addOption(OptionSpec.builder("--verbose").type(boolean.class).scopeType(ScopeType.INHERIT)
        .setter(new Verbose())
        .description("Log session events (tokens issued, replays) at INFO on stderr. Default: warnings only.")
        .build());
    addStandardHelpOptions(spec);
    root.spec = spec;
    return spec;
  }

  /** {@code -h, --help} and {@code -V, --version}, as picocli's standard help mixin declares them. */
  static void addStandardHelpOptions(CommandSpec spec) {
    spec.addOption(OptionSpec.builder("-h", "--help").type(boolean.class).usageHelp(true)
        .description("Show this help message and exit.").build());
    spec.addOption(OptionSpec.builder("-V", "--version").type(boolean.class).versionHelp(true)
        .description("Print version information and exit.").build());
  }

  /** {@code --verbose}: applied to logging as it is parsed, on every command (it is inherited). */
  private static final class Verbose implements CommandLine.Model.ISetter {
    @Override
    public <T> @Nullable T set(@Nullable T value) {
      Logging.verbose(Boolean.TRUE.equals(value));
      return null;
    }
  }

  /** A switch, not a map of constructor references: each reference costs a lambda linkage at start-up. */
  private static Object newSubcommand(String name, ForceFlux root) {
    return switch (name) {
      case "demo" -> new DemoCommand();
      case "sim" -> new SimCommand();
      case "query" -> QueryCommand.spec(new QueryCommand(), root);
      case "diagnose" -> new DiagnoseCommand();
      case "bulk" -> new BulkCommand();
      default -> throw new IllegalArgumentException("no subcommand " + name);
    };
  }

  /** Runs the command against the real process environment and exits with its code. */
  public static void main(String[] args) {
    quietStartup();
    if (Boolean.getBoolean("forceflux.training")) {
      // The build's class-data training run: same jar, same main, so the archive matches what users start.
      CdsTraining.run();
      System.exit(OK);
    }
    OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
    PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), false);
    PrintWriter err = new PrintWriter(
        new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
    int code;
    try {
      code = commandLineFor(new ForceFlux(System.getenv(), Terminals.stderrIsTerminal(), stdout), out, err, args)
          .execute(args);
    } finally {
      out.flush();
      err.flush();
    }
    EventLoops.stop();
    Shutdown.exiting();
    System.exit(code);
  }

  /**
   * Failures of the request itself: the user fixes the query or data, not the connection, so they exit 1 without
   * pointing at {@code forceflux diagnose}.
   */
  private static final Set<FailureCause> REQUEST_REJECTED = EnumSet.of(
      FailureCause.API_ERROR, FailureCause.ROW_LOCKED, FailureCause.QUERY_LOCATOR_INVALID,
      FailureCause.RESPONSE_TOO_LARGE);

  /**
   * Start-up work a short-lived command does not need.
   *
   * <ul>
   *   <li>Netty 4.2 records buffer events for Java Flight Recorder when it can, generating event classes at start
   *       (tenths of a second, and not archivable by CDS): off unless asked for with
   *       {@code -Dio.netty.jfr.enabled=true}.
   *   <li>picocli registers a converter for every {@code java.time} and {@code java.sql} type it knows, loading and
   *       initialising each class by reflection (about 30 ms; {@code MonthDay} alone builds the JDK's date-format
   *       tables). No option here has such a type: durations have a converter of their own.
   * </ul>
   */
  static void quietStartup() {
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
    if (System.getProperty(PICOCLI_CONVERTER_EXCLUDES) == null) {
      // One pattern (picocli compiles each for every type it checks), and a class of letters rather than ".*":
      // the regex's any-character node links a lambda nothing else here needs.
      System.setProperty(PICOCLI_CONVERTER_EXCLUDES, "java\\.(time|sql)\\.[A-Za-z]+");
    }
  }

  private static final String PICOCLI_CONVERTER_EXCLUDES = "picocli.converters.excludes";

  /** The exit code for a failure: 4 transient, 3 access no refresh can fix, 1 a rejected request or else. */
  static int exitCodeOf(Throwable failure) {
    SalesforceException se = salesforceCause(failure);
    if (se == null || rejectedRequest(se)) {
      return OTHER;
    }
    return se.recoverable() ? TRANSIENT_EXHAUSTED : AUTH_FAILED;
  }

  /** Whether Salesforce refused the request itself (bad SOQL, unknown field, locked row, …). */
  static boolean rejectedRequest(SalesforceException e) {
    return REQUEST_REJECTED.contains(e.failureCause());
  }

  /** The first {@link SalesforceException} in the cause chain (Reactor wraps some errors), or null. */
  static @Nullable SalesforceException salesforceCause(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
      if (t instanceof SalesforceException se) {
        return se;
      }
      for (Throwable suppressed : t.getSuppressed()) {
        if (suppressed instanceof SalesforceException se) {
          return se;
        }
      }
    }
    return null;
  }

  /**
   * What happened, redacted, for the line under the cause: the exception's detail and Salesforce's error, if any.
   * The cause, attempts and runbook have lines of their own.
   */
  static String summary(SalesforceException e) {
    SalesforceError error = e.error();
    return e.detail() + (error == null ? "" : " (" + Redaction.redact(error.toString()) + ")");
  }

  /** Bad options and missing variables: one line naming what is wrong, a hint, exit 2. */
  private static final class UsageErrors implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
      CommandLine cmd = ex.getCommandLine();
      PrintWriter err = cmd.getErr();
      err.println(cmd.getColorScheme().errorText(
          cmd.getCommandSpec().qualifiedName() + ": " + Redaction.redact(String.valueOf(ex.getMessage()))));
      CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
      err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
      err.flush();
      return USAGE;
    }
  }

  /** Failures while running: classified Salesforce failures get their cause and runbook; no secret is printed. */
  private static final class Failures implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
      PrintWriter err = cmd.getErr();
      String name = cmd.getCommandSpec().qualifiedName();
      SalesforceException se = salesforceCause(ex);
      SalesforceError error = se == null ? null : se.error();
      if (se != null && error != null && rejectedRequest(se)) {
        // What Salesforce said is the whole story: the code and message, and what to fix.
        String message = Redaction.redact(error.message()).strip();
        if (message.indexOf('\n') < 0) {
          err.println(name + ": " + Redaction.redact(error.errorCode()) + ": " + message);
        } else {
          // MALFORMED_QUERY quotes the query with a caret under the error: keep its lines, indented alike.
          err.println(name + ": " + Redaction.redact(error.errorCode()));
          message.lines().forEach(line -> err.println("  " + line));
        }
        if (!error.fields().isEmpty()) {
          err.println("  Fields: " + Redaction.redact(String.join(", ", error.fields())));
        }
        err.println("  " + se.failureCause() + ": " + se.runbook());
      } else if (se != null) {
        err.println(name + ": " + se.failureCause() + " (" + (se.recoverable()
            ? "transient; gave up after " + se.attempts() + (se.attempts() == 1 ? " attempt" : " attempts")
            : "not recoverable by refresh") + ")");
        err.println("  " + summary(se));
        err.println("  Runbook: " + se.runbook());
        err.println("  Run 'forceflux diagnose' for a step-by-step check.");
      } else {
        err.println(name + ": " + ex.getClass().getSimpleName() + ": " + Redaction.redact(String.valueOf(ex.getMessage())));
      }
      err.flush();
      return exitCodeOf(ex);
    }
  }

  /** {@code --version}: the Maven project version, filtered into {@code version.properties}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"forceflux " + version(), "Java " + System.getProperty("java.version")};
    }

    static String version() {
      Properties p = new Properties();
      try (InputStream in = ForceFlux.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        return "unknown";
      }
      return p.getProperty("version", "unknown");
    }
  }
}
