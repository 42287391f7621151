package io.forceflux.cli;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.event.SessionEvent;
import io.forceflux.core.event.SessionListener;
import io.forceflux.core.recovery.RecoveryPolicy;
import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.reactor.ConnectionPools;
import io.forceflux.reactor.TokenSource;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.reactor.internal.Codecs;
import io.forceflux.testkit.CursorMode;
import io.forceflux.testkit.FakeOrg;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * {@code forceflux demo}: what ForceFlux is for, on an embedded fake org. It streams every Account while sessions
 * die, then runs a mixed read/write load while sessions keep dying, and reports what the org saw: no request
 * failed, and the token endpoint got one request per session that died under the client, where a naive client
 * sends one per rejected request.
 */
@Command(
    addMethodSubcommands = false,
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "The showcase: no request fails while an embedded fake org kills sessions.",
        "On the fake org (refresh-token rotation on), it",
        "  1. streams SELECT Id, Name FROM Account as a Flux, pages on demand,",
        "  2. runs mixed reads and writes (60%% get, 20%% create, 10%% update,",
        "     5%% limits, 5%% query page) with many requests in flight,",
        "while every session is killed every --expire-every (or, if requests are",
        "still replaying after the last kill, as soon as they are done) and the",
        "access token in use is revoked at random moments. Then it prints what the",
        "org counted: requests, failures, sessions expired, token requests, replays,",
        "latency, and what a naive client (one refresh per 401) would have sent.",
        "Exit 1 if a request failed, a record was lost or duplicated, or the token",
        "requests were not 1 + the sessions that died under the client."})
final class DemoCommand implements Callable<Integer> {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  /**
   * Replays back off briefly: in this demo sessions die many times a second, and the default (seconds) would only
   * stretch the load out.
   */
  static final RecoveryPolicy REPLAYS = RecoveryPolicy.builder()
      .maxAttempts(5)
      .initialBackoff(Duration.ofMillis(20))
      .maxBackoff(Duration.ofMillis(200))
      .build();

  @ParentCommand
  @Nullable ForceFlux root;

  @Spec
  @Nullable CommandSpec spec;

  @Option(names = "--accounts", paramLabel = "N", defaultValue = "50000",
      description = "Accounts to stream (1..10,000,000). Default: ${DEFAULT-VALUE}.")
  int accounts;

