package io.forceflux.cli;

import io.forceflux.core.internal.ApiVersions;
import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.reactor.client.Query;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.reactor.internal.Codecs;
import io.forceflux.testkit.FakeOrg;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import reactor.core.publisher.Mono;

/**
 * {@code forceflux query}: streams a SOQL query to stdout in constant memory. Pages are fetched as the output
 * drains (at most a few pages are held at once), so a million rows run in a 64 MB heap.
 */
final class QueryCommand implements Callable<Integer> {
  /**
   * Records requested at a time by the writer's thread, and buffered between it and the client. Small, so that
   * records are decoded on the thread that writes them: the query stream decodes on whichever thread meets
   * demand, and a page arriving while the writer waits on a larger buffer was decoded on the event loop, which
   * meanwhile neither read the next page nor sent the request for the one after.
   */
  private static final int BUFFER = 16;

  private static final String FORMAT = "--format";
  private static final String BATCH_SIZE = "--batch-size";
  private static final String API_VERSION = "--api-version";
  private static final String PROGRESS = "--progress";

  @Nullable ForceFlux root;
  @Nullable CommandSpec spec;

  // Read from the spec when the command runs.
  String soql = "";
  final QueryOptions options = new QueryOptions();
  RecordWriter.Format format = RecordWriter.Format.NDJSON;
  int batchSize;
  @Nullable String apiVersion;
  @Nullable Boolean progress;

