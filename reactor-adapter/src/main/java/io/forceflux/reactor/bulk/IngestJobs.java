package io.forceflux.reactor.bulk;

import static io.forceflux.reactor.bulk.JobTracker.BODY_RETRIES;
import static io.forceflux.reactor.bulk.JobTracker.ended;
import static io.forceflux.reactor.bulk.JobTracker.jobsPath;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.node.ObjectNode;

/** Ingest jobs: splitting rows into jobs, uploading and closing each, and streaming its result files. */
final class IngestJobs {
  private final BulkHttp http;
  private final Mono<String> apiVersion;
  private final BulkOptions options;
  private final JobTracker jobs;

  IngestJobs(BulkHttp http, Mono<String> apiVersion, BulkOptions options, JobTracker jobs) {
    this.http = http;
    this.apiVersion = apiVersion;
    this.options = options;
    this.jobs = jobs;
  }

  /**
   * Splits rows into jobs and runs up to {@code jobsInFlight} of them. Rows are spooled on a bounded-elastic
   * thread (a spool may be a file); the header is known once the first row has been made.
   */
  Flux<IngestResult> load(Ingest ingest, Flux<byte[]> rows, java.util.function.Supplier<byte[]> header) {
    long[] size = {0, 0};
    return rows.publishOn(Schedulers.boundedElastic())
        .windowUntil(row -> {
          long headerBytes = header.get().length;
          boolean cut = size[0] > 0 && (size[0] + 1 > options.maxRecordsPerJob
              || size[1] + row.length > options.maxBytesPerJob);
          if (cut || size[0] == 0) {
            size[0] = 0;
            size[1] = headerBytes;
          }
          size[0]++;
          size[1] += row.length;
          if (size[1] > options.maxBytesPerJob) {
            throw new IllegalArgumentException("one row is larger than a job may be (" + options.maxBytesPerJob
                + " bytes)");
          }
          return cut;
        }, true)
        .concatMap(window -> window.reduceWith(
            () -> new Chunk(header.get(), options.spoolMemoryBytes, options.spoolDirectory), Chunk::append)
            .map(Chunk::finish))
        // A chunk built but never handed to a job (the load was cancelled) still frees its spool.
        .doOnDiscard(Chunk.class, Chunk::delete)
        .flatMap(chunk -> runJob(ingest, chunk), options.jobsInFlight, 1);
  }

  private Flux<IngestResult> runJob(Ingest ingest, Chunk chunk) {
    Mono<String> uploaded = apiVersion.flatMap(v -> {
      ObjectNode body = DefaultBulkClient.JSON.createObjectNode();
      body.put("object", ingest.object());
      body.put("operation", ingest.operation().wireName());
      if (ingest.externalIdField() != null) {
        body.put("externalIdFieldName", ingest.externalIdField());
      }
      body.put("contentType", "CSV");
      body.put("columnDelimiter", "COMMA");
      body.put("lineEnding", "LF");
      return http.json(HttpMethod.POST, jobsPath(v, "ingest"), body, true);
    }).map(JobTracker::jobInfo)
        .flatMap(job -> {
          jobs.event(BulkEvent.Kind.CREATED, job, 0);
          return upload(job, chunk)
              .doOnSuccess(x -> jobs.event(BulkEvent.Kind.UPLOADED, job.id(), "Open", chunk.rows()))
              .then(close(job))
              // A job we cannot finish uploading would stay Open for a day: abort it, then report why.
              .onErrorResume(e -> abort(job).then(Mono.error(e)))
              .thenReturn(job.id());
        })
        .doFinally(s -> Schedulers.boundedElastic().schedule(chunk::delete));
    return uploaded.flatMapMany(this::awaitIngest);
  }

  private Mono<Void> upload(JobInfo job, Chunk chunk) {
    String path = jobsPath(job.apiVersion(), "ingest") + "/" + job.id() + "/batches";
    return http.upload(path, chunk.body())
        // Refused as "already uploaded": a replay after a transport failure whose first attempt got through.
        .onErrorResume(e -> BulkHttp.hasCode(e, "INVALIDJOBSTATE"),
            e -> jobs.info("ingest", job.id())
                .flatMap(now -> now.state().equals("Open") ? Mono.empty() : Mono.error(e)));
  }

