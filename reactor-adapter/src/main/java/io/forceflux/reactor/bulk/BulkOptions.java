package io.forceflux.reactor.bulk;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Immutable options of a {@link BulkClient}. Every option has a default; invalid values fail in the builder.
 *
 * <pre>{@code
 * BulkClient bulk = salesforce.bulk(BulkOptions.builder().jobsInFlight(2).pollTimeout(Duration.ofHours(4)).build());
 * }</pre>
 */
public final class BulkOptions {
  private static final int MIB = 1024 * 1024;
  private static final BulkOptions DEFAULTS = builder().build();

  final Scheduler scheduler;
  final Duration pollInterval;
  final Duration maxPollInterval;
  final Duration pollTimeout;
  final long maxRecordsPerJob;
  final long maxBytesPerJob;
  final int jobsInFlight;
  final int spoolMemoryBytes;
  final @Nullable Path spoolDirectory;
  final int maxPageBytes;
  final int maxRecordsPerPage;
  final Consumer<BulkEvent> listener;

  private BulkOptions(Builder b) {
    this.scheduler = b.scheduler;
    this.pollInterval = b.pollInterval;
    this.maxPollInterval = b.maxPollInterval;
    this.pollTimeout = b.pollTimeout;
    this.maxRecordsPerJob = b.maxRecordsPerJob;
    this.maxBytesPerJob = b.maxBytesPerJob;
    this.jobsInFlight = b.jobsInFlight;
    this.spoolMemoryBytes = b.spoolMemoryBytes;
    this.spoolDirectory = b.spoolDirectory;
    this.maxPageBytes = b.maxPageBytes;
    this.maxRecordsPerPage = b.maxRecordsPerPage;
    this.listener = b.listener;
  }

  /** The options with every default. */
  public static BulkOptions defaults() {
    return DEFAULTS;
  }

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link BulkOptions}. */
  public static final class Builder {
    private Scheduler scheduler = Schedulers.parallel();
    private Duration pollInterval = Duration.ofSeconds(1);
    private Duration maxPollInterval = Duration.ofSeconds(30);
    private Duration pollTimeout = Duration.ofHours(1);
    private long maxRecordsPerJob = 10_000_000;
    private long maxBytesPerJob = 100L * MIB;
    private int jobsInFlight = 4;
    private int spoolMemoryBytes = 8 * MIB;
    private @Nullable Path spoolDirectory;
    private int maxPageBytes = 64 * MIB;
    private int maxRecordsPerPage;
    private Consumer<BulkEvent> listener = e -> { };

    private Builder() {}

    /** The scheduler poll delays run on (virtual time in tests). Default {@link Schedulers#parallel()}. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * The delay before the second look at a job; each later delay doubles, up to {@code maxPollInterval}.
     * Default 1 s; range 1 ms..10 min.
     */
    public Builder pollInterval(Duration first, Duration max) {
      check(first, Duration.ofMillis(1), Duration.ofMinutes(10), "pollInterval");
      check(max, first, Duration.ofMinutes(10), "maxPollInterval");
      this.pollInterval = first;
      this.maxPollInterval = max;
      return this;
    }

    /**
     * How long to poll a job before giving up with a resumable {@link BulkJobException}; the job is never
     * aborted for it. Default 1 h; range 1 ms..7 days (Salesforce deletes jobs after 7 days).
     */
    public Builder pollTimeout(Duration timeout) {
      check(timeout, Duration.ofMillis(1), Duration.ofDays(7), "pollTimeout");
      this.pollTimeout = timeout;
      return this;
    }

    /**
     * Where an ingest is split into jobs: before the row that would take a job past {@code records} rows or
     * {@code bytes} of CSV (header included). Defaults 10,000,000 rows and 100 MiB (Salesforce takes at most
     * 150 MB after base64, about 100 MiB of CSV); ranges 1..150,000,000 and 1 KiB..100 MiB.
     */
    public Builder jobSize(long records, long bytes) {
      if (records < 1 || records > 150_000_000L) {
        throw new IllegalArgumentException("records per job must be 1..150000000: " + records);
      }
      if (bytes < 1024 || bytes > 100L * MIB) {
        throw new IllegalArgumentException("bytes per job must be 1 KiB..100 MiB: " + bytes);
      }
      this.maxRecordsPerJob = records;
      this.maxBytesPerJob = bytes;
      return this;
    }

    /** Ingest jobs uploaded, processing or downloading at once. Default 4; range 1..25. */
    public Builder jobsInFlight(int jobs) {
      if (jobs < 1 || jobs > 25) {
        throw new IllegalArgumentException("jobsInFlight must be 1..25: " + jobs);
      }
      this.jobsInFlight = jobs;
      return this;
    }

    /**
     * How an ingest job's CSV is held until Salesforce has it (it is re-sent byte for byte if the upload is
     * replayed after a session death): in memory up to {@code memoryBytes}, then in a temporary file in
     * {@code directory} (null: {@code java.io.tmpdir}), deleted once the job is closed. Default 8 MiB; range
     * 0..100 MiB (0 spools every job to disk).
     */
    public Builder spool(int memoryBytes, @Nullable Path directory) {
      if (memoryBytes < 0 || memoryBytes > 100 * MIB) {
        throw new IllegalArgumentException("memoryBytes must be 0..100 MiB: " + memoryBytes);
      }
      this.spoolMemoryBytes = memoryBytes;
      this.spoolDirectory = directory;
      return this;
    }

    /**
     * The largest query results page held (one page is in memory at a time); a larger page fails with
     * {@code RESPONSE_TOO_LARGE}. Default 64 MiB; range 64 KiB..1 GiB.
     */
    public Builder maxPageBytes(int bytes) {
      if (bytes < 64 * 1024 || bytes > 1024 * MIB) {
        throw new IllegalArgumentException("maxPageBytes must be 64 KiB..1 GiB: " + bytes);
      }
      this.maxPageBytes = bytes;
      return this;
    }

    /**
     * Rows per query results page, sent as {@code maxRecords}. Default 0: not sent, Salesforce picks (pages of
     * tens of thousands of rows). Range 0..10,000,000.
     */
    public Builder maxRecordsPerPage(int records) {
      if (records < 0 || records > 10_000_000) {
        throw new IllegalArgumentException("maxRecordsPerPage must be 0..10000000: " + records);
      }
      this.maxRecordsPerPage = records;
      return this;
    }

    /**
     * Receives progress (jobs created, rows uploaded, states polled, pages read), on whatever thread the step ran.
     * It must not block or throw. Default: none.
     */
    public Builder listener(Consumer<BulkEvent> listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The options. */
    public BulkOptions build() {
      return new BulkOptions(this);
    }

    private static void check(Duration d, Duration min, Duration max, String what) {
      Objects.requireNonNull(d, what);
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw new IllegalArgumentException(what + " must be " + min + ".." + max + ": " + d);
      }
    }
  }
}
