package io.forceflux.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes {@code SUMMARY.md} from the JMH JSON files in a results directory: one table per benchmark, each
 * ForceFlux-versus-peer ratio computed from the same run with its error, the JMH settings, the JDK and the machine.
 *
 * <p>Errors are JMH's 99.9% confidence half-widths ({@code scoreError}); a ratio's relative error is the sum of
 * the two relative errors. Usage: {@code Summary <results-dir> [--mode quick|full] [--note TEXT] [--failed NAME]...}.
 * Reads every
 * {@code *.json} in the directory (several files of one benchmark are merged), and {@code jdk.txt} and
 * {@code machine.txt} when present (run.sh writes them).
 */
public final class Summary {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PACKAGE = "io.forceflux.benchmarks.";

  private final List<Run> runs;
  private final StringBuilder out = new StringBuilder();

  private Summary(List<Run> runs) {
    this.runs = runs;
  }

  /**
   * Entry point.
   *
   * @param args the results directory, then optionally {@code --mode quick|full}, {@code --note TEXT} and
   *     {@code --failed NAME} (repeatable: benchmarks that threw)
   * @throws IOException if the directory or a file cannot be read, or SUMMARY.md cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: Summary <results-dir> [--mode quick|full] [--note TEXT] [--failed NAME]...");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    String mode = "";
    String note = "";
    List<String> failed = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--mode") && i + 1 < args.length) {
        mode = args[++i];
      } else if (args[i].equals("--note") && i + 1 < args.length) {
        note = args[++i];
      } else if (args[i].equals("--failed") && i + 1 < args.length) {
        failed.add(args[++i]);
      } else {
        System.err.println("unknown argument: " + args[i]);
        System.exit(2);
      }
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> json = Files.newDirectoryStream(dir, "*.json")) {
      json.forEach(files::add);
    }
    files.sort(null);
    List<Run> runs = new ArrayList<>();
    for (Path file : files) {
      runs.addAll(read(file));
    }
    Summary summary = new Summary(runs);
    summary.write(mode, note, failed, text(dir.resolve("jdk.txt")), text(dir.resolve("machine.txt")),
        files.stream().map(f -> f.getFileName().toString()).toList());
    Path target = dir.resolve("SUMMARY.md");
    Files.writeString(target, summary.out.toString(), StandardCharsets.UTF_8);
    System.out.println("wrote " + target + " from " + runs.size() + " results in " + files.size() + " files");
  }

  // ---- the document ----

  private void write(String mode, String note, List<String> failed, @Nullable String jdk, @Nullable String machine,
      List<String> files) {
    line("# ForceFlux benchmark results");
    line("");
    line("Generated " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))
        + (mode.isEmpty() ? "" : " by `benchmarks/run.sh" + (mode.equals("quick") ? " --quick" : "") + "`")
        + " from " + String.join(", ", files.stream().map(f -> "`" + f + "`").toList()) + ".");
    if (!note.isEmpty()) {
      line("");
      line("> **Note:** " + note);
    }
    for (String name : failed) {
      line("");
      line("> **FAILED: " + name + "** threw instead of reporting (see the run's log); results below are partial.");
    }
    line("");
    line("Scores are JMH scores with their 99.9% confidence half-width (`±`). Every ratio compares two results of the"
        + " same run; its error adds the two relative errors. `n/a`: JMH reported no error (fewer than 3"
        + " iterations).");
    tokenRead();
    expiryStorm();
    filterOverhead();
    queryStreaming();
    fleetTokenRequests();
    others();
    settings();
    environment(jdk, machine);
  }

  private void tokenRead() {
    List<Run> all = of("TokenReadBenchmark");
    if (all.isEmpty()) {
      return;
    }
    heading("Token read, cache hit (`TokenReadBenchmark`)");
    line("Each read subscribes a reusable subscriber that requests the token and consumes it into a Blackhole (how"
        + " the filter consumes it). Throughput is for all threads together; allocation is `gc.alloc.rate.norm`"
        + " (`-prof gc`), per read.");
    line("");
    line("| Contender | Threads | Reads/s | ns per read per thread | Allocated B/read |");
    line("|---|---:|---:|---:|---:|");
    for (Run r : sorted(all)) {
      Estimate ops = r.primary;
      double nanos = r.threads * 1e9 / ops.value;
      line("| " + contender(r) + " | " + r.threads + " | " + ops.format() + " | " + num(nanos) + " | "
          + r.secondary("gc.alloc.rate.norm").map(Estimate::format).orElse("not measured") + " |");
    }
    line("");
    line("Ratios of throughput, `cachingTokenSource` ÷ peer (above 1: ForceFlux reads faster):");
    line("");
    line("| Threads | ÷ `volatileFloor` | ÷ `monoCache` | ÷ `springSecurity` |");
    line("|---:|---:|---:|---:|");
    Set<Integer> threads = all.stream().map(r -> r.threads).collect(Collectors.toCollection(TreeSet::new));
    StringBuilder verdicts = new StringBuilder();
    for (int t : threads) {
      Run ff = find(all, r -> contender(r).equals("cachingTokenSource") && r.threads == t);
      if (ff == null) {
        continue;
      }
      StringBuilder row = new StringBuilder("| " + t + " |");
      for (String peer : List.of("volatileFloor", "monoCache", "springSecurity")) {
        Run p = find(all, r -> contender(r).equals(peer) && r.threads == t);
        row.append(' ').append(p == null ? "not run" : ff.primary.over(p.primary).format()).append(" |");
      }
      line(row.toString());
      Run floor = find(all, r -> contender(r).equals("volatileFloor") && r.threads == t);
      if (floor != null) {
        Estimate ratio = ff.primary.over(floor.primary);
        String alloc = ff.secondary("gc.alloc.rate.norm").map(a -> num(a.value) + " B").orElse("not measured");
        verdicts.append("- ").append(t).append(t == 1 ? " thread" : " threads").append(": ForceFlux reads at ")
            .append(ratio.format()).append("× the floor's rate (").append(num(1 / ratio.value))
            .append("× slower), allocating ").append(alloc).append(" per read: ")
            .append(ratio.atLeast(0.5)).append(" on speed, ")
            .append(ff.secondary("gc.alloc.rate.norm").map(a -> a.value < 0.5 ? "met" : "not met")
                .orElse("unknown")).append(" on allocation.\n");
      }
    }
    line("");
    line("Target: within 2× of the `volatile` floor (ratio ≥ 0.5) and 0 bytes allocated per hit.");
    line("");
    out.append(verdicts);
  }

  private void expiryStorm() {
    List<Run> all = of("ExpiryStormBenchmark");
    if (all.isEmpty()) {
      return;
    }
    heading("Expiry storm (`ExpiryStormBenchmark`)");
    line("One wave: every session expires and N `GET /limits` are in flight (`in-flight`: sent, each holding its"
        + " token, then the sessions die; `before-wave`: the sessions die, then the N are sent). Time: until all N"
        + " complete. Token requests, failed requests, 401s and refused concurrent refreshes are per expiry (one"
        + " wave), mean over the measured waves with the range across waves.");
    Set<String> expiries = values(all, "expiry");
    for (String expiry : expiries) {
      List<Run> mode = all.stream().filter(r -> expiry.equals(r.params.get("expiry"))).toList();
      line("");
      line("**Expiry `" + expiry + "`**");
      line("");
      line("| In flight | Client | Wave time | Token requests / expiry | Failed requests / expiry | 401s / expiry"
          + " | Refused concurrent refreshes / expiry |");
      line("|---:|---|---:|---:|---:|---:|---:|");
      for (Run r : sortedBy(mode, "inFlight", "client")) {
        line("| " + r.params.get("inFlight") + " | " + r.params.get("client") + " | " + r.primary.format() + " | "
            + perExpiry(r, "tokenRequests") + " | " + perExpiry(r, "failedRequests") + " | "
            + perExpiry(r, "unauthorized401") + " | " + perExpiry(r, "concurrentRefreshRejected") + " |");
      }
      List<String> peers = new ArrayList<>(values(mode, "client"));
      peers.remove("forceflux");
      if (peers.isEmpty()) {
        continue;
      }
      line("");
      line("Speed ratio, peer wave time ÷ ForceFlux wave time (above 1: ForceFlux finishes sooner). A client that"
          + " gives up on requests finishes its wave sooner: read the ratio together with the failures above.");
      line("");
      line("| In flight | " + peers.stream().map(p -> "vs " + p).collect(Collectors.joining(" | ")) + " |");
      line("|---:|" + "---:|".repeat(peers.size()));
      for (String n : values(mode, "inFlight")) {
        Run ff = find(mode, r -> n.equals(r.params.get("inFlight")) && "forceflux".equals(r.params.get("client")));
        if (ff == null) {
          continue;
        }
        StringBuilder row = new StringBuilder("| " + n + " |");
        for (String peer : peers) {
          Run p = find(mode, r -> n.equals(r.params.get("inFlight")) && peer.equals(r.params.get("client")));
          row.append(' ').append(p == null ? "not run" : p.primary.over(ff.primary).format()).append(" |");
        }
        line(row.toString());
      }
    }
    line("");
    StringBuilder verdict = new StringBuilder();
    boolean allOne = true;
    for (Run r : all) {
      if (!"forceflux".equals(r.params.get("client"))) {
        continue;
      }
      double[] range = perIteration(r, "tokenRequests");
      boolean one = range.length > 0 && Arrays.stream(range).allMatch(v -> v == 1.0);
      allOne &= one;
      verdict.append(" ").append(r.params.get("expiry")).append("/").append(r.params.get("inFlight")).append(": ")
          .append(one ? "1" : Arrays.toString(range)).append(';');
    }
    line("Target: exactly 1 token request per expiry for ForceFlux at any concurrency: **"
        + (allOne ? "met" : "not met") + "** (per wave:" + verdict + " every ForceFlux request succeeded, or the"
        + " run would have failed).");
  }

  private void filterOverhead() {
    List<Run> all = of("FilterOverheadBenchmark");
    if (all.isEmpty()) {
      return;
    }
    heading("Filter overhead (`FilterOverheadBenchmark`)");
    line("256 requests in flight against the loopback fake org: WebClient + `SessionRecoveryFilter` (token cached)"
        + " versus the same WebClient with a fixed `Authorization` header and no filter.");
    line("");
    line("| Client | Requests/s |");
    line("|---|---:|");
    for (Run r : sorted(all)) {
      line("| " + contender(r) + " | " + r.primary.format() + " |");
    }
    Run filter = find(all, r -> contender(r).equals("sessionRecoveryFilter"));
    Run raw = find(all, r -> contender(r).equals("fixedHeader"));
    if (filter != null && raw != null) {
      Estimate ratio = filter.primary.over(raw.primary);
      line("");
      line("Ratio filter ÷ raw: **" + ratio.format() + "**. Target ≥ 0.95: " + ratio.atLeast(0.95) + ".");
    }
  }

  private void queryStreaming() {
    List<Run> all = of("QueryStreamingBenchmark");
    if (all.isEmpty()) {
      return;
    }
    heading("Query streaming, 200,000 records (`QueryStreamingBenchmark`)");
    line("`SalesforceClient.query(\"SELECT Id, Name FROM Account\")` versus a plain WebClient fetching the same pages"
        + " (fixed bearer token, `bodyToMono(JsonNode.class)` per page, then each `nextRecordsUrl`). Memory:"
        + " `gc.alloc.rate.norm` (bytes allocated per record, `-prof gc`) and the peak retained heap (largest heap"
        + " used right after a collection during a stream, mean over streams; 1 GiB heap, 64 MiB young"
        + " generation). Both include the fake org, which runs in the same JVM.");
    line("");
    line("| Client | Records/s | Allocated B/record | Peak retained heap per stream | Collections per stream |");
    line("|---|---:|---:|---:|---:|");
    for (Run r : sorted(all)) {
      double streams = r.secondary("streams").map(e -> e.value).orElse(0.0);
      String peak = streams == 0 ? "not measured" : r.secondary("peakRetainedHeapBytes")
          .map(e -> num(e.value / streams / (1024 * 1024)) + " MiB").orElse("not measured");
      String gcs = streams == 0 ? "" : r.secondary("collections").map(e -> num(e.value / streams)).orElse("");
      line("| " + contender(r) + " | " + r.primary.format() + " | "
          + r.secondary("gc.alloc.rate.norm").map(Estimate::format).orElse("not measured") + " | " + peak + " | "
          + gcs + " |");
    }
    Run client = find(all, r -> contender(r).equals("salesforceClient"));
    Run plain = find(all, r -> contender(r).equals("plainWebClient"));
    if (client != null && plain != null) {
      line("");
      line("Ratio `SalesforceClient` ÷ plain WebClient: records/s **" + client.primary.over(plain.primary).format()
          + "**" + client.secondary("gc.alloc.rate.norm").flatMap(a -> plain.secondary("gc.alloc.rate.norm")
              .map(b -> "; bytes allocated per record " + a.over(b).format())).orElse("") + ".");
    }
  }

  private void fleetTokenRequests() {
    List<Run> all = of("FleetTokenRequestsBenchmark");
    if (all.isEmpty()) {
      return;
    }
    heading("Fleet token requests per expiry (`FleetTokenRequestsBenchmark`)");
    line("N replicas share one credential, each with its own `CachingTokenSource`, WebClient, `SessionRecoveryFilter`"
        + " and connection pool. One expiry: every session expires, then 200 `GET /limits` per replica at once;"
        + " expiry time is until all complete. Store `none`: each replica refreshes on its own (the org refuses a"
        + " concurrent refresh with the same refresh token; the refused ones are retried). `redis`: a real"
        + " `redis-server`, each replica with its own `RedisTokenStore` connections, as separate processes would"
        + " have. `in-memory`: one `TokenStore.inMemory()`. Counts are per expiry, mean over the measured expiries"
        + " with the range across them.");
    line("");
    line("| Replicas | Store | Expiry time | Token requests / expiry | Tokens issued / expiry"
        + " | Refused concurrent refreshes / expiry |");
    line("|---:|---|---:|---:|---:|---:|");
    List<String> stores = List.of("none", "in-memory", "redis");
    List<Run> ordered = all.stream().sorted((a, b) -> {
      int c = Long.compare(Long.parseLong(a.params.getOrDefault("replicas", "0")),
          Long.parseLong(b.params.getOrDefault("replicas", "0")));
      if (c != 0) {
        return c;
      }
      int ia = stores.indexOf(a.params.getOrDefault("store", ""));
      int ib = stores.indexOf(b.params.getOrDefault("store", ""));
      return ia != ib ? Integer.compare(ia < 0 ? stores.size() : ia, ib < 0 ? stores.size() : ib)
          : a.params.getOrDefault("store", "").compareTo(b.params.getOrDefault("store", ""));
    }).toList();
    for (Run r : ordered) {
      line("| " + r.params.get("replicas") + " | " + r.params.get("store") + " | " + r.primary.format() + " | "
          + perExpiry(r, "tokenRequests") + " | " + perExpiry(r, "tokensIssued") + " | "
          + perExpiry(r, "concurrentRefreshRejected") + " |");
    }
    line("");
    List<Run> redis = ordered.stream().filter(r -> "redis".equals(r.params.get("store"))).toList();
    if (redis.isEmpty()) {
      line("Target: exactly 1 token request per expiry with the shared Redis store at every fleet size: **not"
          + " measured** (no `store=redis` results).");
    } else {
      StringBuilder verdict = new StringBuilder();
      boolean allOne = true;
      for (Run r : redis) {
        double[] per = perIteration(r, "tokenRequests");
        boolean one = per.length > 0 && Arrays.stream(per).allMatch(v -> v == 1.0);
        allOne &= one;
        verdict.append(" ").append(r.params.get("replicas")).append(": ")
            .append(one ? "1" : per.length == 0 ? "not measured" : Arrays.toString(per)).append(';');
      }
      line("Target: exactly 1 token request per expiry with the shared Redis store at every fleet size: **"
          + (allOne ? "met" : "not met") + "** (per expiry, by replicas:" + verdict + " every request succeeded,"
          + " or the run would have failed).");
    }
    List<Run> none = ordered.stream().filter(r -> "none".equals(r.params.get("store"))).toList();
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    StringBuilder each = new StringBuilder();
    for (Run r : none) {
      double[] per = perIteration(r, "tokenRequests");
      if (per.length == 0) {
        continue;
      }
      double lo = Arrays.stream(per).min().orElse(Double.NaN);
      double hi = Arrays.stream(per).max().orElse(Double.NaN);
      min = Math.min(min, lo);
      max = Math.max(max, hi);
      each.append(each.length() == 0 ? "" : ", ").append(r.params.get("replicas")).append(" replica")
          .append("1".equals(r.params.get("replicas")) ? "" : "s").append(": ")
          .append(lo == hi ? num(lo) : num(lo) + "–" + num(hi));
    }
    if (each.length() > 0) {
      line("");
      line("Without a shared store (`none`), " + (min == max ? num(min) : "from " + num(min) + " to " + num(max))
          + " token requests per expiry (" + each + ").");
    }
  }

  private void others() {
    Set<String> known = Set.of("TokenReadBenchmark", "ExpiryStormBenchmark", "FilterOverheadBenchmark",
        "QueryStreamingBenchmark", "FleetTokenRequestsBenchmark");
    Map<String, List<Run>> rest = new TreeMap<>();
    for (Run r : runs) {
      if (!known.contains(r.benchmarkClass)) {
        rest.computeIfAbsent(r.benchmarkClass, k -> new ArrayList<>()).add(r);
      }
    }
    for (Map.Entry<String, List<Run>> e : rest.entrySet()) {
      heading("`" + e.getKey() + "`");
      line("| Benchmark | Params | Score | Secondary |");
      line("|---|---|---:|---|");
      for (Run r : sorted(e.getValue())) {
        String secondary = r.secondary.entrySet().stream()
            .filter(s -> !s.getKey().startsWith("gc.") || s.getKey().equals("gc.alloc.rate.norm"))
            .map(s -> s.getKey() + " " + s.getValue().format()).collect(Collectors.joining("; "));
        line("| " + contender(r) + " | " + r.params + " | " + r.primary.format() + " | " + secondary + " |");
      }
    }
  }

  private void settings() {
    heading("JMH settings");
    line("| Benchmark | Mode | Warmup | Measurement | Forks | Threads | JVM arguments |");
    line("|---|---|---|---|---:|---|---|");
    Map<String, List<Run>> byClass = new TreeMap<>();
    runs.forEach(r -> byClass.computeIfAbsent(r.benchmarkClass, k -> new ArrayList<>()).add(r));
    for (Map.Entry<String, List<Run>> e : byClass.entrySet()) {
      Set<String> rows = new LinkedHashSet<>();
      for (Run r : e.getValue()) {
        String threads = e.getValue().stream().filter(o -> o.sameSettings(r)).map(o -> o.threads).distinct().sorted()
            .map(String::valueOf).collect(Collectors.joining(", "));
        rows.add("| " + e.getKey() + " | " + r.mode + " | " + r.warmup() + " | " + r.measurement() + " | " + r.forks
            + " | " + threads + " | " + (r.jvmArgs.isEmpty() ? "(none)" : "`" + String.join(" ", r.jvmArgs) + "`")
            + " |");
      }
      rows.forEach(this::line);
    }
    Run any = runs.isEmpty() ? null : runs.get(0);
    if (any != null) {
      line("");
      line("JMH " + any.jmhVersion + "; " + any.vmName + " " + any.vmVersion + ".");
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

  // ---- helpers ----

  private List<Run> of(String benchmarkClass) {
    return runs.stream().filter(r -> r.benchmarkClass.equals(benchmarkClass)).toList();
  }

  private static List<Run> sorted(List<Run> list) {
    return list.stream().sorted((a, b) -> {
      int c = contender(a).compareTo(contender(b));
      return c != 0 ? c : Integer.compare(a.threads, b.threads);
    }).toList();
  }

  private static List<Run> sortedBy(List<Run> list, String numericParam, String param) {
    return list.stream().sorted((a, b) -> {
      int c = Long.compare(Long.parseLong(a.params.getOrDefault(numericParam, "0")),
          Long.parseLong(b.params.getOrDefault(numericParam, "0")));
      if (c != 0) {
        return c;
      }
      String pa = a.params.getOrDefault(param, "");
      String pb = b.params.getOrDefault(param, "");
      return pa.equals("forceflux") ? (pb.equals("forceflux") ? 0 : -1) : pb.equals("forceflux") ? 1 : pa.compareTo(pb);
    }).toList();
  }

  private static Set<String> values(List<Run> list, String param) {
    Set<String> values = new LinkedHashSet<>();
    boolean numeric = list.stream().allMatch(r -> r.params.getOrDefault(param, "").matches("\\d+"));
    list.stream().map(r -> r.params.get(param)).filter(v -> v != null)
        .sorted(numeric ? (a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)) : String::compareTo)
        .forEach(values::add);
    return values;
  }

  private static @Nullable Run find(List<Run> list, Predicate<Run> test) {
    return list.stream().filter(test).findFirst().orElse(null);
  }

  /** The method or group name, without a {@code _2threads}-style suffix. */
  private static String contender(Run r) {
    int underscore = r.method.indexOf('_');
    return underscore < 0 ? r.method : r.method.substring(0, underscore);
  }

