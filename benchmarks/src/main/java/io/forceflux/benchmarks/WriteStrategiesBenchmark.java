package io.forceflux.benchmarks;

import io.forceflux.core.event.SessionListener;
import io.forceflux.reactor.bulk.BulkOptions;
import io.forceflux.reactor.bulk.Ingest;
import io.forceflux.reactor.bulk.IngestResult;
import io.forceflux.reactor.client.CompositeRequest;
import io.forceflux.reactor.client.CompositeResult;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.reactor.client.SaveResult;
import io.forceflux.reactor.client.SubrequestResult;
import io.forceflux.testkit.FakeOrg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * 10,000 Account creates, or 10,000 updates, done five ways against one fake org with 256 requests in flight:
 * <ul>
 *   <li>{@code per-record}: one {@code POST /sobjects/Account} or {@code PATCH /sobjects/Account/{id}} each;
 *   <li>{@code collections}: sObject Collections calls of 200 records;
 *   <li>{@code composite}: Composite calls of 25 single-record subrequests;
 *   <li>{@code composite-collections}: Composite calls of 5 sObject Collections subrequests of 200 records (the most
 *       a Composite call may carry: 1,000 records per API call);
 *   <li>{@code bulk}: one Bulk API 2.0 ingest job ({@code insert} or {@code update}) through
 *       {@code salesforce.bulk()}, polled every 100 ms to 1 s; the fake org processes 10,000 records a second
 *       (its default), and every request of the job (create, upload, close, polls, result files) is an API call.
 * </ul>
 * The score is the wall time of one batch of 10,000 (single shot); the {@link Calls} secondary results add up the
 * API calls the org counted and the records written over an iteration: {@code apiCalls / records × 10,000} is the
 * calls per 10,000 records. Every invocation checks that all 10,000 writes succeeded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class WriteStrategiesBenchmark {
  static final int RECORDS = 10_000;
  static final int IN_FLIGHT = 256;
  /** One batch of 10,000 one-record requests takes minutes on a loaded 2-core machine. */
  static final java.time.Duration BOUND = java.time.Duration.ofMinutes(10);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  // Names SUMMARY.md reads from the results (SummaryTests checks each against this class).
  static final String WRITE = "write";
  static final String STRATEGY_PARAM = "strategy";
  static final String OPERATION_PARAM = "operation";
  static final String PER_RECORD = "per-record";
  static final String COLLECTIONS = "collections";
  static final String COMPOSITE = "composite";
  static final String COMPOSITE_COLLECTIONS = "composite-collections";
  static final String BULK_STRATEGY = "bulk";
  private static final BulkOptions BULK = BulkOptions.builder()
      .pollInterval(Duration.ofMillis(100), Duration.ofSeconds(1))
      .build();

  @Param({PER_RECORD, COLLECTIONS, COMPOSITE, COMPOSITE_COLLECTIONS, BULK_STRATEGY})
  public String strategy;

  @Param({"create", "update"})
  public String operation;

  private @Nullable LoopbackOrg loopback;
  private @Nullable SalesforceClient client;
  private List<String> ids = List.of();
  private int round;

  /** API calls and records over an iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Calls {
    static final String API_CALLS = "apiCalls";
    static final String WRITTEN = "records";

    /** API calls the org counted. */
    public long apiCalls;
    /** Records written. */
    public long records;

    @Setup(Level.Iteration)
    public void reset() {
      apiCalls = 0;
      records = 0;
    }
  }

  @Setup(Level.Trial)
  public void start() {
    loopback = LoopbackOrg.start(FakeOrg.builder().accounts(0));
    client = SalesforceClient.builder()
        .tokenSource(loopback.tokens().build())
        .webClientBuilder(loopback.webClient())
        .apiVersion("67.0")
        .listener(SessionListener.NONE)
        .build();
  }

  /** Updates need records: 10,000 fresh ones per invocation, written with Collections outside the measurement. */
  @Setup(Level.Invocation)
  public void prepare() {
    round++;
    if (operation.equals("update")) {
      ids = Flux.range(0, RECORDS / 200)
          .flatMapSequential(chunk -> client().createAll("Account", Flux.range(chunk * 200, 200)
              .map(i -> Map.of("Name", "seed " + i)), false), IN_FLIGHT)
          .map(r -> {
            if (!r.success()) {
              throw new IllegalStateException("seeding failed: " + r.errors());
            }
            return r.id();
          })
          .collectList()
          .block(BOUND);
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    if (loopback != null) {
      loopback.org.close();
      loopback.close();
    }
  }

  private SalesforceClient client() {
    return java.util.Objects.requireNonNull(client, "client");
  }

  @Benchmark
  public long write(Calls calls) {
    long before = java.util.Objects.requireNonNull(loopback).stats().apiUsage();
    boolean create = operation.equals("create");
    Flux<Boolean> outcomes = switch (strategy) {
      case PER_RECORD -> Flux.range(0, RECORDS).flatMap(i -> create
          ? client().create("Account", record(i)).map(SaveResult::success)
          : client().update("Account", ids.get(i), record(i)).thenReturn(true), IN_FLIGHT);
      case COLLECTIONS -> Flux.range(0, RECORDS / 200).flatMap(chunk -> {
        Flux<Map<String, Object>> records = Flux.range(chunk * 200, 200).map(i -> create ? record(i)
            : Map.of("Id", ids.get(i), "Name", name(i)));
        return (create ? client().createAll("Account", records, false) : client().updateAll("Account", records, false))
            .map(SaveResult::success);
      }, IN_FLIGHT);
      case COMPOSITE -> Flux.range(0, RECORDS / 25).flatMap(call -> {
        CompositeRequest.Builder b = CompositeRequest.builder();
        for (int i = call * 25; i < call * 25 + 25; i++) {
          if (create) {
            b.create("r" + i, "Account", record(i));
          } else {
            b.update("r" + i, "Account", ids.get(i), record(i));
          }
        }
        return client().composite(b.build()).flatMapIterable(CompositeResult::results)
            .map(SubrequestResult::success);
      }, IN_FLIGHT);
      case COMPOSITE_COLLECTIONS -> Flux.range(0, RECORDS / 1000).flatMap(call -> {
        CompositeRequest.Builder b = CompositeRequest.builder();
        for (int part = 0; part < 5; part++) {
          int first = call * 1000 + part * 200;
          b.subrequest("c" + first, create ? "POST" : "PATCH", "/composite/sobjects", collection(first, create));
        }
        return client().composite(b.build()).flatMapIterable(CompositeResult::results)
            .flatMapIterable(r -> perRecord(r));
      }, IN_FLIGHT);
      case BULK_STRATEGY -> client().bulk(BULK)
          .ingest(create ? Ingest.insert("Account") : Ingest.update("Account"), Flux.range(0, RECORDS)
              .map(i -> create ? record(i) : Map.<String, Object>of("Id", ids.get(i), "Name", name(i))))
          .map(r -> r.outcome() == IngestResult.Outcome.SUCCESS);
      default -> Flux.error(new IllegalArgumentException(strategy));
    };
    long ok = outcomes.filter(Boolean::booleanValue).count().block(BOUND);
    if (ok != RECORDS) {
      throw new IllegalStateException(strategy + " " + operation + ": " + ok + " of " + RECORDS + " succeeded");
    }
    calls.apiCalls += loopback.stats().apiUsage() - before;
    calls.records += RECORDS;
    return ok;
  }

  private String name(int i) {
    return "Account " + round + "-" + i;
  }

  private Map<String, Object> record(int i) {
    return Map.of("Name", name(i));
  }

  private ObjectNode collection(int first, boolean create) {
    ObjectNode body = JSON.createObjectNode();
    body.put("allOrNone", false);
    ArrayNode records = body.putArray("records");
    for (int i = first; i < first + 200; i++) {
      ObjectNode r = records.addObject();
      r.putObject("attributes").put("type", "Account");
      if (!create) {
        r.put("Id", ids.get(i));
      }
      r.put("Name", name(i));
    }
    return body;
  }

  private static List<Boolean> perRecord(SubrequestResult result) {
    List<Boolean> out = new ArrayList<>();
    JsonNode body = result.body();
    if (!result.success() || body == null || !body.isArray()) {
      out.add(false);
      return out;
    }
    body.forEach(r -> out.add(r.path("success").asBoolean(false)));
    return out;
  }

}