  /**
   * picocli's model of {@code query}, declared in code rather than read from annotations: see
   * {@link ForceFlux#spec}. The options shared with {@code bulk query} come from {@link QueryOptions#declare}.
   */
  static CommandSpec spec(QueryCommand command, ForceFlux root) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
    spec.name("query");
    spec.usageMessage().sortOptions(false).autoWidth(true).description(
        "Streams a SOQL query to stdout in constant memory, without 'attributes'.",
        "Sessions that die mid-stream are refreshed and the page replayed.",
        "Credentials from SF_* variables (see 'forceflux --help'), or --sim.");
    spec.addPositional(PositionalParamSpec.builder().index("0").arity("1").required(true).paramLabel("SOQL")
        .type(String.class).description("The query, e.g. \"SELECT Id, Name FROM Account\".").build());
    QueryOptions.declare(spec);
    spec.addOption(OptionSpec.builder(FORMAT).paramLabel("FORMAT").type(RecordWriter.Format.class)
        .defaultValue("ndjson").completionCandidates(new RecordWriter.Format.Names())
        .description("Output: ${COMPLETION-CANDIDATES}. csv takes its header from the first record; json is one "
            + "streamed array. Default: ${DEFAULT-VALUE}.").build());
    spec.addOption(OptionSpec.builder(BATCH_SIZE).paramLabel("N").type(int.class).defaultValue("2000")
        .description("Records per page asked of Salesforce (200..2000; it may send fewer). "
            + "Default: ${DEFAULT-VALUE}.").build());
    spec.addOption(OptionSpec.builder(API_VERSION).paramLabel("NN.N").type(String.class)
        .description("The REST API version, e.g. 62.0. Default: the newest the org lists, asked once and "
            + "remembered for a day in the user cache folder (XDG_CACHE_HOME or ~/.cache/forceflux).").build());
    spec.addOption(OptionSpec.builder(PROGRESS).type(Boolean.class).negatable(true)
        .description("Show a progress bar on stderr. Default: only when stderr is a terminal.").build());
    ForceFlux.addStandardHelpOptions(spec);
    command.root = root;
    command.spec = spec;
    return spec;
  }

  /** Takes the parsed values from the spec. */
  private void read(CommandSpec s) {
    String text = s.positionalParameters().get(0).getValue();
    soql = text == null ? "" : text;
    options.read(s);
    format = s.findOption(FORMAT).getValue();
    batchSize = s.findOption(BATCH_SIZE).<Integer>getValue();
    apiVersion = s.findOption(API_VERSION).getValue();
    progress = s.findOption(PROGRESS).getValue();
  }

  @Override
  public Integer call() {
    CommandSpec s = Objects.requireNonNull(spec);
    ForceFlux r = Objects.requireNonNull(root);
    read(s);
    if (soql.isBlank()) {
      throw new ParameterException(s.commandLine(), "SOQL must not be empty");
    }
    if (batchSize < 200 || batchSize > 2000) {
      throw new ParameterException(s.commandLine(), "--batch-size must be 200..2000: " + batchSize);
    }
    options.validate(s);
    if (apiVersion != null && !ApiVersions.isValid(apiVersion)) {
      throw new ParameterException(s.commandLine(), "--api-version must look like 62.0: " + apiVersion);
    }
    boolean sim = options.sim;
    try (Connection c = sim
        ? EmbeddedOrg.start(options.simOrg(), EmbeddedOrg.SimGrant.REFRESH_TOKEN)
        : EnvCredentials.connect(r.env(), s.commandLine())) {
      PageCounter pages = new PageCounter();
      CachingTokenSource tokens = c.commandTokens();
      ApiVersionCache cache = sim ? null : ApiVersionCache.in(r.env());
      String version = apiVersion;
      if (version == null) {
        FakeOrg org = c.org();
        version = org != null ? org.apiVersion() : cache != null ? cache.get(c.loginUrl(), c.clientId()) : null;
      }
      SalesforceClient.Builder builder = Connection.commandClient(tokens)
          .webClientBuilder(Codecs.rawBuilder().filter(pages))
          // Two pages ahead: the next page's request goes out as soon as a page arrives, even while the writer
          // is still on the one before it.
          .batchSize(batchSize).pagePrefetch(2);
      if (version != null) {
        // Known already: no GET /services/data/ before the query.
        builder.apiVersion(version);
      }
      SalesforceClient client = builder.build();
      try {
        int code = stream(client, pages, s, r);
        if (version == null && cache != null) {
          remember(client, cache, c);
        }
        return code;
      } finally {
        c.warnIfRotated(tokens, s.commandLine().getErr(), "forceflux query");
      }
    }
  }

  /** Keeps the version the org named for the next run; the answer is cached by the client, so no request. */
  private static void remember(SalesforceClient client, ApiVersionCache cache, Connection c) {
    try {
      String learnt = client.apiVersion().block(Duration.ofSeconds(5));
      if (learnt != null) {
        cache.put(c.loginUrl(), c.clientId(), learnt);
      }
    } catch (RuntimeException e) {
      // A cache is an optimisation: the next run asks again.
    }
  }

  private int stream(SalesforceClient client, PageCounter pages, CommandSpec s, ForceFlux r) {
    // Records are bytes by now: they bypass the writer picocli prints with, which has nothing buffered.
    s.commandLine().getOut().flush();
    RecordWriter writer = RecordWriter.of(format, r.stdout());
    long count = 0;
    try (Progress bar = Progress.on(s.commandLine().getErr(), progress, r.stderrIsTerminal(), "Querying", -1,
            " rec");
        Stream<Object> records = client.query(Query.of(soql).all(options.all).batchSize(batchSize), writer.decoder())
            .cast(Object.class)
            // In-band, so the records received before a failure are written before it is reported (a blocking
            // iterator would let the error overtake the records still buffered).
            .onErrorResume(e -> Mono.just(new Failure(e)))
            .toStream(BUFFER)) {
      Iterator<Object> it = records.iterator();
      while (it.hasNext()) {
        Object item = it.next();
        if (item instanceof Failure f) {
          throw f.rethrow();
        }
        if (!writer.write(item)) {
          // stdout is gone (e.g. piped into head): stop fetching pages.
          return ForceFlux.OK;
        }
        count++;
        if (bar.shown()) {
          bar.stepBy(1);
          if ((count & 1023) == 0) {
            bar.extra(pages.pages() + " pages");
          }
        }
      }
      bar.extra(pages.pages() + (pages.pages() == 1 ? " page" : " pages"));
    }
    writer.finish();
    return ForceFlux.OK;
  }

  /** A failure carried in-band after the records that preceded it. */
  private record Failure(Throwable error) {
    RuntimeException rethrow() {
      return error instanceof RuntimeException e ? e : new IllegalStateException(error);
    }
  }
}