  private Mono<Void> close(JobInfo job) {
    ObjectNode body = DefaultBulkClient.JSON.createObjectNode().put("state", "UploadComplete");
    return http.json(HttpMethod.PATCH, jobsPath(job.apiVersion(), "ingest") + "/" + job.id(), body, true)
        // Refused because it is no longer Open: a replayed close whose first attempt got through.
        .onErrorResume(e -> BulkHttp.hasCode(e, "INVALIDJOBSTATE"),
            e -> jobs.info("ingest", job.id())
                .flatMap(now -> now.state().equals("Open") ? Mono.error(e) : Mono.empty()))
        .then();
  }

  private Mono<Void> abort(JobInfo job) {
    ObjectNode body = DefaultBulkClient.JSON.createObjectNode().put("state", "Aborted");
    return http.json(HttpMethod.PATCH, jobsPath(job.apiVersion(), "ingest") + "/" + job.id(), body, false)
        .then()
        .onErrorResume(e -> Mono.empty());
  }

  Flux<IngestResult> awaitIngest(String jobId) {
    return jobs.await("ingest", jobId).flatMapMany(info -> {
      String base = jobsPath(info.apiVersion(), "ingest") + "/" + info.id() + "/";
      Flux<IngestResult> results = Flux.concat(
          resultFile(info.id(), base + "successfulResults/", IngestResult.Outcome.SUCCESS),
          resultFile(info.id(), base + "failedResults/", IngestResult.Outcome.FAILURE));
      if (info.state().equals("JobComplete")) {
        return results;
      }
      return results.concatWith(resultFile(info.id(), base + "unprocessedrecords/", IngestResult.Outcome.UNPROCESSED))
          .concatWith(Mono.error(ended(info)));
    });
  }

  /**
   * One result file, streamed. If its body breaks off, it is fetched again and the rows already emitted are
   * skipped (a finished job's result files do not change), so no row is lost or emitted twice.
   */
  private Flux<IngestResult> resultFile(String jobId, String path, IngestResult.Outcome outcome) {
    return Flux.defer(() -> {
      AtomicLong emitted = new AtomicLong();
      return Flux.defer(() -> {
        long skip = emitted.get();
        AtomicReference<String @Nullable []> header = new AtomicReference<>();
        return http.csvRows(path)
            .<IngestResult>handle((row, sink) -> {
              String[] columns = header.get();
              if (columns == null) {
                String second = outcome == IngestResult.Outcome.SUCCESS ? "sf__Created" : "sf__Error";
                if (outcome != IngestResult.Outcome.UNPROCESSED
                    && (row.length < 2 || !row[0].equals("sf__Id") || !row[1].equals(second))) {
                  sink.error(BulkHttp.malformed("the " + outcome.name().toLowerCase(java.util.Locale.ROOT)
                      + " results of job " + jobId + " do not start with sf__Id," + second));
                  return;
                }
                header.set(row);
                return;
              }
              if (row.length != columns.length) {
                sink.error(BulkHttp.malformed("a result row of job " + jobId + " has " + row.length + " values for "
                    + columns.length + " columns"));
                return;
              }
              sink.next(result(jobId, outcome, columns, row));
            })
            .skip(skip);
      }).doOnNext(r -> emitted.incrementAndGet())
          .retryWhen(Retry.max(BODY_RETRIES).filter(BulkHttp::isTransport)
              .onRetryExhaustedThrow((s, r) -> r.failure()));
    });
  }

  private static IngestResult result(String jobId, IngestResult.Outcome outcome, String[] columns, String[] row) {
    int first = outcome == IngestResult.Outcome.UNPROCESSED ? 0 : 2;
    Map<String, @Nullable String> fields = new LinkedHashMap<>((columns.length - first) * 2);
    for (int i = first; i < columns.length; i++) {
      fields.put(columns[i], row[i].isEmpty() ? null : row[i]);
    }
    return switch (outcome) {
      case SUCCESS -> new IngestResult(jobId, outcome, row[0].isEmpty() ? null : row[0],
          Boolean.parseBoolean(row[1]), null, null, fields);
      case FAILURE -> {
        // sf__Error is "CODE:message:fields --".
        String error = row[1];
        int colon = error.indexOf(':');
        String code = colon < 0 ? error : error.substring(0, colon);
        String message = colon < 0 ? "" : error.substring(colon + 1);
        if (message.endsWith(" --")) {
          message = message.substring(0, message.length() - 3);
        }
        int last = message.lastIndexOf(':');
        if (last >= 0) {
          message = message.substring(0, last);
        }
        yield new IngestResult(jobId, outcome, row[0].isEmpty() ? null : row[0], false, code, message, fields);
      }
      case UNPROCESSED -> new IngestResult(jobId, outcome, null, false, null, null, fields);
    };
  }
}
