package io.forceflux.testkit;

/**
 * Bulk API 2.0 sizes and allocations of the org, and its processing rate, which a test can change while the org
 * runs.
 */
final class BulkSettings {

  final long uploadLimitBytes;
  final int queryPageSize;
  final long queryJobsPerDay;
  final long ingestRecordsPerDay;
  private final long configuredRecordsPerSecond;
  private volatile long recordsPerSecond;

  BulkSettings(long uploadLimitBytes, int queryPageSize, long queryJobsPerDay, long ingestRecordsPerDay,
      long recordsPerSecond) {
    this.uploadLimitBytes = uploadLimitBytes;
    this.queryPageSize = queryPageSize;
    this.queryJobsPerDay = queryJobsPerDay;
    this.ingestRecordsPerDay = ingestRecordsPerDay;
    this.configuredRecordsPerSecond = recordsPerSecond;
    this.recordsPerSecond = recordsPerSecond;
  }

  long recordsPerSecond() {
    return recordsPerSecond;
  }

  void recordsPerSecond(long rate) {
    if (rate < 0) {
      throw new IllegalArgumentException("recordsPerSecond must not be negative: " + rate);
    }
    recordsPerSecond = rate;
  }

  /** Back to the configured rate. */
  void reset() {
    recordsPerSecond = configuredRecordsPerSecond;
  }
}
