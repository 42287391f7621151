package io.forceflux.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The Bulk API 2.0 allocations per 24 hours of the org's clock: query jobs, ingest records and query result bytes.
 * The window starts at the first use after the previous one ended.
 */
final class BulkQuota {

  private static final Duration DAY = Duration.ofDays(1);

  private final BulkSettings settings;
  private final Clock clock;
  private Instant windowStart = Instant.EPOCH;
  private long queryJobsToday;
  private long ingestRecordsToday;
  private long queryBytesToday;

  BulkQuota(BulkSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** Counts {@code rows} ingest records, or answers 400 {@code ExceededQuota} without counting them. */
  synchronized @Nullable Reply takeIngestRecords(long rows) {
    rollWindow();
    if (ingestRecordsToday + rows > settings.ingestRecordsPerDay) {
      return Reply.restError(400, "ExceededQuota", "Bulk API 2.0 ingest records limit of "
          + settings.ingestRecordsPerDay + " per 24 hours reached");
    }
    ingestRecordsToday += rows;
    return null;
  }

  /** Counts one query job, or answers 400 {@code ExceededQuota} without counting it. */
  synchronized @Nullable Reply takeQueryJob() {
    rollWindow();
    if (queryJobsToday >= settings.queryJobsPerDay) {
      return Reply.restError(400, "ExceededQuota", "DailyBulkV2QueryJobs limit of "
          + settings.queryJobsPerDay + " reached");
    }
    queryJobsToday++;
    return null;
  }

  synchronized void addQueryBytes(long bytes) {
    queryBytesToday += bytes;
  }

  /** The bulk entries of {@code /limits}. */
  synchronized void limits(Map<String, Map<String, Long>> limits) {
    rollWindow();
    RestEndpoint.limit(limits, "DailyBulkV2QueryFileStorageMB", 976_562,
        976_562 - queryBytesToday / (1024 * 1024));
    RestEndpoint.limit(limits, "DailyBulkV2QueryJobs", settings.queryJobsPerDay,
        settings.queryJobsPerDay - queryJobsToday);
    RestEndpoint.limit(limits, "DailyBulkV2IngestRecords", settings.ingestRecordsPerDay,
        settings.ingestRecordsPerDay - ingestRecordsToday);
  }

  private void rollWindow() {
    Instant now = clock.instant();
    if (!now.isBefore(windowStart.plus(DAY))) {
      windowStart = now;
      queryJobsToday = 0;
      ingestRecordsToday = 0;
      queryBytesToday = 0;
    }
  }
}
