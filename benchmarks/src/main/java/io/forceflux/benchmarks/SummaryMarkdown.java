package io.forceflux.benchmarks;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Writes the summary document: the header, one section per known benchmark ({@link TokenSections},
 * {@link ApiSections}), a generic table for any other benchmark, the JMH settings and the environment.
 *
 * <p>A section names the contenders it compares through constants on the benchmark classes; when results of a
 * benchmark are present but a contender it names is not, writing fails with {@link MissingResultException}
 * rather than printing a table with holes (a renamed method would otherwise read as "not run").
 */
final class SummaryMarkdown {
  private final List<BenchmarkRun> runs;
  private final StringBuilder out = new StringBuilder();

  SummaryMarkdown(List<BenchmarkRun> runs) {
    this.runs = List.copyOf(runs);
  }

  /** What the document says about the run as a whole. */
  record Header(ZonedDateTime generated, String mode, String note, List<String> failed, List<String> files,
      @Nullable String jdk, @Nullable String machine) {
  }

  /** A benchmark's results lack a contender that the summary compares. */
  static final class MissingResultException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    MissingResultException(String benchmark, String what) {
      super(benchmark + " has results but none for " + what + ": was it renamed? The summary names it through a"
          + " constant on " + benchmark + ".");
    }
  }

  String write(Header header) {
    line("# ForceFlux benchmark results");
    line("");
    String mode = header.mode();
    line("Generated " + header.generated().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))
        + (mode.isEmpty() ? "" : " by `benchmarks/run.sh" + (mode.equals("quick") ? " --quick" : "") + "`")
        + " from " + header.files().stream().map(f -> "`" + f + "`").collect(Collectors.joining(", ")) + ".");
    if (!header.note().isEmpty()) {
      line("");
      line("> **Note:** " + header.note());
    }
    for (String name : header.failed()) {
      line("");
      line("> **FAILED: " + name + "** threw instead of reporting (see the run's log); results below are partial.");
    }
    line("");
    line("Scores are JMH scores with their 99.9% confidence half-width (`±`). Every ratio compares two results of the"
        + " same run; its error adds the two relative errors. `n/a`: JMH reported no error (fewer than 3"
        + " iterations).");
    TokenSections.tokenRead(this);
    TokenSections.expiryStorm(this);
    TokenSections.filterOverhead(this);
    ApiSections.queryStreaming(this);
    TokenSections.fleetTokenRequests(this);
    ApiSections.bulkQuery(this);
    ApiSections.bulkIngest(this);
    ApiSections.writeStrategies(this);
    others();
    settings();
    environment(header.jdk(), header.machine());
    return out.toString();
  }

  /** Benchmarks without a section of their own: one generic table each. */
  private void others() {
    Set<String> known = Set.of(TokenReadBenchmark.class.getSimpleName(), ExpiryStormBenchmark.class.getSimpleName(),
        FilterOverheadBenchmark.class.getSimpleName(), QueryStreamingBenchmark.class.getSimpleName(),
        FleetTokenRequestsBenchmark.class.getSimpleName(), BulkQueryBenchmark.class.getSimpleName(),
        BulkIngestBenchmark.class.getSimpleName(), WriteStrategiesBenchmark.class.getSimpleName());
    Map<String, List<BenchmarkRun>> rest = new TreeMap<>();
    for (BenchmarkRun r : runs) {
      if (!known.contains(r.benchmarkClass())) {
        rest.computeIfAbsent(r.benchmarkClass(), k -> new ArrayList<>()).add(r);
      }
    }
    for (Map.Entry<String, List<BenchmarkRun>> e : rest.entrySet()) {
      heading("`" + e.getKey() + "`");
      line("| Benchmark | Params | Score | Secondary |");
      line("|---|---|---:|---|");
      for (BenchmarkRun r : sorted(e.getValue())) {
        String secondary = r.secondary().entrySet().stream()
            .filter(s -> !s.getKey().startsWith("gc.") || s.getKey().equals("gc.alloc.rate.norm"))
            .map(s -> s.getKey() + " " + s.getValue().format()).collect(Collectors.joining("; "));
        line("| " + r.contender() + " | " + r.params() + " | " + r.primary().format() + " | " + secondary + " |");
      }
    }
  }

  private void settings() {
    heading("JMH settings");
    line("| Benchmark | Mode | Warmup | Measurement | Forks | Threads | JVM arguments |");
    line("|---|---|---|---|---:|---|---|");
    Map<String, List<BenchmarkRun>> byClass = new TreeMap<>();
    runs.forEach(r -> byClass.computeIfAbsent(r.benchmarkClass(), k -> new ArrayList<>()).add(r));
    for (Map.Entry<String, List<BenchmarkRun>> e : byClass.entrySet()) {
      Set<String> rows = new LinkedHashSet<>();
      for (BenchmarkRun r : e.getValue()) {
        String threads = e.getValue().stream().filter(o -> o.sameSettings(r)).map(BenchmarkRun::threads).distinct()
            .sorted().map(String::valueOf).collect(Collectors.joining(", "));
        rows.add("| " + e.getKey() + " | " + r.mode() + " | " + r.warmup() + " | " + r.measurement() + " | "
            + r.forks() + " | " + threads + " | "
            + (r.jvmArgs().isEmpty() ? "(none)" : "`" + String.join(" ", r.jvmArgs()) + "`") + " |");
      }
      rows.forEach(this::line);
    }
    if (!runs.isEmpty()) {
      BenchmarkRun any = runs.get(0);
      line("");
      line("JMH " + any.jmhVersion() + "; " + any.vmName() + " " + any.vmVersion() + ".");
    }
  }

  private void environment(@Nullable String jdk, @Nullable String machine) {
    heading("Environment");
    line("`java -version`:");
    line("");
    line("```");
    line(jdk == null ? "(not recorded: run through benchmarks/run.sh)" : jdk.strip());
    line("```");
    line("");
    line("Machine:");
    line("");
    line("```");
    line(machine == null ? "(not recorded: run through benchmarks/run.sh)" : machine.strip());
    line("```");
  }

  // ---- for the sections ----

  List<BenchmarkRun> of(Class<?> benchmark) {
    return runs.stream().filter(r -> r.benchmarkClass().equals(benchmark.getSimpleName())).toList();
  }

  /** The first run matching {@code test}; fails when there is none, since the section names it. */
  static BenchmarkRun require(List<BenchmarkRun> runs, String what, Predicate<BenchmarkRun> test) {
    BenchmarkRun run = find(runs, test);
    if (run == null) {
      throw new MissingResultException(runs.get(0).benchmarkClass(), what);
    }
    return run;
  }

  /** The run of one contender (method or group name, without the threads suffix); fails when there is none. */
  static BenchmarkRun require(List<BenchmarkRun> runs, String contender) {
    return require(runs, "`" + contender + "`", r -> r.contender().equals(contender));
  }

  static @Nullable BenchmarkRun find(List<BenchmarkRun> runs, Predicate<BenchmarkRun> test) {
    return runs.stream().filter(test).findFirst().orElse(null);
  }

  static List<BenchmarkRun> sorted(List<BenchmarkRun> runs) {
    return runs.stream().sorted(Comparator.comparing(BenchmarkRun::contender)
        .thenComparingInt(BenchmarkRun::threads)).toList();
  }

  /** The values of a parameter, numerically ordered when all are numbers. */
  static Set<String> values(List<BenchmarkRun> runs, String param) {
    Set<String> values = new LinkedHashSet<>();
    boolean numeric = runs.stream().allMatch(r -> r.param(param).matches("\\d+"));
    runs.stream().map(r -> r.params().get(param)).filter(v -> v != null)
        .sorted(numeric ? Comparator.comparingLong(Long::parseLong) : Comparator.naturalOrder())
        .forEach(values::add);
    return values;
  }

  /** A counter per expiry: the mean (sum ÷ expiries) and the range over the measured iterations. */
  static String perExpiry(BenchmarkRun r, String counter, String expiries) {
    double[] per = r.perIteration(counter, expiries);
    if (per.length == 0) {
      return "not measured";
    }
    double sum = r.secondary(counter).map(Estimate::value).orElse(0.0);
    double count = r.secondary(expiries).map(Estimate::value).orElse(0.0);
    double mean = count == 0 ? Double.NaN : sum / count;
    double min = Arrays.stream(per).min().orElse(Double.NaN);
    double max = Arrays.stream(per).max().orElse(Double.NaN);
    return num(mean) + (min == max ? "" : " (" + num(min) + "–" + num(max) + ")");
  }

  static String num(double v) {
    return Estimate.num(v);
  }

  void heading(String title) {
    line("");
    line("## " + title);
    line("");
  }

  void line(String s) {
    out.append(s).append('\n');
  }

  void append(CharSequence s) {
    out.append(s);
  }
}
