package io.forceflux.benchmarks;

import static io.forceflux.benchmarks.SummaryMarkdown.find;
import static io.forceflux.benchmarks.SummaryMarkdown.num;
import static io.forceflux.benchmarks.SummaryMarkdown.require;
import static io.forceflux.benchmarks.SummaryMarkdown.sorted;
import static io.forceflux.benchmarks.SummaryMarkdown.values;
import static io.forceflux.benchmarks.TokenSections.ALLOC_PER_OP;

import io.forceflux.benchmarks.BulkIngestBenchmark.Jobs;
import io.forceflux.benchmarks.QueryStreamingBenchmark.Heap;
import io.forceflux.benchmarks.WriteStrategiesBenchmark.Calls;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The summary's sections on API traffic: query streaming, Bulk API 2.0 query and ingest, write strategies. */
final class ApiSections {
  private static final double MIB = 1024 * 1024;

  private ApiSections() {
  }

  static void queryStreaming(SummaryMarkdown doc) {
    List<BenchmarkRun> all = doc.of(QueryStreamingBenchmark.class);
    if (all.isEmpty()) {
      return;
    }
    BenchmarkRun client = require(all, QueryStreamingBenchmark.SALESFORCE_CLIENT);
    BenchmarkRun plain = require(all, QueryStreamingBenchmark.PLAIN_WEB_CLIENT);
    doc.heading("Query streaming, " + num(QueryStreamingBenchmark.RECORDS) + " records (`QueryStreamingBenchmark`)");
    doc.line("`SalesforceClient.query(\"SELECT Id, Name FROM Account\")` versus a plain WebClient fetching the same"
        + " pages (fixed bearer token, `bodyToMono(JsonNode.class)` per page, then each `nextRecordsUrl`). Memory:"
        + " `gc.alloc.rate.norm` (bytes allocated per record, `-prof gc`) and the peak retained heap (largest heap"
        + " used right after a collection during a stream, mean over streams; 1 GiB heap, 64 MiB young"
        + " generation). Both include the fake org, which runs in the same JVM.");
    doc.line("");
    doc.line("| Client | Records/s | Allocated B/record | Peak retained heap per stream | Collections per stream |");
    doc.line("|---|---:|---:|---:|---:|");
    for (BenchmarkRun r : sorted(all)) {
      doc.line("| " + r.contender() + " | " + r.primary().format() + " | "
          + r.secondary(ALLOC_PER_OP).map(Estimate::format).orElse("not measured") + " | " + peakPerStream(r)
          + " | " + collectionsPerStream(r) + " |");
    }
    doc.line("");
    doc.line("Ratio `SalesforceClient` ÷ plain WebClient: records/s **" + client.primary().over(plain.primary()).format()
        + "**" + client.secondary(ALLOC_PER_OP).flatMap(a -> plain.secondary(ALLOC_PER_OP)
            .map(b -> "; bytes allocated per record " + a.over(b).format())).orElse("") + ".");
  }

  static void bulkQuery(SummaryMarkdown doc) {
    List<BenchmarkRun> all = doc.of(BulkQueryBenchmark.class);
    if (all.isEmpty()) {
      return;
    }
    BenchmarkRun bulk = require(all, BulkQueryBenchmark.BULK_QUERY);
    BenchmarkRun rest = require(all, BulkQueryBenchmark.REST_QUERY);
    doc.heading("Bulk query, " + num(BulkQueryBenchmark.RECORDS) + " records in a 64 MiB heap"
        + " (`BulkQueryBenchmark`)");
    doc.line("`salesforce.bulk().query(soql)` (Bulk API 2.0, CSV pages) versus `salesforce.query(soql)` (REST, JSON"
        + " pages of 2,000) for `" + BulkQueryBenchmark.SOQL + "`, every session killed on every 5th request; each"
        + " stream checks that every Id arrives exactly once. The fork's heap is 64 MiB, fake org included: neither"
        + " client may hold the result set.");
    doc.line("");
    doc.line("| Client | Records/s | Peak retained heap per stream | Collections per stream |");
    doc.line("|---|---:|---:|---:|");
    for (BenchmarkRun r : sorted(all)) {
      doc.line("| " + r.contender() + " | " + r.primary().format() + " | " + peakPerStream(r) + " | "
          + collectionsPerStream(r) + " |");
    }
    doc.line("");
    doc.line("Ratio bulk ÷ REST: records/s **" + bulk.primary().over(rest.primary()).format() + "**.");
  }

