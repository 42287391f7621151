package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.reactor.client.TestClients;
import io.forceflux.testkit.FakeOrg;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * The describe cache after its time to live: the client asks with {@code If-Modified-Since}, the org answers
 * {@code 304} (one API call, as Salesforce counts it) and the cached body is served.
 */
class DescribeNotModifiedTests {
  private static final Duration BOUND = Duration.ofSeconds(60);
  private static final Duration TTL = Duration.ofMinutes(15);

  private FakeOrg org;
  private ShiftedClock time;
  private SalesforceClient client;

  @BeforeEach
  void start() {
    org = FakeOrg.builder().accounts(10).build().start();
    time = new ShiftedClock();
    client = TestClients.builder(org).apiVersion("67.0").scheduler(time).describeCacheTtl(TTL).build();
  }

  @AfterEach
  void stop() {
    org.close();
  }

  @Test
  void withinTheTimeToLiveTheSecondDescribeCostsNoCall() {
    JsonNode first = client.describe("Account").block(BOUND);
    long before = org.stats().apiUsage();

    time.shift(TTL.minusSeconds(1));
    JsonNode second = client.describe("Account").block(BOUND);

    assertThat(org.stats().apiUsage()).isEqualTo(before);
    assertThat(org.notModifiedReplies()).isZero();
    assertThat(second).isEqualTo(first);
  }

  @Test
  void afterTheTimeToLiveA304CostsOneCallAndServesTheCachedBody() {
    JsonNode first = client.describe("Account").block(BOUND);
    long before = org.stats().apiUsage();

    time.shift(TTL.plusSeconds(1));
    JsonNode second = client.describe("Account").block(BOUND);

    assertThat(org.notModifiedReplies()).isEqualTo(1);
    assertThat(org.stats().apiUsage() - before).isEqualTo(1);
    assertThat(second).isEqualTo(first);
    assertThat(second.get("fields")).isNotEmpty();

    // The 304 renewed the entry: the next describe inside the new time to live costs nothing.
    time.shift(TTL.minusSeconds(1));
    assertThat(client.describe("Account").block(BOUND)).isEqualTo(first);
    assertThat(org.stats().apiUsage() - before).isEqualTo(1);
    assertThat(org.notModifiedReplies()).isEqualTo(1);
  }

  @Test
  void theCallerGetsACopyItCannotUseToChangeTheCache() {
    JsonNode first = client.describe("Contact").block(BOUND);
    ((tools.jackson.databind.node.ObjectNode) first).put("name", "Tampered");

    time.shift(TTL.plusSeconds(1));
    JsonNode second = client.describe("Contact").block(BOUND);

    assertThat(org.notModifiedReplies()).isEqualTo(1);
    assertThat(second.get("name").stringValue()).isEqualTo("Contact");
  }

  /** Real threads, with a clock the test moves forward: the cache's age is read from {@link #now}. */
  private static final class ShiftedClock implements Scheduler {
    private final Scheduler runner = Schedulers.parallel();
    private final AtomicLong offsetMillis = new AtomicLong();

    void shift(Duration by) {
      offsetMillis.addAndGet(by.toMillis());
    }

    @Override
    public long now(TimeUnit unit) {
      return unit.convert(runner.now(TimeUnit.MILLISECONDS) + offsetMillis.get(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Disposable schedule(Runnable task) {
      return runner.schedule(task);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
      return runner.schedule(task, delay, unit);
    }

    @Override
    public Worker createWorker() {
      return runner.createWorker();
    }
  }
}
