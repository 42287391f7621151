package io.forceflux.benchmarks;

import io.forceflux.reactor.bulk.BulkEvent;
import io.forceflux.reactor.bulk.BulkOptions;
import io.forceflux.reactor.bulk.Ingest;
import io.forceflux.reactor.bulk.IngestResult;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.testkit.FakeOrg;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;

/**
 * Loading 1,000,000 Accounts with {@code salesforce.bulk().ingest(...)} into a fresh loopback fake org per
 * iteration: records per second (one operation is one record), peak heap retained
 * ({@link QueryStreamingBenchmark.Heap}) and the Bulk API 2.0 jobs used ({@link Jobs#jobs}), with the client's
 * defaults except jobs of at most 100,000 rows (so several jobs run, four at a time) and quick polling.
 *
 * <p>The fork has a 2 GiB heap because the fake org keeps every created record in memory (about 1 KiB each); the
 * heap figure therefore includes the org's million records. Every row must come back as a success, and the org
 * must hold exactly 1,000,000 new records, or the benchmark fails.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(BulkIngestBenchmark.RECORDS)
@State(Scope.Benchmark)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class BulkIngestBenchmark {
  static final int RECORDS = 1_000_000;
  static final int JOB_ROWS = 100_000;
  // Names SUMMARY.md reads from the results (SummaryTests checks each against this class).
  static final String BULK_INGEST = "bulkIngest";

  private LoopbackOrg org;
  private SalesforceClient client;

  @Setup(Level.Iteration)
  public void start() {
    org = LoopbackOrg.start(FakeOrg.builder().accounts(0).bulkRecordsPerSecond(Long.MAX_VALUE));
    client = SalesforceClient.builder().grant(org.refreshGrant()).instanceUrlPolicy(org.policy())
        .webClientBuilder(org.webClient()).apiVersion("67.0").build();
  }

  @Benchmark
  public long bulkIngest(QueryStreamingBenchmark.Heap heap, Jobs jobs) {
    AtomicLong created = new AtomicLong();
    BulkOptions options = BulkOptions.builder()
        .jobSize(JOB_ROWS, 100L * 1024 * 1024)
        .pollInterval(Duration.ofMillis(10), Duration.ofMillis(200))
        .listener(e -> {
          if (e.kind() == BulkEvent.Kind.CREATED) {
            created.incrementAndGet();
          }
        })
        .build();
    Flux<Map<String, Object>> records = Flux.range(0, RECORDS).map(i -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("Name", "Bench " + i);
      m.put("Industry", "Energy");
      return m;
    });
    Long ok = client.bulk(options).ingest(Ingest.insert("Account"), records)
        .filter(r -> r.outcome() == IngestResult.Outcome.SUCCESS)
        .count()
        .block(Duration.ofMinutes(10));
    if (ok == null || ok != RECORDS || org.org.count("Account") != RECORDS) {
      throw new IllegalStateException(ok + " successes and " + org.org.count("Account") + " records, expected "
          + RECORDS);
    }
    jobs.jobs += created.get();
    return ok;
  }

  @TearDown(Level.Iteration)
  public void stop() {
    org.close();
  }

  /** Bulk API 2.0 jobs created per iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Jobs {
    static final String JOBS = "jobs";

    /** Jobs created. */
    public long jobs;

    @Setup(Level.Iteration)
    public void reset() {
      jobs = 0;
    }
  }
}
