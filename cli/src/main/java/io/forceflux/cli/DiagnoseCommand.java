package io.forceflux.cli;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.event.SessionEvent;
import io.forceflux.core.event.SessionListener;
import io.forceflux.core.internal.ApiVersions;
import io.forceflux.core.internal.Redaction;
import io.forceflux.core.internal.parse.ErrorParser;
import io.forceflux.core.recovery.RecoveryPolicy;
import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.reactor.SessionRecoveryFilter;
import io.forceflux.reactor.internal.Codecs;
import io.forceflux.testkit.FakeOrg;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code forceflux diagnose}: the INVALID_SESSION_ID runbook as a command. Four steps, each with ✓/✗ and its
 * time; the first failure is classified, explained and mapped to the exit code.
 */
@Command(
    addMethodSubcommands = false,
    name = "diagnose",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Checks a connection step by step: the INVALID_SESSION_ID runbook.",
        "  1. obtain a token (which grant, latency)",
        "  2. introspect it (active, expiry; skipped without SF_CLIENT_SECRET)",
        "  3. read /services/data/vNN.N/limits (API usage)",
        "  4. make one API call (SELECT Id FROM Account LIMIT 1)",
        "On a failure it prints the classified cause, its runbook and the",
        "settings to check, and exits 3 (no refresh can fix it), 4 (transient,",
        "retries used up) or 1 (Salesforce rejected the request itself).",
        "Secrets are always masked."})
final class DiagnoseCommand implements Callable<Integer> {
  private static final List<String> STEP_NAMES =
      List.of("Obtain a token", "Introspect the token", "Read /limits", "One API call");
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
  private static final RecoveryPolicy POLICY = RecoveryPolicy.builder()
      .maxAttempts(3).initialBackoff(Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(1)).build();

  @ParentCommand
  @Nullable ForceFlux root;

  @Spec
  @Nullable CommandSpec spec;

  @Option(names = "--sim", description = "Run against an embedded fake org instead of SF_* credentials.")
  boolean sim;