  /** Mean per expiry (sum ÷ expiries) and the range over waves. */
  private static String perExpiry(Run r, String counter) {
    double[] per = perIteration(r, counter);
    if (per.length == 0) {
      return "not measured";
    }
    double sum = r.secondary(counter).map(e -> e.value).orElse(0.0);
    double expiries = r.secondary("expiries").map(e -> e.value).orElse(0.0);
    double mean = expiries == 0 ? Double.NaN : sum / expiries;
    double min = Arrays.stream(per).min().orElse(Double.NaN);
    double max = Arrays.stream(per).max().orElse(Double.NaN);
    return num(mean) + (min == max ? "" : " (" + num(min) + "–" + num(max) + ")");
  }

  /** A counter divided by {@code expiries}, per measured iteration. */
  private static double[] perIteration(Run r, String counter) {
    List<Double> values = r.secondaryRaw.getOrDefault(counter, List.of());
    List<Double> expiries = r.secondaryRaw.getOrDefault("expiries", List.of());
    if (values.isEmpty() || values.size() != expiries.size()) {
      return new double[0];
    }
    double[] per = new double[values.size()];
    for (int i = 0; i < per.length; i++) {
      per[i] = expiries.get(i) == 0 ? Double.NaN : values.get(i) / expiries.get(i);
    }
    return per;
  }

