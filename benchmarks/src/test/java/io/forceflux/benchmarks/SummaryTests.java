package io.forceflux.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.Param;

/**
 * The summary over a trimmed real JMH result ({@code jmh-result.json}: the quick run behind
 * {@code benchmarks/results/}, fewer parameter combinations and no raw percentiles): the figures the README quotes,
 * and a failure instead of a hole when a contender the summary compares has no result.
 */
class SummaryTests {

  private static List<BenchmarkRun> results() throws IOException {
    try (InputStream in = Objects.requireNonNull(SummaryTests.class.getResourceAsStream("/jmh-result.json"))) {
      return JmhResults.read(in, "jmh-result.json");
    }
  }

  private static String markdown(List<BenchmarkRun> runs) {
    return new SummaryMarkdown(runs).write(new SummaryMarkdown.Header(
        ZonedDateTime.of(2026, 11, 23, 19, 19, 0, 0, ZoneOffset.UTC), "quick", "a note", List.of(),
        List.of("jmh-result.json"), "openjdk 17.0.15", "cores (nproc): 2"));
  }

  @Test
  void readsEveryResultOfTheFile() throws IOException {
    List<BenchmarkRun> runs = results();

    assertThat(runs).hasSize(31);
    BenchmarkRun twoThreads = runs.stream().filter(r -> r.method().equals("cachingTokenSource_2threads")).findFirst()
        .orElseThrow();
    assertThat(twoThreads.benchmarkClass()).isEqualTo("TokenReadBenchmark");
    assertThat(twoThreads.contender()).isEqualTo(TokenReadBenchmark.CACHING_TOKEN_SOURCE);
    assertThat(twoThreads.threads()).isEqualTo(2);
    assertThat(twoThreads.primary().unit()).isEqualTo("ops/s");
    BenchmarkRun write = runs.stream().filter(r -> r.benchmarkClass().equals("WriteStrategiesBenchmark"))
        .findFirst().orElseThrow();
    assertThat(write.primary().error()).isNaN(); // JMH writes "NaN" as a string
  }

