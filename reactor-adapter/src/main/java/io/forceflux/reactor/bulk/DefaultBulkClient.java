package io.forceflux.reactor.bulk;

import io.forceflux.core.error.ErrorFormat;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceError;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.internal.Redaction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The implementation behind {@link BulkClient#create}. */
final class DefaultBulkClient implements BulkClient {
  static final JsonMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
      .build();
  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9]{15}([A-Za-z0-9]{3})?");
  private static final Pattern LOCATOR = Pattern.compile("[A-Za-z0-9+/=_-]{1,256}");
  private static final Pattern VERSION = Pattern.compile("\\d{1,3}\\.\\d");
  private static final String NULL_LOCATOR = "null";
  /** Retries of a result page or file whose body broke off; the filter already retried the request itself. */
  private static final int BODY_RETRIES = 3;

  private final BulkHttp http;
  private final Mono<String> apiVersion;
  private final BulkOptions options;

  DefaultBulkClient(WebClient web, Mono<String> apiVersion, BulkOptions options) {
    this.http = new BulkHttp(web, options.maxPageBytes);
    this.apiVersion = apiVersion;
    this.options = options;
  }

  // ---- query ----

  @Override
  public Flux<Map<String, @Nullable String>> query(String soql) {
    return startQuery(soql, "query");
  }

  @Override
  public Flux<Map<String, @Nullable String>> queryAll(String soql) {
    return startQuery(soql, "queryAll");
  }

  @Override
  public <T> Flux<T> query(String soql, Class<T> type) {
    Objects.requireNonNull(type, "type");
    return query(soql).handle((row, sink) -> {
      try {
        sink.next(JSON.convertValue(row, type));
      } catch (JacksonException e) {
        sink.error(BulkHttp.malformed("a row could not be bound to " + type.getSimpleName() + " ("
            + e.getClass().getSimpleName() + ")"));
      }
    });
  }

  @Override
  public Flux<Map<String, @Nullable String>> resumeQuery(String jobId) {
    checkJobId(jobId);
    return Flux.defer(() -> awaitQuery(jobId));
  }

  private Flux<Map<String, @Nullable String>> startQuery(String soql, String operation) {
    Objects.requireNonNull(soql, "soql");
    if (soql.isBlank()) {
      throw new IllegalArgumentException("soql must not be blank");
    }
    return apiVersion.flatMap(v -> {
      ObjectNode body = JSON.createObjectNode();
      body.put("operation", operation);
      body.put("query", soql);
      body.put("contentType", "CSV");
      body.put("columnDelimiter", "COMMA");
      body.put("lineEnding", "LF");
      return http.json(HttpMethod.POST, jobsPath(v, "query"), body, true);
    }).map(DefaultBulkClient::jobInfo)
        .doOnNext(info -> event(BulkEvent.Kind.CREATED, info, 0))
        .flatMapMany(info -> awaitQuery(info.id()));
  }

  private Flux<Map<String, @Nullable String>> awaitQuery(String jobId) {
    return await("query", jobId).flatMapMany(info -> info.state().equals("JobComplete")
        ? pages(info) : Flux.error(ended(info)));
  }

  /**
   * The pages of a completed job, one at a time: the locator of page k+1 is known only from page k, and the
   * next locator is emitted only when the previous page's rows have all been emitted ({@code concatMap} without
   * prefetch), so demand alone decides when a page is requested.
   */
  private Flux<Map<String, @Nullable String>> pages(JobInfo job) {
    return Flux.defer(() -> {
      AtomicReference<@Nullable String> next = new AtomicReference<>("");
      return Flux.<String>generate(sink -> {
        String locator = next.get();
        if (locator == null) {
          sink.complete();
        } else {
          sink.next(locator);
        }
      }).concatMap(locator -> page(job, locator).flatMapMany(page -> {
        next.set(page.next());
        event(BulkEvent.Kind.PAGE, job, page.rows());
        return rows(page.csv(), job.id());
      }), 0);
    });
  }

  private record ParsedPage(byte[] csv, long rows, @Nullable String next) {}

  private Mono<ParsedPage> page(JobInfo job, String locator) {
    StringBuilder path = new StringBuilder(jobsPath(job.apiVersion(), "query")).append('/').append(job.id())
        .append("/results");
    char sep = '?';
    if (!locator.isEmpty()) {
      // The token was checked against LOCATOR; encoding keeps base64's '+', '/' and '=' intact in a query string.
      path.append("?locator=").append(java.net.URLEncoder.encode(locator, StandardCharsets.UTF_8));
      sep = '&';
    }
    if (options.maxRecordsPerPage > 0) {
      path.append(sep).append("maxRecords=").append(options.maxRecordsPerPage);
    }
    String what = "results page of job " + job.id();
    return http.page(path.toString())
        .<ParsedPage>handle((page, sink) -> {
          String contentType = page.contentType();
          if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).contains("csv")) {
            sink.error(BulkHttp.malformed(what + " is not CSV (" + Redaction.snippet(String.valueOf(contentType), 60)
                + ")"));
            return;
          }
          String next = page.locator();
          if (next == null || (!next.equals(NULL_LOCATOR) && !LOCATOR.matcher(next).matches())) {
            sink.error(next == null ? BulkHttp.malformed(what + " has no Sforce-Locator header")
                : SalesforceException.of(FailureCause.UNTRUSTED_URL, what + ": Sforce-Locator is not a locator "
                    + "token (refused, never requested): " + Redaction.snippet(next, 80)));
            return;
          }
          long declared;
          try {
            declared = Long.parseLong(String.valueOf(page.numberOfRecords()));
          } catch (NumberFormatException e) {
            sink.error(BulkHttp.malformed(what + " has no valid Sforce-NumberOfRecords header"));
            return;
          }
          long lines = CsvRows.completeRows(page.body());
          if (lines < 1 || lines - 1 != declared) {
            sink.error(SalesforceException.of(FailureCause.MALFORMED_RESPONSE, what + " is truncated or malformed: "
                + (lines < 0 ? "it does not end with a complete row" : (lines - 1) + " rows where Sforce-NumberOfRecords "
                + "says " + declared)));
            return;
          }
          sink.next(new ParsedPage(page.body(), declared, next.equals(NULL_LOCATOR) ? null : next));
        })
        // Same locator, same rows, and nothing of this page was emitted yet: a broken-off body is fetched again.
        .retryWhen(Retry.max(BODY_RETRIES).filter(BulkHttp::isTransport).onRetryExhaustedThrow((s, r) -> r.failure()));
  }

  /** The rows of a complete, checked page, decoded one at a time as they are requested. */
  private static Flux<Map<String, @Nullable String>> rows(byte[] csv, String jobId) {
    return Flux.<Map<String, @Nullable String>, RowCursor>generate(
        () -> new RowCursor(CsvRows.reader(',').readValues(csv)),
        (cursor, sink) -> {
          cursor.next(sink, jobId);
          return cursor;
        },
        cursor -> cursor.rows.close());
  }

  private static final class RowCursor {
    final MappingIterator<String[]> rows;
    String @Nullable [] header;

    RowCursor(MappingIterator<String[]> rows) {
      this.rows = rows;
    }

    void next(SynchronousSink<Map<String, @Nullable String>> sink, String jobId) {
      try {
        if (header == null) {
          if (!rows.hasNextValue()) {
            sink.complete();
            return;
          }
          header = rows.nextValue();
        }
        if (!rows.hasNextValue()) {
          sink.complete();
          return;
        }
        String[] row = rows.nextValue();
        if (row.length != header.length) {
          sink.error(BulkHttp.malformed("a results row of job " + jobId + " has " + row.length
              + " values for " + header.length + " columns"));
          return;
        }
        Map<String, @Nullable String> map = new LinkedHashMap<>(header.length * 2);
        for (int i = 0; i < header.length; i++) {
          map.put(header[i], row[i].isEmpty() ? null : row[i]);
        }
        sink.next(map);
      } catch (JacksonException e) {
        sink.error(BulkHttp.malformed("a results page of job " + jobId + " is not valid CSV ("
            + e.getClass().getSimpleName() + ")"));
      }
    }
  }

  // ---- polling ----

  record JobInfo(String id, String state, String apiVersion, long processed, long failed,
      @Nullable String errorMessage) {}

  private static JobInfo jobInfo(JsonNode node) {
    String id = text(node, "id");
    String state = text(node, "state");
    JsonNode version = node.get("apiVersion");
    String v = version == null ? null : version.isNumber() ? String.format(java.util.Locale.ROOT, "%.1f",
        version.doubleValue()) : version.asString();
    if (id == null || !JOB_ID.matcher(id).matches() || state == null || v == null || !VERSION.matcher(v).matches()) {
      throw BulkHttp.malformed("the job info has no valid id, state or apiVersion");
    }
    JsonNode processed = node.get("numberRecordsProcessed");
    JsonNode failed = node.get("numberRecordsFailed");
    return new JobInfo(id, state, v, processed == null ? 0 : processed.asLong(), failed == null ? 0 : failed.asLong(),
        text(node, "errorMessage"));
  }

  private Mono<JobInfo> info(String kind, String jobId) {
    // The job's own version is not known yet when resuming; any version reads job info.
    return apiVersion.flatMap(v -> http.json(HttpMethod.GET, jobsPath(v, kind) + "/" + jobId, null, false))
        .map(DefaultBulkClient::jobInfo);
  }

  /**
   * Polls until the job ends, with doubling delays on the injected scheduler. Past the poll timeout it fails with a
   * resumable {@link BulkJobException} and leaves the job alone.
   */
  private Mono<JobInfo> await(String kind, String jobId) {
    return Mono.defer(() -> {
      long start = options.scheduler.now(TimeUnit.MILLISECONDS);
      AtomicReference<@Nullable JobInfo> last = new AtomicReference<>();
      return info(kind, jobId)
          .doOnNext(info -> {
            last.set(info);
            event(BulkEvent.Kind.STATE, info, info.processed());
          })
          .flatMap(info -> {
            if (info.state().equals("Open")) {
              return Mono.error(new BulkJobException(FailureCause.API_ERROR, "job " + jobId + " is still Open: its "
                  + "upload was never completed, so it cannot be resumed; abort it", null, jobId, "Open", false));
            }
            return terminal(info.state()) ? Mono.just(info) : Mono.empty();
          })
          .repeatWhenEmpty(polls -> polls.concatMap(n -> {
            long elapsed = options.scheduler.now(TimeUnit.MILLISECONDS) - start;
            long left = options.pollTimeout.toMillis() - elapsed;
            if (left <= 0) {
              JobInfo seen = last.get();
              String state = seen == null ? "unknown" : seen.state();
              return Mono.error(new BulkJobException(FailureCause.SERVER_UNAVAILABLE, "job " + jobId + " is still "
                  + state + " after polling for " + options.pollTimeout + "; it was left running: resume it with "
                  + (kind.equals("query") ? "bulk().resumeQuery(\"" : "bulk().resumeIngest(\"") + jobId
                  + "\") or 'forceflux bulk " + (kind.equals("query") ? "query" : "load") + " --resume " + jobId
                  + "'", null, jobId, state, true));
            }
            return Mono.delay(Duration.ofMillis(Math.min(left, delay(n))), options.scheduler);
          }));
    });
  }

  private long delay(long poll) {
    long first = options.pollInterval.toMillis();
    long max = options.maxPollInterval.toMillis();
    return poll >= 30 ? max : Math.min(max, first << poll);
  }

  private static boolean terminal(String state) {
    return state.equals("JobComplete") || state.equals("Failed") || state.equals("Aborted");
  }

  private static BulkJobException ended(JobInfo info) {
    String message = info.errorMessage() == null ? "" : info.errorMessage();
    SalesforceError error = new SalesforceError(200, ErrorFormat.REST_JSON, "JOB_" + info.state().toUpperCase(
        java.util.Locale.ROOT), Redaction.snippet(message, 500), List.of(), "");
    return new BulkJobException(FailureCause.API_ERROR, "job " + info.id() + " ended " + info.state()
        + (message.isEmpty() ? "" : ": " + Redaction.snippet(message, 300)), error, info.id(), info.state(), false);
  }

  // ---- ingest ----

  @Override
  public Flux<IngestResult> ingest(Ingest ingest, Publisher<?> records) {
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(records, "records");
    return Flux.defer(() -> {
      RecordRows rows = new RecordRows();
      return load(ingest, Flux.from(records).handle(rows::row), rows::header);
    });
  }

  @Override
  public Flux<IngestResult> ingestCsv(Ingest ingest, Publisher<String> csvRows) {
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(csvRows, "csvRows");
    return Flux.defer(() -> {
      CsvTextRows rows = new CsvTextRows();
      return load(ingest, Flux.from(csvRows).handle(rows::row), rows::header);
    });
  }

  @Override
  public Flux<IngestResult> resumeIngest(String jobId) {
    checkJobId(jobId);
    return Flux.defer(() -> awaitIngest(jobId));
  }

  /**
   * Splits rows into jobs and runs up to {@code jobsInFlight} of them. Rows are spooled on a bounded-elastic
   * thread (a spool may be a file); the header is known once the first row has been made.
   */
  private Flux<IngestResult> load(Ingest ingest, Flux<byte[]> rows, java.util.function.Supplier<byte[]> header) {
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
      ObjectNode body = JSON.createObjectNode();
      body.put("object", ingest.object());
      body.put("operation", ingest.operation().wireName());
      if (ingest.externalIdField() != null) {
        body.put("externalIdFieldName", ingest.externalIdField());
      }
      body.put("contentType", "CSV");
      body.put("columnDelimiter", "COMMA");
      body.put("lineEnding", "LF");
      return http.json(HttpMethod.POST, jobsPath(v, "ingest"), body, true);
    }).map(DefaultBulkClient::jobInfo)
        .flatMap(job -> {
          event(BulkEvent.Kind.CREATED, job, 0);
          return upload(job, chunk)
              .doOnSuccess(x -> event(BulkEvent.Kind.UPLOADED, job.id(), "Open", chunk.rows()))
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
            e -> info("ingest", job.id()).flatMap(now -> now.state().equals("Open") ? Mono.empty() : Mono.error(e)));
  }

  private Mono<Void> close(JobInfo job) {
    ObjectNode body = JSON.createObjectNode().put("state", "UploadComplete");
    return http.json(HttpMethod.PATCH, jobsPath(job.apiVersion(), "ingest") + "/" + job.id(), body, true)
        // Refused because it is no longer Open: a replayed close whose first attempt got through.
        .onErrorResume(e -> BulkHttp.hasCode(e, "INVALIDJOBSTATE"),
            e -> info("ingest", job.id()).flatMap(now -> now.state().equals("Open") ? Mono.error(e) : Mono.empty()))
        .then();
  }

  private Mono<Void> abort(JobInfo job) {
    ObjectNode body = JSON.createObjectNode().put("state", "Aborted");
    return http.json(HttpMethod.PATCH, jobsPath(job.apiVersion(), "ingest") + "/" + job.id(), body, false)
        .then()
        .onErrorResume(e -> Mono.empty());
  }

  private Flux<IngestResult> awaitIngest(String jobId) {
    return await("ingest", jobId).flatMapMany(info -> {
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

  // ---- plumbing ----

  private void event(BulkEvent.Kind kind, JobInfo info, long count) {
    event(kind, info.id(), info.state(), count);
  }

  private void event(BulkEvent.Kind kind, String jobId, String state, long count) {
    try {
      options.listener.accept(new BulkEvent(kind, jobId, state, count));
    } catch (RuntimeException e) {
      // A listener's failure is not the job's.
    }
  }

  private static String jobsPath(String version, String kind) {
    return "/services/data/v" + version + "/jobs/" + kind;
  }

  private static void checkJobId(String jobId) {
    Objects.requireNonNull(jobId, "jobId");
    if (!JOB_ID.matcher(jobId).matches()) {
      throw new IllegalArgumentException("jobId is not a 15- or 18-character Salesforce Id: "
          + Redaction.snippet(jobId, 40));
    }
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || !v.isString() ? null : v.stringValue();
  }
}
