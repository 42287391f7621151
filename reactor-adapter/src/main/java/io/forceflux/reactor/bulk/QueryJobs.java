package io.forceflux.reactor.bulk;

import static io.forceflux.reactor.bulk.JobTracker.BODY_RETRIES;
import static io.forceflux.reactor.bulk.JobTracker.ended;
import static io.forceflux.reactor.bulk.JobTracker.jobsPath;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.internal.Redaction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SynchronousSink;
import reactor.util.retry.Retry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.node.ObjectNode;

/** Query jobs: creating one, and reading a completed job's result pages as rows, one page at a time on demand. */
final class QueryJobs {
  private static final Pattern LOCATOR = Pattern.compile("[A-Za-z0-9+/=_-]{1,256}");
  private static final String NULL_LOCATOR = "null";

  private final BulkHttp http;
  private final Mono<String> apiVersion;
  private final BulkOptions options;
  private final JobTracker jobs;

  QueryJobs(BulkHttp http, Mono<String> apiVersion, BulkOptions options, JobTracker jobs) {
    this.http = http;
    this.apiVersion = apiVersion;
    this.options = options;
    this.jobs = jobs;
  }

  Flux<Map<String, @Nullable String>> startQuery(String soql, String operation) {
    Objects.requireNonNull(soql, "soql");
    if (soql.isBlank()) {
      throw new IllegalArgumentException("soql must not be blank");
    }
    return apiVersion.flatMap(v -> {
      ObjectNode body = DefaultBulkClient.JSON.createObjectNode();
      body.put("operation", operation);
      body.put("query", soql);
      body.put("contentType", "CSV");
      body.put("columnDelimiter", "COMMA");
      body.put("lineEnding", "LF");
      return http.json(HttpMethod.POST, jobsPath(v, "query"), body, true);
    }).map(JobTracker::jobInfo)
        .doOnNext(info -> jobs.event(BulkEvent.Kind.CREATED, info, 0))
        .flatMapMany(info -> awaitQuery(info.id()));
  }

  Flux<Map<String, @Nullable String>> awaitQuery(String jobId) {
    return jobs.await("query", jobId).flatMapMany(info -> info.state().equals("JobComplete")
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
        jobs.event(BulkEvent.Kind.PAGE, job, page.rows());
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
}
