package io.forceflux.cli;

import io.forceflux.reactor.bulk.BulkClient;
import io.forceflux.reactor.bulk.BulkOptions;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/** {@code forceflux bulk query}: a Bulk API 2.0 query job streamed to stdout, one results page in memory. */
@Command(
    addMethodSubcommands = false,
    name = "query",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Runs SOQL as a Bulk API 2.0 query job and streams its rows to stdout; pages are fetched as output drains.",
        "Progress (job id, state, pages) on stderr. Credentials from SF_* variables, or --sim."})
final class BulkQueryCommand implements Callable<Integer> {
  private static final int BUFFER = 256;

  @ParentCommand
  @Nullable BulkCommand parent;

  @Spec
  @Nullable CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "SOQL",
      description = "The query, e.g. \"SELECT Id, Name FROM Account\" (not with --resume).")
  @Nullable String soql;

  @Mixin
  QueryOptions options = new QueryOptions();

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv",
      description = "Output: csv or ndjson. Default: ${DEFAULT-VALUE}.")
  String format = "csv";

  @Option(names = "--resume", paramLabel = "JOB", description = "Read the results of an existing query job.")
  @Nullable String resume;

  @Override
  public Integer call() {
    CommandSpec s = Objects.requireNonNull(spec);
    ForceFlux root = Objects.requireNonNull(parent).root();
    if ((soql == null || soql.isBlank()) == (resume == null)) {
      throw new ParameterException(s.commandLine(), "give either SOQL or --resume JOB");
    }
    RecordWriter.Format f = switch (format.toLowerCase(java.util.Locale.ROOT)) {
      case "csv" -> RecordWriter.Format.CSV;
      case "ndjson" -> RecordWriter.Format.NDJSON;
      default -> throw new ParameterException(s.commandLine(), "--format must be csv or ndjson: " + format);
    };
    options.validate(s);
    PrintWriter err = s.commandLine().getErr();
    return BulkCommand.withClient(root, s, options.sim, options.simOrg().bulkRecordsPerSecond(1_000_000),
        "forceflux bulk query", client -> {
          BulkClient bulk = client.bulk(BulkOptions.builder()
              .listener(BulkCommand.progress(err, "forceflux bulk query")).build());
          Flux<Map<String, @Nullable String>> rows = resume != null ? bulk.resumeQuery(resume)
              : options.all ? bulk.queryAll(Objects.requireNonNull(soql)) : bulk.query(Objects.requireNonNull(soql));
          return write(rows, RecordWriter.of(f, root.stdout()), f, err);
        });
  }

  private static int write(Flux<Map<String, @Nullable String>> rows, RecordWriter writer, RecordWriter.Format f,
      PrintWriter err) {
    long count = 0;
    try (Stream<Object> items = rows.cast(Object.class)
        // In-band, so rows received before a failure are written before it is reported.
        .onErrorResume(e -> Mono.just(new Failure(e)))
        .toStream(BUFFER)) {
      Iterator<Object> it = items.iterator();
      while (it.hasNext()) {
        Object item = it.next();
        if (item instanceof Failure failure) {
          writer.finish();
          throw failure.error instanceof RuntimeException e ? e : new IllegalStateException(failure.error);
        }
        @SuppressWarnings("unchecked")
        Map<String, @Nullable String> row = (Map<String, @Nullable String>) item;
        writer.write(f == RecordWriter.Format.CSV ? csv(row) : json(row));
        count++;
        if ((count & 1023) == 0 && writer.failed()) {
          return ForceFlux.OK;
        }
      }
    }
    writer.finish();
    err.println("forceflux bulk query: " + count + " rows");
    err.flush();
    return ForceFlux.OK;
  }

  private record Failure(Throwable error) {}

  /** A row as the query writer's CSV record: the job's columns in their order. */
  private static Records.CsvRecord csv(Map<String, @Nullable String> row) {
    String[] names = row.keySet().toArray(new String[0]);
    @Nullable String[] cells = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      cells[i] = row.get(names[i]);
    }
    return new Records.CsvRecord(names, cells);
  }

  /** A row as the query writer's JSON record: one object, values as strings (Bulk CSV has no types). */
  private static Records.JsonRecord json(Map<String, @Nullable String> row) {
    ObjectNode node = JsonText.MAPPER.createObjectNode();
    row.forEach(node::put);
    return new Records.JsonRecord(JsonText.MAPPER.writeValueAsBytes(node));
  }
}
