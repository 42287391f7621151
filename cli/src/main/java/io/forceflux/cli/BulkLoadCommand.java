package io.forceflux.cli;

import io.forceflux.reactor.bulk.BulkClient;
import io.forceflux.reactor.bulk.BulkOptions;
import io.forceflux.reactor.bulk.Ingest;
import io.forceflux.reactor.bulk.IngestResult;
import io.forceflux.testkit.FakeOrg;
import java.io.BufferedWriter;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;
import tools.jackson.dataformat.csv.CsvSchema;

/**
 * {@code forceflux bulk load}: CSV from stdin (or {@code --file}) loaded with Bulk API 2.0 jobs. Prints a summary
 * line of JSON on stdout; with {@code --results DIR} every row's result goes to CSV files there.
 */
@Command(
    addMethodSubcommands = false,
    name = "load",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Loads CSV (header row first) from stdin into OBJECT with Bulk API 2.0 ingest jobs.",
        "Progress (job ids, rows uploaded, job state) on stderr; a JSON summary on stdout."})
final class BulkLoadCommand implements Callable<Integer> {
  private static final CsvMapper CSV = CsvMapper.builder().enable(CsvReadFeature.WRAP_AS_ARRAY).build();
  private static final ObjectWriter ROW = CSV.writerFor(String[].class)
      .with(CsvSchema.emptySchema().withLineSeparator("\n"));

  @ParentCommand
  @Nullable BulkCommand parent;

