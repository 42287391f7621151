package io.forceflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BulkQuotaTests {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final BulkQuota quota = new BulkQuota(new BulkSettings(1024, 10, 2, 100, 10), clock);

  @Test
  void queryJobsRunOutAndComeBackAfterADayOfTheClock() {
    assertThat(quota.takeQueryJob()).isNull();
    assertThat(quota.takeQueryJob()).isNull();
    Reply refused = quota.takeQueryJob();
    assertThat(refused).isNotNull();
    assertThat(refused.status).isEqualTo(400);

    clock.advance(Duration.ofDays(1));

    assertThat(quota.takeQueryJob()).isNull();
  }

  @Test
  void ingestRecordsAreTakenWholeOrNotAtAll() {
    assertThat(quota.takeIngestRecords(60)).isNull();
    assertThat(quota.takeIngestRecords(41)).isNotNull();
    assertThat(quota.takeIngestRecords(40)).isNull();
  }

  @Test
  void limitsReportWhatIsLeftAndNeverBelowZero() {
    quota.takeQueryJob();
    quota.addQueryBytes(3L * 1024 * 1024);
    Map<String, Map<String, Long>> limits = new LinkedHashMap<>();

    quota.limits(limits);

    assertThat(limits.get("DailyBulkV2QueryJobs")).containsEntry("Max", 2L).containsEntry("Remaining", 1L);
    assertThat(limits.get("DailyBulkV2QueryFileStorageMB")).containsEntry("Remaining", 976_559L);
    assertThat(limits.get("DailyBulkV2IngestRecords")).containsEntry("Remaining", 100L);
  }
}