  private void heading(String title) {
    line("");
    line("## " + title);
    line("");
  }

  private void line(String s) {
    out.append(s).append('\n');
  }

  /** Three significant digits, thousands separated; 0 for values below 1e-3 of a unit. */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a < 1e-3) {
      return "0";
    }
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    int decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static @Nullable String text(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
  }

  // ---- reading JMH JSON ----

  private static List<Run> read(Path file) throws IOException {
    JsonNode root;
    try (InputStream in = Files.newInputStream(file)) {
      root = JSON.readTree(in);
    }
    List<Run> list = new ArrayList<>();
    if (root == null || !root.isArray()) {
      System.err.println("skipping " + file + ": not a JMH JSON result array");
      return list;
    }
    for (JsonNode n : root) {
      String benchmark = n.path("benchmark").asString();
      String simple = benchmark.startsWith(PACKAGE) ? benchmark.substring(PACKAGE.length()) : benchmark;
      int dot = simple.lastIndexOf('.');
      Map<String, String> params = new TreeMap<>();
      n.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asString()));
      Map<String, Estimate> secondary = new LinkedHashMap<>();
      Map<String, List<Double>> secondaryRaw = new LinkedHashMap<>();
      n.path("secondaryMetrics").properties().forEach(e -> {
        secondary.put(e.getKey(), Estimate.of(e.getValue()));
        secondaryRaw.put(e.getKey(), flatten(e.getValue().path("rawData")));
      });
      List<String> jvmArgs = new ArrayList<>();
      n.path("jvmArgs").forEach(a -> jvmArgs.add(a.asString()));
      list.add(new Run(simple.substring(0, Math.max(dot, 0)), simple.substring(dot + 1), n.path("mode").asString(),
          n.path("threads").asInt(1), n.path("forks").asInt(), n.path("warmupIterations").asInt(),
          n.path("warmupTime").asString(), n.path("warmupBatchSize").asInt(1), n.path("measurementIterations").asInt(),
          n.path("measurementTime").asString(), n.path("measurementBatchSize").asInt(1), jvmArgs, params,
          Estimate.of(n.path("primaryMetric")), secondary, secondaryRaw, n.path("jmhVersion").asString(),
          n.path("vmName").asString(), n.path("vmVersion").asString()));
    }
    return list;
  }

  private static List<Double> flatten(JsonNode raw) {
    List<Double> values = new ArrayList<>();
    raw.forEach(fork -> fork.forEach(v -> values.add(number(v))));
    return values;
  }

  private static double number(JsonNode node) {
    if (node.isNumber()) {
      return node.asDouble();
    }
    try {
      return Double.parseDouble(node.asString());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** One benchmark result (a method or group with one set of parameters). */
  private record Run(String benchmarkClass, String method, String mode, int threads, int forks, int warmupIterations,
      String warmupTime, int warmupBatch, int measurementIterations, String measurementTime, int measurementBatch,
      List<String> jvmArgs, Map<String, String> params, Estimate primary, Map<String, Estimate> secondary,
      Map<String, List<Double>> secondaryRaw, String jmhVersion, String vmName, String vmVersion) {

    Optional<Estimate> secondary(String name) {
      return Optional.ofNullable(secondary.get(name));
    }

    String warmup() {
      return iterations(warmupIterations, warmupTime, warmupBatch);
    }

    String measurement() {
      return iterations(measurementIterations, measurementTime, measurementBatch);
    }

    boolean sameSettings(Run o) {
      return mode.equals(o.mode) && warmup().equals(o.warmup()) && measurement().equals(o.measurement())
          && forks == o.forks && jvmArgs.equals(o.jvmArgs);
    }

    private String iterations(int n, String time, int batch) {
      if (n == 0) {
        return "none";
      }
      return mode.equals("ss") ? n + " × " + batch + " invocation" + (batch == 1 ? "" : "s")
          : n + " × " + time;
    }
  }

  /** A score with its error and unit. */
  private record Estimate(double value, double error, String unit) {
    static Estimate of(JsonNode metric) {
      return new Estimate(number(metric.path("score")), number(metric.path("scoreError")),
          metric.path("scoreUnit").asString());
    }

    /** This ÷ that; relative errors add. */
    Estimate over(Estimate that) {
      double ratio = value / that.value;
      double relative = Math.abs(error / value) + Math.abs(that.error / that.value);
      return new Estimate(ratio, Math.abs(ratio) * relative, "");
    }

    /** Whether this is at least {@code target}, given its error. */
    String atLeast(double target) {
      if (Double.isNaN(error)) {
        return value >= target ? "met (no error estimate)" : "not met (no error estimate)";
      }
      if (value - error >= target) {
        return "**met**";
      }
      if (value + error < target) {
        return "**not met**";
      }
      return "inconclusive at this precision (the interval spans " + num(target) + ")";
    }

    String format() {
      String unit = this.unit.isEmpty() ? "" : " " + this.unit;
      return num(value) + " ± " + num(error) + unit;
    }
  }
}
