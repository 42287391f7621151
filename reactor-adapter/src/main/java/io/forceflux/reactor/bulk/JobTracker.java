package io.forceflux.reactor.bulk;

import io.forceflux.core.error.ErrorFormat;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceError;
import io.forceflux.core.internal.Redaction;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** What query and ingest jobs share: job info, polling a job until it ends, and the events a job reports. */
final class JobTracker {
  private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9]{15}([A-Za-z0-9]{3})?");
  private static final Pattern VERSION = Pattern.compile("\\d{1,3}\\.\\d");
  /** Retries of a result page or file whose body broke off; the filter already retried the request itself. */
  static final int BODY_RETRIES = 3;

  private final BulkHttp http;
  private final Mono<String> apiVersion;
  private final BulkOptions options;

  JobTracker(BulkHttp http, Mono<String> apiVersion, BulkOptions options) {
    this.http = http;
    this.apiVersion = apiVersion;
    this.options = options;
  }

  static JobInfo jobInfo(JsonNode node) {
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

  Mono<JobInfo> info(String kind, String jobId) {
    // The job's own version is not known yet when resuming; any version reads job info.
    return apiVersion.flatMap(v -> http.json(HttpMethod.GET, jobsPath(v, kind) + "/" + jobId, null, false))
        .map(JobTracker::jobInfo);
  }

  /**
   * Polls until the job ends, with doubling delays on the injected scheduler. Past the poll timeout it fails with a
   * resumable {@link BulkJobException} and leaves the job alone.
   */
  Mono<JobInfo> await(String kind, String jobId) {
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

  static BulkJobException ended(JobInfo info) {
    String message = info.errorMessage() == null ? "" : info.errorMessage();
    SalesforceError error = new SalesforceError(200, ErrorFormat.REST_JSON, "JOB_" + info.state().toUpperCase(
        java.util.Locale.ROOT), Redaction.snippet(message, 500), List.of(), "");
    return new BulkJobException(FailureCause.API_ERROR, "job " + info.id() + " ended " + info.state()
        + (message.isEmpty() ? "" : ": " + Redaction.snippet(message, 300)), error, info.id(), info.state(), false);
  }

  void event(BulkEvent.Kind kind, JobInfo info, long count) {
    event(kind, info.id(), info.state(), count);
  }

  void event(BulkEvent.Kind kind, String jobId, String state, long count) {
    try {
      options.listener.accept(new BulkEvent(kind, jobId, state, count));
    } catch (RuntimeException e) {
      // A listener's failure is not the job's.
    }
  }

  static String jobsPath(String version, String kind) {
    return "/services/data/v" + version + "/jobs/" + kind;
  }

  static void checkJobId(String jobId) {
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
