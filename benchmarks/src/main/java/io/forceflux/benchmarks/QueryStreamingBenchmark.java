package io.forceflux.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.forceflux.core.auth.AccessToken;
import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.testkit.FakeOrg;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.jspecify.annotations.Nullable;
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
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Streaming 200,000 records of {@code SELECT Id, Name FROM Account} from a loopback fake org (2,000 per page, 100
 * pages): records per second (one operation is one record) and memory.
 *
 * <ul>
 *   <li>{@code salesforceClient}: {@link SalesforceClient#query(String)} with its defaults (on-demand paging, one
 *       page prefetched, records decoded one at a time), counted as they arrive.
 *   <li>{@code plainWebClient}: a plain WebClient with a fixed bearer token (taken once from a
 *       {@link CachingTokenSource}): GET the query, then each {@code nextRecordsUrl}, each page decoded into a
 *       Jackson tree with {@code bodyToMono(JsonNode.class)} and its records counted.
 * </ul>
 *
 * <p>Memory, two figures. Run with {@code -prof gc} for {@code gc.alloc.rate.norm}: the bytes allocated per record.
 * And the {@link Heap} counters: the peak heap retained during a stream, i.e. the largest heap usage right after a
 * collection (what the stream keeps alive, garbage excluded), sampled from the collectors' notifications. The fork
 * runs with a fixed 1 GiB heap and a 64 MiB young generation so that collections happen every few pages (a larger
 * young generation would let a whole stream pass without one, leaving nothing to sample); each stream starts after
 * a {@code System.gc()}, whose own notification is ignored. Both figures include the fake org, which runs in the
 * same JVM and costs the same for both contenders.
 *
 * <p>Every stream must deliver exactly 200,000 records, or the benchmark fails.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(QueryStreamingBenchmark.RECORDS)
@State(Scope.Benchmark)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Xmn64m"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class QueryStreamingBenchmark {
  static final int RECORDS = 200_000;
  static final String SOQL = "SELECT Id, Name FROM Account";
  // Names SUMMARY.md reads from the results (SummaryTests checks each against this class).
  static final String SALESFORCE_CLIENT = "salesforceClient";
  static final String PLAIN_WEB_CLIENT = "plainWebClient";

  private LoopbackOrg org;
  private SalesforceClient client;
  private WebClient plain;
  private String instance;

  @Setup(Level.Trial)
  public void start() {
    org = LoopbackOrg.start(FakeOrg.builder().accounts(RECORDS));
    client = SalesforceClient.builder().grant(org.refreshGrant()).instanceUrlPolicy(org.policy()).build();
    CachingTokenSource tokens = org.tokens().build();
    AccessToken token = tokens.token().block(LoopbackOrg.BOUND);
    if (token == null) {
      throw new IllegalStateException("no token");
    }
    instance = token.instanceUrl().toString();
    plain = org.webClient().defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token.value()).build();
  }

  @Benchmark
  public long salesforceClient(Heap heap) {
    return verify(client.query(SOQL).count().block(LoopbackOrg.BOUND));
  }

  @Benchmark
  public long plainWebClient(Heap heap) {
    return verify(page(instance + "/services/data/v67.0/query?q={q}", SOQL)
        .expand(page -> {
          JsonNode next = page.get("nextRecordsUrl");
          return next == null || next.isNull() ? Mono.empty() : page(instance + next.asString());
        })
        .concatMapIterable(page -> page.path("records"))
        .count()
        .block(LoopbackOrg.BOUND));
  }

  private Mono<JsonNode> page(String uriTemplate, Object... variables) {
    return plain.get().uri(uriTemplate, variables).retrieve().bodyToMono(JsonNode.class);
  }

  private static long verify(Long count) {
    if (count == null || count != RECORDS) {
      throw new IllegalStateException("streamed " + count + " records, expected " + RECORDS);
    }
    return count;
  }

  @TearDown(Level.Trial)
  public void stop() {
    org.close();
  }

  /**
   * Heap figures per stream, summed over the streams of an iteration (JMH adds EVENTS counters up): divide by
   * {@code streams} for the mean per stream.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Heap implements NotificationListener {
    static final String STREAMS = "streams";
    static final String COLLECTIONS = "collections";
    static final String PEAK_RETAINED_HEAP_BYTES = "peakRetainedHeapBytes";

    /** Streams measured. */
    public long streams;
    /** Collections observed during streams (the samples behind {@link #peakRetainedHeapBytes}). */
    public long collections;
    /** Sum over streams of the largest heap used right after a collection during the stream. */
    public long peakRetainedHeapBytes;

    private final AtomicLong retainedMax = new AtomicLong();
    private final AtomicLong observed = new AtomicLong();
    private final List<String> heapPools = new ArrayList<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();

    @Setup(Level.Trial)
    public void listen() {
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          heapPools.add(pool.getName());
        }
      }
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter emitter) {
          emitter.addNotificationListener(this, null, null);
          emitters.add(emitter);
        }
      }
    }

    @Setup(Level.Iteration)
    public void reset() {
      streams = 0;
      collections = 0;
      peakRetainedHeapBytes = 0;
    }

    @Setup(Level.Invocation)
    public void clean() {
      System.gc();
      retainedMax.set(0);
      observed.set(0);
    }

    @TearDown(Level.Invocation)
    public void sample() {
      streams++;
      collections += observed.get();
      peakRetainedHeapBytes += retainedMax.get();
    }

    @TearDown(Level.Trial)
    public void unlisten() throws ListenerNotFoundException {
      for (NotificationEmitter emitter : emitters) {
        emitter.removeNotificationListener(this);
      }
    }

    @Override
    public void handleNotification(Notification notification, @Nullable Object handback) {
      if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
        return;
      }
      GarbageCollectionNotificationInfo info =
          GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
      if ("System.gc()".equals(info.getGcCause())) {
        return; // the reset before a stream, not part of it
      }
      long used = 0;
      for (String pool : heapPools) {
        MemoryUsage after = info.getGcInfo().getMemoryUsageAfterGc().get(pool);
        used += after == null ? 0 : after.getUsed();
      }
      observed.incrementAndGet();
      retainedMax.accumulateAndGet(used, Math::max);
    }
  }
}
