package io.forceflux.reactor.bulk;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The implementation behind {@link BulkClient#create}: query jobs in {@link QueryJobs}, ingest jobs in
 * {@link IngestJobs}, what both share (job info, polling, events) in {@link JobTracker}.
 */
final class DefaultBulkClient implements BulkClient {
  static final JsonMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
      .build();

  private final QueryJobs queries;
  private final IngestJobs ingests;

  DefaultBulkClient(WebClient web, Mono<String> apiVersion, BulkOptions options) {
    BulkHttp http = new BulkHttp(web, options.maxPageBytes);
    JobTracker jobs = new JobTracker(http, apiVersion, options);
    this.queries = new QueryJobs(http, apiVersion, options, jobs);
    this.ingests = new IngestJobs(http, apiVersion, options, jobs);
  }

  // ---- query ----

  @Override
  public Flux<Map<String, @Nullable String>> query(String soql) {
    return queries.startQuery(soql, "query");
  }

  @Override
  public Flux<Map<String, @Nullable String>> queryAll(String soql) {
    return queries.startQuery(soql, "queryAll");
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
    JobTracker.checkJobId(jobId);
    return Flux.defer(() -> queries.awaitQuery(jobId));
  }

  // ---- ingest ----

  @Override
  public Flux<IngestResult> ingest(Ingest ingest, Publisher<?> records) {
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(records, "records");
    return Flux.defer(() -> {
      RecordRows rows = new RecordRows();
      return ingests.load(ingest, Flux.from(records).handle(rows::row), rows::header);
    });
  }

  @Override
  public Flux<IngestResult> ingestCsv(Ingest ingest, Publisher<String> csvRows) {
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(csvRows, "csvRows");
    return Flux.defer(() -> {
      CsvTextRows rows = new CsvTextRows();
      return ingests.load(ingest, Flux.from(csvRows).handle(rows::row), rows::header);
    });
  }

  @Override
  public Flux<IngestResult> resumeIngest(String jobId) {
    JobTracker.checkJobId(jobId);
    return Flux.defer(() -> ingests.awaitIngest(jobId));
  }
}