  @Test
  void ratiosAddTheRelativeErrors() {
    Estimate ratio = new Estimate(200, 20, "ops/s").over(new Estimate(100, 5, "ops/s"));

    assertThat(ratio.value()).isEqualTo(2.0);
    assertThat(ratio.error()).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-12)); // 2 × (10% + 5%)
    assertThat(ratio.atLeast(1.5)).isEqualTo("**met**");
    assertThat(ratio.atLeast(2.5)).isEqualTo("**not met**");
    assertThat(ratio.atLeast(2.1)).startsWith("inconclusive");
    assertThat(Estimate.num(1_234_567.8)).isEqualTo("1,234,568");
    assertThat(Estimate.num(0.18912)).isEqualTo("0.189");
  }

  @Test
  void writesTheTokenFiguresTheReadmeQuotes() throws IOException {
    String md = markdown(results());

    assertThat(md).contains("Generated 2026-11-23 19:19 UTC by `benchmarks/run.sh --quick` from `jmh-result.json`.")
        .contains("> **Note:** a note")
        .contains("| cachingTokenSource | 1 | 501,772,846 ± 13,121,025 ops/s | 1.99 | 0 ± 0 B/op |")
        .contains("| Threads | ÷ `volatileFloor` | ÷ `monoCache` | ÷ `springSecurity` |")
        .contains("| 1 | 0.189 ± 0.011 | 10.1 ± 0.553 | 515 ± 55.4 |")
        .contains("| 2 | 0.191 ± 0.034 | 35.7 ± 47.9 | 607 ± 70.0 |")
        .contains("- 1 thread: ForceFlux reads at 0.189 ± 0.011× the floor's rate (5.29× slower), allocating 0 B"
            + " per read: **not met** on speed, met on allocation.")
        .contains("| 1000 | forceflux | 530 ± 3,459 ms/op | 1.00 | 0 | 1,000 | 0 |")
        .contains("| 1000 | 1.79 ± 16.5 |")
        .contains("Target: exactly 1 token request per expiry for ForceFlux at any concurrency: **met**")
        .contains("Ratio filter ÷ raw: **1.03 ± 0.053**. Target ≥ 0.95: **met**.")
        .contains("| 2 | redis | 285 ± 676 ms/op | 1.00 | 1.00 | 0 |")
        .contains("Target: exactly 1 token request per expiry with the shared Redis store at every fleet size:"
            + " **met** (per expiry, by replicas: 1: 1; 2: 1;");
  }

  @Test
  void writesTheQueryBulkAndWriteFigures() throws IOException {
    String md = markdown(results());

    assertThat(md).contains("| plainWebClient | 1,059,874 ± 72,251 ops/s | 1,994 ± 0.525 B/op | 14.3 MiB | 5.00 |")
        .contains("Ratio `SalesforceClient` ÷ plain WebClient: records/s **1.11 ± 0.331**; bytes allocated per record 1.11")
        .contains("## Bulk query, 1,000,000 records in a 64 MiB heap (`BulkQueryBenchmark`)")
        .contains("Ratio bulk ÷ REST: records/s **4.66 ± 29.7**.")
        .contains("## Bulk ingest, 1,000,000 records (`BulkIngestBenchmark`)")
        .contains("| 1 | 56,754 | 10.0 | 955 MiB |")
        .contains("| 2 | 49,603 | 10.0 | 966 MiB |")
        .contains("Mean **52,938 ± n/a records/s**")
        .contains("| Way | API calls (create) | Wall time (create) | API calls (update) | Wall time (update) |")
        .contains("| per-record | 10,000 | 132,090 ± n/a ms/op | 10,000 | 89,402 ± n/a ms/op |")
        .contains("| composite-collections | 10.0 | 19,526 ± n/a ms/op | 10.0 | 6,259 ± n/a ms/op |")
        .contains("API calls, create, one request per record ÷ each way (above 1: fewer calls): collections 200×,"
            + " composite 25.0×, composite-collections 1,000×.")
        .doesNotContain("not run |")
        .doesNotContain("## `"); // every benchmark in the file has a section of its own
    assertThat(md.indexOf("## Query streaming")).isLessThan(md.indexOf("## Fleet token requests"))
        .isLessThan(md.indexOf("## Bulk query"));
  }

  @Test
  void failsWhenAComparedContenderHasNoResult() throws IOException {
    List<BenchmarkRun> renamed = results().stream()
        .map(r -> r.method().equals(FilterOverheadBenchmark.FIXED_HEADER) ? rename(r, "plainHeader") : r).toList();

    assertThatThrownBy(() -> markdown(renamed)).isInstanceOf(SummaryMarkdown.MissingResultException.class)
        .hasMessageContaining("FilterOverheadBenchmark").hasMessageContaining("`fixedHeader`");
  }

  @Test
  void failsWhenOneThreadCountOfAContenderIsMissing() throws IOException {
    List<BenchmarkRun> missing = results().stream()
        .filter(r -> !r.method().equals(TokenReadBenchmark.MONO_CACHE + TokenReadBenchmark.TWO_THREADS)).toList();

    assertThatThrownBy(() -> markdown(missing)).isInstanceOf(SummaryMarkdown.MissingResultException.class)
        .hasMessageContaining("`monoCache` with 2 threads");
  }

  @Test
  void leavesOutTheSectionsOfBenchmarksThatDidNotRun() throws IOException {
    List<BenchmarkRun> tokenOnly = results().stream()
        .filter(r -> r.benchmarkClass().equals("TokenReadBenchmark")).toList();

    String md = markdown(tokenOnly);

    assertThat(md).contains("## Token read").doesNotContain("## Filter overhead").doesNotContain("## Bulk");
  }

  @Test
  void everyNameTheSummaryReadsExistsOnItsBenchmark() {
    assertThat(benchmarks(TokenReadBenchmark.class)).contains(TokenReadBenchmark.CACHING_TOKEN_SOURCE,
        TokenReadBenchmark.MONO_CACHE, TokenReadBenchmark.SPRING_SECURITY, TokenReadBenchmark.VOLATILE_FLOOR,
        TokenReadBenchmark.CACHING_TOKEN_SOURCE + TokenReadBenchmark.TWO_THREADS);
    assertThat(params(ExpiryStormBenchmark.class, ExpiryStormBenchmark.CLIENT_PARAM))
        .contains(ExpiryStormBenchmark.FORCEFLUX);
    assertThat(params(ExpiryStormBenchmark.class, ExpiryStormBenchmark.EXPIRY_PARAM)).isNotEmpty();
    assertThat(params(ExpiryStormBenchmark.class, ExpiryStormBenchmark.IN_FLIGHT_PARAM)).isNotEmpty();
    assertThat(counters(ExpiryStormBenchmark.StormCounters.class)).contains(
        ExpiryStormBenchmark.StormCounters.EXPIRIES, ExpiryStormBenchmark.StormCounters.TOKEN_REQUESTS,
        ExpiryStormBenchmark.StormCounters.FAILED_REQUESTS, ExpiryStormBenchmark.StormCounters.UNAUTHORIZED_401,
        ExpiryStormBenchmark.StormCounters.CONCURRENT_REFRESH_REJECTED);
    assertThat(benchmarks(FilterOverheadBenchmark.class)).contains(FilterOverheadBenchmark.SESSION_RECOVERY_FILTER,
        FilterOverheadBenchmark.FIXED_HEADER);
    assertThat(params(FleetTokenRequestsBenchmark.class, FleetTokenRequestsBenchmark.STORE_PARAM)).contains(
        FleetTokenRequestsBenchmark.NO_STORE, FleetTokenRequestsBenchmark.IN_MEMORY_STORE,
        FleetTokenRequestsBenchmark.REDIS_STORE);
    assertThat(params(FleetTokenRequestsBenchmark.class, FleetTokenRequestsBenchmark.REPLICAS_PARAM)).isNotEmpty();
    assertThat(counters(FleetTokenRequestsBenchmark.FleetCounters.class)).contains(
        FleetTokenRequestsBenchmark.FleetCounters.EXPIRIES, FleetTokenRequestsBenchmark.FleetCounters.TOKEN_REQUESTS,
        FleetTokenRequestsBenchmark.FleetCounters.TOKENS_ISSUED,
        FleetTokenRequestsBenchmark.FleetCounters.CONCURRENT_REFRESH_REJECTED);
    assertThat(benchmarks(QueryStreamingBenchmark.class)).contains(QueryStreamingBenchmark.SALESFORCE_CLIENT,
        QueryStreamingBenchmark.PLAIN_WEB_CLIENT);
    assertThat(counters(QueryStreamingBenchmark.Heap.class)).contains(QueryStreamingBenchmark.Heap.STREAMS,
        QueryStreamingBenchmark.Heap.COLLECTIONS, QueryStreamingBenchmark.Heap.PEAK_RETAINED_HEAP_BYTES);
    assertThat(benchmarks(BulkQueryBenchmark.class)).contains(BulkQueryBenchmark.BULK_QUERY,
        BulkQueryBenchmark.REST_QUERY);
    assertThat(benchmarks(BulkIngestBenchmark.class)).contains(BulkIngestBenchmark.BULK_INGEST);
    assertThat(counters(BulkIngestBenchmark.Jobs.class)).contains(BulkIngestBenchmark.Jobs.JOBS);
    assertThat(benchmarks(WriteStrategiesBenchmark.class)).contains(WriteStrategiesBenchmark.WRITE);
    assertThat(params(WriteStrategiesBenchmark.class, WriteStrategiesBenchmark.STRATEGY_PARAM)).contains(
        WriteStrategiesBenchmark.PER_RECORD, WriteStrategiesBenchmark.COLLECTIONS,
        WriteStrategiesBenchmark.COMPOSITE, WriteStrategiesBenchmark.COMPOSITE_COLLECTIONS);
    assertThat(params(WriteStrategiesBenchmark.class, WriteStrategiesBenchmark.OPERATION_PARAM)).isNotEmpty();
    assertThat(counters(WriteStrategiesBenchmark.Calls.class)).contains(WriteStrategiesBenchmark.Calls.API_CALLS,
        WriteStrategiesBenchmark.Calls.WRITTEN);
  }

  private static BenchmarkRun rename(BenchmarkRun r, String method) {
    return new BenchmarkRun(r.benchmarkClass(), method, r.mode(), r.threads(), r.forks(), r.warmupIterations(),
        r.warmupTime(), r.warmupBatch(), r.measurementIterations(), r.measurementTime(), r.measurementBatch(),
        r.jvmArgs(), r.params(), r.primary(), r.primaryRaw(), r.secondary(), r.secondaryRaw(), r.jmhVersion(),
        r.vmName(), r.vmVersion());
  }

  /** The names JMH reports for a class: its {@code @Benchmark} methods, or their groups. */
  private static Set<String> benchmarks(Class<?> benchmark) {
    Set<String> names = new HashSet<>();
    for (Method m : benchmark.getDeclaredMethods()) {
      if (m.isAnnotationPresent(Benchmark.class)) {
        Group group = m.getAnnotation(Group.class);
        names.add(group == null ? m.getName() : group.value());
      }
    }
    return names;
  }

  private static List<String> params(Class<?> benchmark, String field) {
    try {
      return Arrays.asList(benchmark.getField(field).getAnnotation(Param.class).value());
    } catch (NoSuchFieldException e) {
      throw new AssertionError(benchmark.getSimpleName() + " has no @Param field " + field, e);
    }
  }

  /** The public fields JMH reports as secondary results of an {@code @AuxCounters} state. */
  private static Set<String> counters(Class<?> state) {
    Set<String> names = new HashSet<>();
    for (Field f : state.getFields()) {
      names.add(f.getName());
    }
    return names;
  }
}