  @Option(names = "--requests", paramLabel = "N", defaultValue = "20000",
      description = "Mixed requests in the load phase (0..1,000,000). Default: ${DEFAULT-VALUE}.")
  int requests;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "512",
      description = "Requests in flight at once (1..4096). Default: ${DEFAULT-VALUE}.")
  int concurrency;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "500",
      description = "Records per page of the stream (200..2000). Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(names = "--expire-every", paramLabel = "DURATION", defaultValue = "200ms", converter = Durations.class,
      description = "Kill every session this often, on real time; 0 turns it off. Default: ${DEFAULT-VALUE}.")
  Duration expireEvery = Duration.ofMillis(200);

  @Option(names = "--revoke-every", paramLabel = "DURATION", defaultValue = "300ms", converter = Durations.class,
      description = "Revoke the access token in use at random moments this far apart on average (never the "
          + "refresh token); 0 turns it off. Default: ${DEFAULT-VALUE}.")
  Duration revokeEvery = Duration.ofMillis(300);

  @Option(names = "--session-timeout", paramLabel = "DURATION", defaultValue = "5s", converter = Durations.class,
      description = "The org's session inactivity timeout. Default: ${DEFAULT-VALUE}.")
  Duration sessionTimeout = Duration.ofSeconds(5);

  @Option(names = "--cursor-mode", paramLabel = "user|session", defaultValue = "user",
      description = "Whether a query cursor survives re-authentication (user) or dies with its session "
          + "(session: the stream then resumes by Id). Default: ${DEFAULT-VALUE}.")
  CursorMode cursorMode = CursorMode.USER;

  @Option(names = "--seed", paramLabel = "N", description = "Seed for the request mix and the revocation times. "
      + "Default: random.")
  @Nullable Long seed;

  @Option(names = "--json", description = "Print one JSON object with the results instead of the table.")
  boolean json;

  @Option(names = "--progress", negatable = true,
      description = "Show progress bars on stderr. Default: only when stderr is a terminal.")
  @Nullable Boolean progress;

  @Override
  public Integer call() {
    CommandSpec s = Objects.requireNonNull(spec);
    ForceFlux r = Objects.requireNonNull(root);
    validate(s);
    long started = System.nanoTime();
    long mixSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong();
    PrintWriter err = s.commandLine().getErr();
    Counting counting = new Counting();
    FakeOrg.Builder orgBuilder = FakeOrg.builder()
        .accounts(accounts)
        .sessionTimeout(sessionTimeout)
        .refreshTokenRotation(true)
        .cursorMode(cursorMode)
        .loginsPerHour(1_000_000)
        .dailyApiLimit(Math.max(100_000L, 10L * (requests + accounts / 100L)));
    try (Connection c = EmbeddedOrg.start(orgBuilder, EmbeddedOrg.SimGrant.REFRESH_TOKEN)) {
      FakeOrg org = Objects.requireNonNull(c.org());
      SessionListener listener = SessionListener.logging().andThen(counting);
      CachingTokenSource cache = c.tokenSource()
          .listener(listener)
          .build();
      NoticingTokenSource tokens = new NoticingTokenSource(cache);
      PageCounter pages = new PageCounter();
      InFlight inFlight = new InFlight();
      // Every request in flight may wait for a connection: the shared default pool refuses more than 1,500.
      ConnectionProvider pool = ConnectionPools.queueing("forceflux-demo", Math.min(concurrency, 500), TIMEOUT,
          ConnectionPools.DEFAULT_MAX_IDLE_TIME);
      SalesforceClient client = SalesforceClient.builder()
          .tokenSource(tokens)
          .listener(listener)
          .recoveryPolicy(REPLAYS)
          .httpClient(HttpClient.create(pool).responseTimeout(Duration.ofMinutes(2)).followRedirect(false))
          .webClientBuilder(Codecs.rawBuilder().filter(pages).filter(inFlight))
          .build();
      try {
        DemoRun run = new DemoRun(this, org, client, pages, inFlight, counting,
            Progress.factory(err, progress, r.stderrIsTerminal()));
        DemoResults results = run.run(cache, mixSeed);
        results.org(org.stats(), counting, tokens);
        results.durationMs = (System.nanoTime() - started) / 1_000_000;
        PrintWriter out = s.commandLine().getOut();
        if (json) {
          out.println(JsonText.MAPPER.writeValueAsString(results.toMap()));
        } else {
          results.printTable(out, concurrency, accounts, Durations.format(expireEvery), Durations.format(revokeEvery));
        }
        out.flush();
        String problem = results.problem(accounts);
        if (problem != null) {
          err.println("forceflux demo: " + problem);
          return ForceFlux.OTHER;
        }
        return ForceFlux.OK;
      } finally {
        pool.disposeLater().block(Duration.ofSeconds(10));
      }
    }
  }

  private void validate(CommandSpec s) {
    if (accounts < 1 || accounts > 10_000_000) {
      throw new ParameterException(s.commandLine(), "--accounts must be 1..10000000: " + accounts);
    }
    if (requests < 0 || requests > 1_000_000) {
      throw new ParameterException(s.commandLine(), "--requests must be 0..1000000: " + requests);
    }
    if (batchSize < 200 || batchSize > 2000) {
      throw new ParameterException(s.commandLine(), "--batch-size must be 200..2000: " + batchSize);
    }
    if (concurrency < 1 || concurrency > 4096) {
      throw new ParameterException(s.commandLine(), "--concurrency must be 1..4096: " + concurrency);
    }
    if (!expireEvery.isZero() && expireEvery.toMillis() < 10) {
      throw new ParameterException(s.commandLine(), "--expire-every must be 0 or at least 10ms: " + expireEvery);
    }
    if (!revokeEvery.isZero() && revokeEvery.toMillis() < 10) {
      throw new ParameterException(s.commandLine(), "--revoke-every must be 0 or at least 10ms: " + revokeEvery);
    }
    if (sessionTimeout.toMillis() < 100) {
      throw new ParameterException(s.commandLine(), "--session-timeout must be at least 100ms: " + sessionTimeout);
    }
  }

  /** The load mix, by share of requests. */
  enum Op {
    GET(60), CREATE(20), UPDATE(10), LIMITS(5), QUERY_PAGE(5);

    final int percent;

    Op(int percent) {
      this.percent = percent;
    }

    static Op pick(int roll) {
      int acc = 0;
      for (Op op : values()) {
        acc += op.percent;
        if (roll < acc) {
          return op;
        }
      }
      return QUERY_PAGE;
    }
  }

  /** Counts replays and token issuances as the client reports them. */
  static final class Counting implements SessionListener {
    final AtomicLong replays = new AtomicLong();
    final AtomicLong tokensIssued = new AtomicLong();

    @Override
    public void onEvent(SessionEvent event) {
      if (event instanceof SessionEvent.RequestReplayed) {
        replays.incrementAndGet();
      } else if (event instanceof SessionEvent.TokenIssued) {
        tokensIssued.incrementAndGet();
      }
    }
  }

  /**
   * The demo's token source: the real {@link CachingTokenSource}, plus a record of which sessions the org
   * rejected (each distinct token passed to {@link #invalidate}: a session that died under the client).
   */
  static final class NoticingTokenSource implements TokenSource {
    private final CachingTokenSource delegate;
    private final Set<AccessToken> rejected = ConcurrentHashMap.newKeySet();

    NoticingTokenSource(CachingTokenSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public Mono<AccessToken> token() {
      return delegate.token();
    }

    @Override
    public void invalidate(AccessToken rejectedToken) {
      rejected.add(rejectedToken);
      delegate.invalidate(rejectedToken);
    }

    int noticed() {
      return rejected.size();
    }
  }
}
