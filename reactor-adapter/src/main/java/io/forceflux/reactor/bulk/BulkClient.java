package io.forceflux.reactor.bulk;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Salesforce Bulk API 2.0: ingest and query jobs that outlive any session, as backpressured {@link Flux}es. Get
 * one from {@link io.forceflux.reactor.client.SalesforceClient#bulk()}.
 *
 * <pre>{@code
 * salesforce.bulk().query("SELECT Id, Name FROM Account")
 *     .subscribe(row -> System.out.println(row.get("Id")));
 * salesforce.bulk().ingest(Ingest.insert("Account"), Flux.just(Map.of("Name", "Acme")))
 *     .filter(r -> r.outcome() != IngestResult.Outcome.SUCCESS)
 *     .subscribe(r -> log.warn("{} {}", r.errorCode(), r.errorMessage()));
 * }</pre>
 *
 * <p><b>Sessions.</b> Every step (create, upload, close, poll, each result page) goes through the client's
 * session filter: a step rejected with {@code INVALID_SESSION_ID} was not executed by Salesforce and is replayed
 * after the one shared refresh, so no job is created twice and no page is read twice into the output. An upload
 * is replayed byte for byte from its spool ({@link BulkOptions.Builder#spool}). After a <em>transport</em> failure
 * (the request may have run): polls and result pages are simply retried; a job creation is also retried, because
 * a job that never receives data is inert (an ingest job is never processed without its upload; a query job has
 * no side effect), at the price of possibly one empty orphan job; a replayed upload or close that Salesforce
 * refuses because the job already has its data or is already closed is taken as done.
 *
 * <p><b>Long jobs.</b> Jobs are polled with doubling delays on {@link BulkOptions.Builder#scheduler}. After
 * {@link BulkOptions.Builder#pollTimeout} the operation fails with a {@link BulkJobException} that is
 * {@link BulkJobException#resumable()}: the job is left running, and {@link #resumeIngest(String)} or
 * {@link #resumeQuery(String)} with its Id (from the exception, or from a {@link BulkEvent.Kind#CREATED} event)
 * continues it in this or another process.
 *
 * <p><b>Errors.</b> A job that ends {@code Failed} or {@code Aborted} signals a {@link BulkJobException} with
 * Salesforce's {@code errorMessage} (after an ingest's results, so no row is lost). A query Bulk API 2.0 refuses
 * (aggregates, {@code GROUP BY}, {@code OFFSET}, {@code TYPEOF}) fails at job creation with Salesforce's error.
 * A results page that is truncated, is not CSV, has rows of the wrong width, or names a next page with anything
 * but a locator token fails with {@code MALFORMED_RESPONSE} or {@code UNTRUSTED_URL}; the token is never sent
 * anywhere but the instance.
 */
public interface BulkClient {

  /**
   * A client over {@code web}, which must carry a {@link io.forceflux.reactor.SessionRecoveryFilter} as its
   * innermost filter (as {@link io.forceflux.reactor.client.SalesforceClient.Builder} builds it).
   *
   * @param apiVersion the API version for new jobs, like {@code 67.0}
   */
  static BulkClient create(WebClient web, Mono<String> apiVersion, BulkOptions options) {
    return new DefaultBulkClient(Objects.requireNonNull(web, "web"), Objects.requireNonNull(apiVersion, "apiVersion"),
        Objects.requireNonNull(options, "options"));
  }

  /**
   * The rows of a SOQL query run as a Bulk API 2.0 query job: created on subscription, polled until complete,
   * then read one results page at a time as demand reaches it (a page is requested only once the previous one has
   * been emitted; {@code request(1)} costs one page; cancelling stops all requests). Memory holds one page.
   *
   * @return each row as column name to value, in column order; an empty value is null (Bulk API 2.0 writes null
   *     and empty the same way)
   */
  Flux<Map<String, @Nullable String>> query(String soql);

  /** Like {@link #query(String)} including deleted and archived records ({@code queryAll}). */
  Flux<Map<String, @Nullable String>> queryAll(String soql);

  /** Like {@link #query(String)}, each row bound to {@code type} with Jackson (values are strings to coerce). */
  <T> Flux<T> query(String soql, Class<T> type);

  /**
   * The rows of an existing query job: polls it until complete, then reads its results as {@link #query(String)}
   * does, from the first page. Use it after a {@link BulkJobException} that is resumable, or in another process.
   */
  Flux<Map<String, @Nullable String>> resumeQuery(String jobId);

  /**
   * Loads records: each is turned into a CSV row (maps, Jackson {@code JsonNode}s and other objects through
   * Jackson; the first record's properties are the columns, later records may omit a column but not add one; a
   * null value is written as {@code #N/A}, which clears the field), rows are split into jobs at
   * {@link BulkOptions.Builder#jobSize}, at most {@link BulkOptions.Builder#jobsInFlight} jobs run at once, and each
   * job's result files are streamed back as they become available, never collected.
   *
   * @return one result per row, jobs interleaved, rows in no particular order (as Salesforce)
   */
  Flux<IngestResult> ingest(Ingest ingest, Publisher<?> records);

  /**
   * Like {@link #ingest(Ingest, Publisher)} from CSV text: the first element is the header row, every later element
   * one record (a CSV row with commas, quoted as CSV; it may hold quoted line breaks). Line endings at the end of
   * an element are ignored.
   */
  Flux<IngestResult> ingestCsv(Ingest ingest, Publisher<String> csvRows);

  /**
   * The results of an existing ingest job: polls it until it ends, then streams its result files. A job still
   * {@code Open} (its upload never finished) is failed with a {@link BulkJobException}: its data is not known.
   */
  Flux<IngestResult> resumeIngest(String jobId);
}
