package io.forceflux.benchmarks;

import io.forceflux.reactor.bulk.BulkOptions;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.testkit.FakeOrg;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Streaming 1,000,000 Accounts ({@code SELECT Id, Name FROM Account}) from a loopback fake org in a 64 MiB heap,
 * while every session dies every 5th request: records per second (one operation is one record) and the peak heap
 * retained during a stream ({@link QueryStreamingBenchmark.Heap}).
 *
 * <ul>
 *   <li>{@code bulkQuery}: {@code salesforce.bulk().query(soql)}: one Bulk API 2.0 query job, CSV pages of 50,000
 *       rows fetched as demand reaches them.
 *   <li>{@code restQuery}: {@code salesforce.query(soql)}: the REST query Flux, JSON pages of 2,000 records.
 * </ul>
 *
 * <p>The fork runs with {@code -Xmx64m} (fake org included), so finishing at all shows that neither contender
 * holds the result set. Every stream must deliver each of the 1,000,000 Ids exactly once (checked in a bit set),
 * or the benchmark fails.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(BulkQueryBenchmark.RECORDS)
@State(Scope.Benchmark)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms64m", "-Xmx64m"})
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
public class BulkQueryBenchmark {
  static final int RECORDS = 1_000_000;
  static final String SOQL = "SELECT Id, Name FROM Account";
  // Names SUMMARY.md reads from the results (SummaryTests checks each against this class).
  static final String BULK_QUERY = "bulkQuery";
  static final String REST_QUERY = "restQuery";
  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private LoopbackOrg org;
  private SalesforceClient client;
  private final AtomicLong requests = new AtomicLong();

  @Setup(Level.Trial)
  public void start() {
    org = LoopbackOrg.start(FakeOrg.builder().accounts(RECORDS).bulkRecordsPerSecond(Long.MAX_VALUE));
    // Outside the session filter: every 5th logical request finds every session dead.
    WebClient.Builder web = org.webClient().filter((request, next) -> {
      if (requests.incrementAndGet() % 5 == 0) {
        org.org.expireAllSessions();
      }
      return next.exchange(request);
    });
    client = SalesforceClient.builder().grant(org.refreshGrant()).instanceUrlPolicy(org.policy())
        .webClientBuilder(web).apiVersion("67.0").build();
  }

  @Benchmark
  public long bulkQuery(QueryStreamingBenchmark.Heap heap) {
    BitSet seen = new BitSet(RECORDS + 1);
    client.bulk(BulkOptions.builder().pollInterval(Duration.ofMillis(10), Duration.ofMillis(100)).build())
        .query(SOQL)
        .doOnNext(row -> mark(seen, row.get("Id")))
        .blockLast(LoopbackOrg.BOUND);
    return verify(seen);
  }

  @Benchmark
  public long restQuery(QueryStreamingBenchmark.Heap heap) {
    BitSet seen = new BitSet(RECORDS + 1);
    client.query(SOQL).doOnNext(record -> mark(seen, record.get("Id").asString())).blockLast(LoopbackOrg.BOUND);
    return verify(seen);
  }

  /** Generated Account Ids carry their sequence number in base 62 (characters 3 to 14). */
  private static void mark(BitSet seen, String id) {
    long seq = 0;
    for (int i = 3; i < 15; i++) {
      seq = seq * 62 + BASE62.indexOf(id.charAt(i));
    }
    if (seq < 1 || seq > RECORDS || seen.get((int) seq)) {
      throw new IllegalStateException("Id " + id + " out of range or seen twice");
    }
    seen.set((int) seq);
  }

  private static long verify(BitSet seen) {
    if (seen.cardinality() != RECORDS) {
      throw new IllegalStateException("streamed " + seen.cardinality() + " distinct Ids, expected " + RECORDS);
    }
    return RECORDS;
  }

  @TearDown(Level.Trial)
  public void stop() {
    org.close();
  }
}