  @Option(names = "--sim-fault", paramLabel = "FAULT", defaultValue = "none", converter = SimFault.Converter.class,
      completionCandidates = SimFault.Names.class,
      description = "With --sim: what to break first, one of ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
  SimFault simFault = SimFault.NONE;

  @Option(names = "--sim-grant", paramLabel = "GRANT", defaultValue = "refresh-token",
      converter = SimGrants.class, completionCandidates = SimGrants.class,
      description = "With --sim: the grant to use, one of ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
  EmbeddedOrg.SimGrant simGrant = EmbeddedOrg.SimGrant.REFRESH_TOKEN;

  @Option(names = "--api-version", paramLabel = "NN.N",
      description = "REST API version, e.g. 62.0. Default: the newest the org offers (GET /services/data).")
  @Nullable String apiVersion;

  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final AtomicInteger replays = new AtomicInteger();

  @Override
  public Integer call() {
    CommandSpec s = Objects.requireNonNull(spec);
    ForceFlux r = Objects.requireNonNull(root);
    if (!sim && simFault != SimFault.NONE) {
      throw new ParameterException(s.commandLine(), "--sim-fault needs --sim");
    }
    if (apiVersion != null && !ApiVersions.isValid(apiVersion)) {
      throw new ParameterException(s.commandLine(),
          "--api-version must look like 62.0: '" + apiVersion + "'");
    }
    PrintWriter out = s.commandLine().getOut();
    try (Connection c = sim
        ? EmbeddedOrg.start(simFault.configure(FakeOrg.builder().accounts(1_000)), simGrant)
        : EnvCredentials.connect(r.env(), s.commandLine())) {
      out.println("forceflux diagnose: the INVALID_SESSION_ID runbook");
      out.println("  login    " + c.loginUrl() + (c.org() != null ? " (embedded fake org)" : ""));
      out.println("  client   " + Masking.mask(c.clientId()) + " via " + c.source());
      FakeOrg org = c.org();
      if (org != null) {
        simFault.apply(org, () -> useUpLogin(c));
        out.println("  fault    " + simFault.cliName() + ": " + simFault.description());
      }
      out.println();
      out.flush();
      return run(c, out, s.commandLine().getErr());
    }
  }

  private int run(Connection c, PrintWriter out, PrintWriter err) {
    // Every failure is printed below with its runbook; the session log would only repeat it (unless --verbose).
    SessionListener log = Logging.isVerbose() ? SessionListener.logging() : SessionListener.NONE;
    SessionListener counting = event -> {
      if (event instanceof SessionEvent.TokenIssued) {
        tokensIssued.incrementAndGet();
      } else if (event instanceof SessionEvent.RequestReplayed) {
        replays.incrementAndGet();
      }
    };
    CachingTokenSource tokens = c.tokenSource()
        .recoveryPolicy(POLICY)
        .listener(log.andThen(counting))
        .build();
    WebClient plain = webClient(null);
    WebClient api = webClient(SessionRecoveryFilter.builder(tokens).recoveryPolicy(POLICY)
        .listener(log.andThen(counting)).build());
    Steps steps = new Steps(out);
    try {
      return steps(c, tokens, plain, api, steps, out);
    } finally {
      c.warnIfRotated(tokens, err, "forceflux diagnose");
    }
  }

  private int steps(Connection c, CachingTokenSource tokens, WebClient plain, WebClient api, Steps steps,
      PrintWriter out) {
    AccessToken token = steps.run(STEP_NAMES.get(0), () -> {
      AccessToken t = Objects.requireNonNull(tokens.token().block(STEP_TIMEOUT), "no token");
      return new Result<>(t, c.source().replace(" (embedded fake org)", "") + "; token " + Masking.mask(t.value())
          + " (fingerprint " + t.fingerprint() + "); instance " + t.instanceUrl());
    });
    if (token == null) {
      return steps.finish();
    }

    if (c.clientSecret() == null) {
      steps.skip(STEP_NAMES.get(1), "skipped: SF_CLIENT_SECRET is not set (introspection authenticates as the "
          + "connected app)");
    } else if (steps.run(STEP_NAMES.get(1), () -> introspect(plain, c, token)) == null) {
      return steps.finish();
    }

    String version = steps.run(STEP_NAMES.get(2), () -> limits(api));
    if (version == null) {
      return steps.finish();
    }

    if (steps.run(STEP_NAMES.get(3), () -> query(api, version)) == null) {
      return steps.finish();
    }
    out.println();
    out.println("All checks passed: " + tokensIssued.get() + (tokensIssued.get() == 1 ? " token request, " : " token "
        + "requests, ") + replays.get() + (replays.get() == 1 ? " replay." : " replays."));
    return ForceFlux.OK;
  }

  private Result<Boolean> introspect(WebClient plain, Connection c, AccessToken token) {
    String form = "token=" + enc(token.value()) + "&token_type_hint=access_token&client_id=" + enc(c.clientId())
        + "&client_secret=" + enc(Objects.requireNonNull(c.clientSecret()));
    Reply reply = Objects.requireNonNull(plain.post()
        .uri(c.loginUrl() + "/services/oauth2/introspect")
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .accept(MediaType.APPLICATION_JSON)
        .body(BodyInserters.fromValue(form))
        .exchangeToMono(DiagnoseCommand::read)
        .block(STEP_TIMEOUT));
    if (reply.status != 200) {
      throw SalesforceException.ofTokenError(ErrorParser.parse(reply.status, reply.contentType, reply.bytes()));
    }
    JsonNode body = JsonText.MAPPER.readTree(reply.body);
    if (!body.path("active").asBoolean(false)) {
      throw SalesforceException.of(FailureCause.SESSION_EXPIRED,
          "introspection says the token just issued is not active");
    }
    StringBuilder sb = new StringBuilder("active");
    JsonNode exp = body.get("exp");
    if (exp != null && exp.canConvertToLong()) {
      Instant at = Instant.ofEpochSecond(exp.asLong());
      Duration left = Duration.between(Instant.now(), at);
      sb.append("; expires ").append(at).append(" (in ")
          .append(Durations.format(left.isNegative() ? Duration.ZERO : left.withNanos(0)))
          .append(", an inactivity timeout: every API call pushes it back)");
    } else {
      sb.append("; no expiry given");
    }
    String scope = body.path("scope").asString("");
    if (!scope.isEmpty()) {
      sb.append("; scope '").append(scope).append('\'');
    }
    return new Result<>(Boolean.TRUE, sb.toString());
  }

  private Result<String> limits(WebClient api) {
    String version = apiVersion;
    if (version == null) {
      JsonNode versions = JsonText.MAPPER.readTree(ok(get(api, "/services/data/")).body);
      version = "";
      double newest = -1;
      for (JsonNode v : versions) {
        String text = v.path("version").asString("");
        try {
          double n = Double.parseDouble(text);
          if (n > newest) {
            newest = n;
            version = text;
          }
        } catch (NumberFormatException ignored) {
          // not a version entry
        }
      }
      if (version.isEmpty()) {
        throw SalesforceException.of(FailureCause.MALFORMED_RESPONSE, "GET /services/data/ listed no API version");
      }
    }
    Reply reply = ok(get(api, "/services/data/v" + version + "/limits"));
    JsonNode daily = JsonText.MAPPER.readTree(reply.body).path("DailyApiRequests");
    long max = daily.path("Max").asLong(0);
    long remaining = daily.path("Remaining").asLong(0);
    long used = Math.max(0, max - remaining);
    String usage = max > 0
        ? String.format(Locale.ROOT, "DailyApiRequests %,d of %,d used (%.1f%%)", used, max, 100.0 * used / max)
        : "DailyApiRequests not reported";
    return new Result<>(version, "API v" + version + "; " + usage
        + (used * 10 >= max * 9 && max > 0 ? " — close to the limit: REQUEST_LIMIT_EXCEEDED comes next" : ""));
  }

  private Result<Boolean> query(WebClient api, String version) {
    String soql = "SELECT Id FROM Account LIMIT 1";
    Reply reply = ok(Objects.requireNonNull(api.get()
        .uri("/services/data/v{version}/query?q={q}", version, soql)
        .accept(MediaType.APPLICATION_JSON)
        .exchangeToMono(DiagnoseCommand::read)
        .block(STEP_TIMEOUT)));
    JsonNode body = JsonText.MAPPER.readTree(reply.body);
    int records = body.path("records").size();
    return new Result<>(Boolean.TRUE, soql + " → " + records + (records == 1 ? " record" : " records"));
  }

  private static Reply get(WebClient api, String path) {
    return Objects.requireNonNull(api.get().uri(path).accept(MediaType.APPLICATION_JSON)
        .exchangeToMono(DiagnoseCommand::read).block(STEP_TIMEOUT));
  }

  private static Reply ok(Reply reply) {
    if (reply.status / 100 != 2) {
      throw SalesforceException.ofApiError(ErrorParser.parse(reply.status, reply.contentType, reply.bytes()));
    }
    return reply;
  }

  private static Mono<Reply> read(ClientResponse response) {
    int status = response.statusCode().value();
    String contentType = response.headers().contentType().map(MediaType::toString).orElse(null);
    return response.bodyToMono(String.class).defaultIfEmpty("").map(body -> new Reply(status, contentType, body));
  }

  private static WebClient webClient(@Nullable SessionRecoveryFilter filter) {
    HttpClient http = HttpClient.create().responseTimeout(Duration.ofSeconds(30)).followRedirect(false);
    WebClient.Builder b = Codecs.rawBuilder().clientConnector(new ReactorClientHttpConnector(http));
    if (filter != null) {
      b.filter(filter);
    }
    return b.build();
  }

  /** Spends the org's one allowed login (for {@code --sim-fault login-rate}) with a token source of its own. */
  private static void useUpLogin(Connection c) {
    c.tokenSource().listener(SessionListener.NONE).build()
        .token().block(STEP_TIMEOUT);
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private record Reply(int status, @Nullable String contentType, String body) {
    byte[] bytes() {
      return body.getBytes(StandardCharsets.UTF_8);
    }
  }

  private record Result<T>(T value, String detail) {}

  @FunctionalInterface
  private interface Step<T> {
    Result<T> run();
  }

  /** Prints steps and, on the first failure, the cause, runbook and settings; remembers the exit code. */
  private static final class Steps {
    private final PrintWriter out;
    private int exitCode = ForceFlux.OK;
    private String verdict = "failed";
    private int number;

    Steps(PrintWriter out) {
      this.out = out;
    }

    <T> @Nullable T run(String name, Step<T> step) {
      number++;
      long started = System.nanoTime();
      try {
        Result<T> result = step.run();
        line("✓", name, started, result.detail());
        return result.value();
      } catch (RuntimeException e) {
        line("✗", name, started, "failed");
        explain(e);
        return null;
      }
    }

    void skip(String name, String why) {
      number++;
      out.printf(Locale.ROOT, "- %d. %-22s %8s  %s%n", number, name, "", why);
      out.flush();
    }

    int finish() {
      while (number < STEP_NAMES.size()) {
        skip(STEP_NAMES.get(number), "skipped (an earlier step failed)");
      }
      out.println();
      out.println("Result: " + verdict + " (exit " + exitCode + ")");
      out.flush();
      return exitCode;
    }

    private void line(String mark, String name, long startedNanos, String detail) {
      long ms = (System.nanoTime() - startedNanos) / 1_000_000;
      out.printf(Locale.ROOT, "%s %d. %-22s %6d ms  %s%n", mark, number, name, ms, Redaction.redact(detail));
      out.flush();
    }

    private void explain(RuntimeException e) {
      SalesforceException se = ForceFlux.salesforceCause(e);
      if (se == null) {
        exitCode = ForceFlux.OTHER;
        verdict = "unexpected " + e.getClass().getSimpleName();
        out.println("     Error:    " + e.getClass().getSimpleName() + ": " + Redaction.redact(String.valueOf(
            e.getMessage())));
        return;
      }
      FailureCause cause = se.failureCause();
      exitCode = ForceFlux.exitCodeOf(se);
      verdict = cause + (se.recoverable() ? ", transient: retries used up" : ", not recoverable by refresh");
      out.println("     Cause:    " + cause + (se.recoverable()
          ? " (transient; gave up after " + se.attempts() + (se.attempts() == 1 ? " attempt)" : " attempts)")
          : " (a refresh cannot fix this)"));
      if (se.error() != null) {
        out.println("     Salesforce said: " + Redaction.redact(se.error().toString()));
      }
      out.println("     Runbook:  " + cause.runbook());
      out.println("     Settings to check (→ most likely for this cause):");
      Set<Setting> likely = Setting.likelyFor(cause);
      for (Setting setting : Setting.values()) {
        out.println("       " + (likely.contains(setting) ? "→ " : "  ") + setting.text);
      }
      out.flush();
    }
  }

  /** The org settings behind most session failures, in the order an admin checks them. */
  private enum Setting {
    SESSION_TIMEOUT("Session timeout: the first one set wins: the connected app's Session Policies (Timeout "
        + "Value), then the user's profile (Session Settings), then Setup > Session Settings (default 2 h; an "
        + "inactivity timeout, 15 min to 24 h)."),
    REFRESH_TOKEN_POLICY("Refresh token policy: connected app > Manage > Edit Policies > Refresh Token Policy "
        + "('valid until revoked', 'immediately expire', 'expire after n', 30-day idle TTL), Refresh Token "
        + "Rotation, and the 5 approvals per user per app."),
    IP_RELAXATION("IP relaxation: the connected app's IP Relaxation ('Enforce IP restrictions', '... but relax for "
        + "refresh tokens', 'Relax IP restrictions'), the profile's Login IP Ranges, and Session Settings 'Lock "
        + "sessions to the IP address from which they originated'."),
    SESSION_SECURITY("High Assurance / session security level: the connected app's 'High assurance session "
        + "required' and Session Level Policy, Setup > Session Settings > Session Security Levels, and API Client "
        + "Control; such sessions are 'not valid for use with the REST API'.");

    private final String text;

    Setting(String text) {
      this.text = text;
    }

    static Set<Setting> likelyFor(FailureCause cause) {
      return switch (cause) {
        case SESSION_EXPIRED -> EnumSet.of(SESSION_TIMEOUT);
        case SESSION_POLICY -> EnumSet.of(SESSION_SECURITY, IP_RELAXATION);
        case REFRESH_TOKEN_REVOKED -> EnumSet.of(REFRESH_TOKEN_POLICY);
        case IP_RESTRICTED -> EnumSet.of(IP_RELAXATION);
        default -> EnumSet.noneOf(Setting.class);
      };
    }
  }

  /** {@code refresh-token}, {@code jwt}, {@code password}. */
  static final class SimGrants implements ITypeConverter<EmbeddedOrg.SimGrant>, Iterable<String> {
    @Override
    public EmbeddedOrg.SimGrant convert(String value) {
      for (EmbeddedOrg.SimGrant g : EmbeddedOrg.SimGrant.values()) {
        if (g.cliName().equalsIgnoreCase(value.strip()) || g.name().equalsIgnoreCase(value.strip())) {
          return g;
        }
      }
      throw new TypeConversionException("'" + value + "' is not one of " + String.join(", ", this));
    }

    @Override
    public Iterator<String> iterator() {
      List<String> names = new ArrayList<>();
      for (EmbeddedOrg.SimGrant g : EmbeddedOrg.SimGrant.values()) {
        names.add(g.cliName());
      }
      return names.iterator();
    }
  }
}