  static void bulkIngest(SummaryMarkdown doc) {
    List<BenchmarkRun> all = doc.of(BulkIngestBenchmark.class);
    if (all.isEmpty()) {
      return;
    }
    BenchmarkRun ingest = require(all, BulkIngestBenchmark.BULK_INGEST);
    doc.heading("Bulk ingest, " + num(BulkIngestBenchmark.RECORDS) + " records (`BulkIngestBenchmark`)");
    doc.line("`salesforce.bulk().ingest(...)` into a fresh fake org per iteration, jobs of at most "
        + num(BulkIngestBenchmark.JOB_ROWS) + " rows; every row must succeed and the org must hold every record."
        + " The peak retained heap includes the fake org, which keeps every created record in memory.");
    doc.line("");
    doc.line("| Iteration | Records/s | Bulk jobs | Peak retained heap |");
    doc.line("|---:|---:|---:|---:|");
    // Single-shot time per record (the operation count is the record count): a rate is its inverse.
    List<Double> seconds = ingest.primaryRaw();
    double[] jobs = ingest.perIteration(Jobs.JOBS, Heap.STREAMS);
    double[] peak = ingest.perIteration(Heap.PEAK_RETAINED_HEAP_BYTES, Heap.STREAMS);
    for (int i = 0; i < seconds.size(); i++) {
      doc.line("| " + (i + 1) + " | " + num(1 / seconds.get(i)) + " | " + (i < jobs.length ? num(jobs[i]) : "")
          + " | " + (i < peak.length ? num(peak[i] / MIB) + " MiB" : "not measured") + " |");
    }
    Estimate perRecord = ingest.primary();
    double rate = 1 / perRecord.value();
    doc.line("");
    doc.line("Mean **" + num(rate) + " ± " + num(rate * perRecord.error() / perRecord.value()) + " records/s**"
        + " (the inverse of the mean time per record).");
  }

  static void writeStrategies(SummaryMarkdown doc) {
    List<BenchmarkRun> all = doc.of(WriteStrategiesBenchmark.class);
    if (all.isEmpty()) {
      return;
    }
    require(all, WriteStrategiesBenchmark.WRITE);
    String strategy = WriteStrategiesBenchmark.STRATEGY_PARAM;
    String operation = WriteStrategiesBenchmark.OPERATION_PARAM;
    int records = WriteStrategiesBenchmark.RECORDS;
    doc.heading(num(records) + " writes per way (`WriteStrategiesBenchmark`)");
    doc.line("One fake org on loopback, one `SalesforceClient`, " + WriteStrategiesBenchmark.IN_FLIGHT
        + " requests in flight, Account records. API calls are what the org counted per " + num(records)
        + " writes (machine-independent); wall time is one batch of " + num(records) + " writes. Every batch"
        + " checks that all writes succeeded.");
    doc.line("");
    List<String> operations = new ArrayList<>(values(all, operation));
    doc.line("| Way |" + operations.stream().map(o -> " API calls (" + o + ") | Wall time (" + o + ") |")
        .collect(Collectors.joining()));
    doc.line("|---|" + "---:|---:|".repeat(operations.size()));
    List<String> known = List.of(WriteStrategiesBenchmark.PER_RECORD, WriteStrategiesBenchmark.COLLECTIONS,
        WriteStrategiesBenchmark.COMPOSITE, WriteStrategiesBenchmark.COMPOSITE_COLLECTIONS);
    Set<String> ways = values(all, strategy);
    List<String> ordered = ways.stream().sorted(Comparator.comparingInt((String w) -> {
      int i = known.indexOf(w);
      return i < 0 ? known.size() : i;
    }).thenComparing(w -> w)).toList();
    for (String way : ordered) {
      StringBuilder row = new StringBuilder("| " + way + " |");
      for (String op : operations) {
        BenchmarkRun r = find(all, x -> way.equals(x.param(strategy)) && op.equals(x.param(operation)));
        row.append(r == null ? " not run | not run |" : " " + num(calls(r, records)) + " | " + r.primary().format()
            + " |");
      }
      doc.line(row.toString());
    }
    for (String op : operations) {
      BenchmarkRun base = find(all, x -> WriteStrategiesBenchmark.PER_RECORD.equals(x.param(strategy))
          && op.equals(x.param(operation)));
      if (base == null) {
        continue;
      }
      String fewer = ordered.stream().filter(w -> !w.equals(WriteStrategiesBenchmark.PER_RECORD))
          .map(w -> find(all, x -> w.equals(x.param(strategy)) && op.equals(x.param(operation))))
          .filter(r -> r != null)
          .map(r -> r.param(strategy) + " " + num(calls(base, records) / calls(r, records)) + "×")
          .collect(Collectors.joining(", "));
      doc.line("");
      doc.line("API calls, " + op + ", one request per record ÷ each way (above 1: fewer calls): " + fewer + ".");
    }
  }

  /** API calls per {@code records} writes, from the org's count over every measured write. */
  private static double calls(BenchmarkRun r, int records) {
    double written = r.secondary(Calls.WRITTEN).map(Estimate::value).orElse(Double.NaN);
    return r.secondary(Calls.API_CALLS).map(Estimate::value).orElse(Double.NaN) / written * records;
  }

  private static String peakPerStream(BenchmarkRun r) {
    double streams = r.secondary(Heap.STREAMS).map(Estimate::value).orElse(0.0);
    return streams == 0 ? "not measured" : r.secondary(Heap.PEAK_RETAINED_HEAP_BYTES)
        .map(e -> num(e.value() / streams / MIB) + " MiB").orElse("not measured");
  }

  private static String collectionsPerStream(BenchmarkRun r) {
    double streams = r.secondary(Heap.STREAMS).map(Estimate::value).orElse(0.0);
    return streams == 0 ? "" : r.secondary(Heap.COLLECTIONS).map(e -> num(e.value() / streams)).orElse("");
  }
}