  @Spec
  @Nullable CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "OBJECT", description = "The sObject, e.g. Account.")
  @Nullable String object;

  @Option(names = "--operation", paramLabel = "OP", defaultValue = "insert",
      description = "insert, update, upsert or delete. Default: ${DEFAULT-VALUE}.")
  String operation = "insert";

  @Option(names = "--external-id", paramLabel = "FIELD", description = "The external-id field (upsert).")
  @Nullable String externalId;

  @Option(names = "--results", paramLabel = "DIR",
      description = "Write success.csv, failed.csv and unprocessed.csv (one row per input row) into DIR.")
  @Nullable Path results;

  @Option(names = "--file", paramLabel = "FILE", description = "Read CSV from FILE instead of stdin.")
  @Nullable Path file;

  @Option(names = "--resume", paramLabel = "JOB", description = "Collect the results of an existing ingest job.")
  @Nullable String resume;

  @Option(names = "--jobs", paramLabel = "N", defaultValue = "4",
      description = "Jobs in flight at once (1..25). Default: ${DEFAULT-VALUE}.")
  int jobs;

  @Option(names = "--sim", description = "Load into an embedded fake org instead of SF_* credentials.")
  boolean sim;

  @Override
  public Integer call() {
    CommandSpec s = Objects.requireNonNull(spec);
    ForceFlux root = Objects.requireNonNull(parent).root();
    if ((object == null) == (resume == null)) {
      throw new ParameterException(s.commandLine(), "give either OBJECT or --resume JOB");
    }
    Ingest ingest;
    try {
      ingest = object == null ? Ingest.insert("Account") : new Ingest(object, Ingest.Operation.of(operation),
          externalId);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(s.commandLine(), e.getMessage());
    }
    if (jobs < 1 || jobs > 25) {
      throw new ParameterException(s.commandLine(), "--jobs must be 1..25: " + jobs);
    }
    PrintWriter err = s.commandLine().getErr();
    return BulkCommand.withClient(root, s, sim, FakeOrg.builder().accounts(0).bulkRecordsPerSecond(1_000_000),
        "forceflux bulk load", client -> {
          BulkClient bulk = client.bulk(BulkOptions.builder().jobsInFlight(jobs)
              .listener(BulkCommand.progress(err, "forceflux bulk load")).build());
          Flux<IngestResult> out = resume != null ? bulk.resumeIngest(resume) : bulk.ingestCsv(ingest, rows());
          return summarize(out, s.commandLine().getOut(), err);
        });
  }

  /** The input's CSV rows, re-written one per element (a row may hold quoted line breaks), read off-thread. */
  private Flux<String> rows() {
    return Flux.using(this::open,
        in -> Flux.<String, MappingIterator<String[]>>generate(
            () -> CSV.readerFor(String[].class).with(CsvSchema.emptySchema()).readValues(in),
            (it, sink) -> {
              if (it.hasNextValue()) {
                sink.next(ROW.writeValueAsString(it.nextValue()));
              } else {
                sink.complete();
              }
              return it;
            }),
        in -> {
          try {
            in.close();
          } catch (IOException e) {
            // Nothing to do: the input was read or the load failed for another reason.
          }
        })
        .subscribeOn(Schedulers.boundedElastic());
  }

  private InputStream open() throws FileNotFoundException {
    return file != null ? new FileInputStream(file.toFile()) : new NonClosingStdin(System.in);
  }

  private int summarize(Flux<IngestResult> stream, PrintWriter out, PrintWriter err) {
    Map<IngestResult.Outcome, Long> counts = new EnumMap<>(IngestResult.Outcome.class);
    List<String> jobIds = new ArrayList<>();
    try (ResultFiles files = results == null ? null : new ResultFiles(results);
        Stream<Object> items = inBand(stream).toStream(256)) {
      Iterator<Object> it = items.iterator();
      while (it.hasNext()) {
        Object item = it.next();
        if (item instanceof Throwable t) {
          throw t instanceof RuntimeException e ? e : new IllegalStateException(t);
        }
        IngestResult r = (IngestResult) item;
        counts.merge(r.outcome(), 1L, Long::sum);
        if (!jobIds.contains(r.jobId())) {
          jobIds.add(r.jobId());
        }
        if (files != null) {
          files.write(r);
        }
      }
    }
    long failed = counts.getOrDefault(IngestResult.Outcome.FAILURE, 0L);
    long unprocessed = counts.getOrDefault(IngestResult.Outcome.UNPROCESSED, 0L);
    out.println("{\"succeeded\":" + counts.getOrDefault(IngestResult.Outcome.SUCCESS, 0L) + ",\"failed\":" + failed
        + ",\"unprocessed\":" + unprocessed + ",\"jobs\":" + JsonText.MAPPER.writeValueAsString(jobIds) + "}");
    out.flush();
    if (failed + unprocessed > 0) {
      err.println("forceflux bulk load: " + failed + " rows failed, " + unprocessed + " unprocessed"
          + (results == null ? " (use --results DIR to see them)" : " (see " + results + ")"));
      err.flush();
    }
    return ForceFlux.OK;
  }

  private static Flux<Object> inBand(Flux<IngestResult> stream) {
    return stream.cast(Object.class).onErrorResume(Mono::just);
  }

  /** success.csv, failed.csv and unprocessed.csv, each with a header from its first row. */
  private static final class ResultFiles implements AutoCloseable {
    private final Path dir;
    private final Map<IngestResult.Outcome, BufferedWriter> writers = new EnumMap<>(IngestResult.Outcome.class);

    ResultFiles(Path dir) {
      this.dir = dir;
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + dir, e);
      }
    }

    void write(IngestResult r) {
      try {
        BufferedWriter w = writers.get(r.outcome());
        if (w == null) {
          String name = switch (r.outcome()) {
            case SUCCESS -> "success.csv";
            case FAILURE -> "failed.csv";
            case UNPROCESSED -> "unprocessed.csv";
          };
          w = Files.newBufferedWriter(dir.resolve(name), StandardCharsets.UTF_8);
          writers.put(r.outcome(), w);
          List<String> header = new ArrayList<>(List.of("sf__Id", "sf__Created", "sf__Error"));
          header.addAll(r.row().keySet());
          w.write(ROW.writeValueAsString(header.toArray(new String[0])));
        }
        List<String> values = new ArrayList<>();
        values.add(r.id() == null ? "" : r.id());
        values.add(String.valueOf(r.created()));
        values.add(r.errorCode() == null ? "" : r.errorCode() + ":" + r.errorMessage());
        r.row().values().forEach(v -> values.add(v == null ? "" : v));
        w.write(ROW.writeValueAsString(values.toArray(new String[0])));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write results to " + dir, e);
      }
    }

    @Override
    public void close() {
      for (BufferedWriter w : writers.values()) {
        try {
          w.close();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write results to " + dir, e);
        }
      }
    }
  }

  /** stdin that the load may close without closing the process's stdin. */
  private static final class NonClosingStdin extends java.io.FilterInputStream {
    NonClosingStdin(InputStream in) {
      super(in);
    }

    @Override
    public void close() {
      // stdin belongs to the process
    }
  }
}
