package io.forceflux.reactor.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.util.RaceTestUtils;
import tools.jackson.databind.JsonNode;

/**
 * {@link QueryStream}'s hand-written subscription under racing {@code request} and {@code cancel} calls from two
 * threads while pages arrive on a third: every record exactly once and in order, nothing after a cancel but a
 * prefix of the records, no error. Each race repeats a few hundred times; all waits are bounded.
 */
class QueryStreamRaceTests {
  private static final int RECORDS = 95;
  private static final int ROUNDS = 300;
  private static final Scheduler PAGES = Schedulers.newParallel("query-race-pages", 1);

  @AfterAll
  static void stop() {
    PAGES.dispose();
  }

  /** A stream of {@link #RECORDS} records in pages of 10, each page arriving on another thread. */
  private static QueryStream<JsonNode> stream(int prefetch) {
    QueryStreamTests.Server server = new QueryStreamTests.Server(RECORDS, 10);
    return new QueryStream<>(request -> server.fetch(request).publishOn(PAGES),
        QueryStream.PageRequest.start("SELECT Id FROM Account", false, 0), null, Page.Decoding.<JsonNode>bound(Json.recordReader(JsonNode.class)),
        prefetch);
  }

  @Test
  void racingRequestsDeliverEveryRecordOnceInOrder() throws InterruptedException {
    for (int round = 0; round < ROUNDS; round++) {
      Recorder r = new Recorder();
      stream(round % 3).subscribe(r);
      RaceTestUtils.race(() -> {
        for (int i = 0; i < 48; i++) {
          r.request(1);
        }
      }, () -> {
        for (int i = 0; i < 47; i++) {
          r.request(1);
        }
      });
      assertThat(r.done.await(5, TimeUnit.SECONDS)).as("round %d completes", round).isTrue();
      assertThat(r.error.get()).isNull();
      assertThat(r.ids()).as("round %d", round).containsExactlyElementsOf(expected(RECORDS));
    }
  }

  @Test
  void aRequestRacingACancelDeliversAPrefixAndThenNothing() throws InterruptedException {
    for (int round = 0; round < ROUNDS; round++) {
      Recorder r = new Recorder();
      stream(round % 3).subscribe(r);
      r.request(5);
      RaceTestUtils.race(() -> r.request(RECORDS), r::cancel);
      // Whatever arrived is the records from the first on, each once, and never an error or a completion that
      // outruns the records. A completion is fine only if every record arrived before the cancel won.
      r.quiesce();
      boolean completed = r.done.getCount() == 0;
      List<String> ids = r.ids();
      assertThat(ids).as("round %d", round).containsExactlyElementsOf(expected(ids.size()));
      assertThat(r.error.get()).isNull();
      if (completed) {
        assertThat(ids).hasSize(RECORDS);
      }
    }
  }

  @Test
  void racingCancelsAreHarmless() throws InterruptedException {
    for (int round = 0; round < ROUNDS; round++) {
      Recorder r = new Recorder();
      stream(1).subscribe(r);
      r.request(20);
      RaceTestUtils.race(r::cancel, r::cancel);
      r.quiesce();
      assertThat(r.ids()).containsExactlyElementsOf(expected(r.ids().size()));
      assertThat(r.error.get()).isNull();
    }
  }

  private static List<String> expected(int n) {
    List<String> ids = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      ids.add(Pages.id(i));
    }
    return ids;
  }

  /** Records what it receives; requests only when told. */
  private static final class Recorder extends BaseSubscriber<JsonNode> {
    final List<String> received = new ArrayList<>();
    final AtomicReference<@Nullable Throwable> error = new AtomicReference<>();
    final CountDownLatch done = new CountDownLatch(1);
    final AtomicInteger concurrentOnNext = new AtomicInteger();

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
      // no demand until the test asks
    }

    @Override
    protected void hookOnNext(JsonNode value) {
      // Reactive Streams rule 1.3: onNext is never called concurrently. A second caller would show up here.
      assertThat(concurrentOnNext.incrementAndGet()).as("concurrent onNext").isEqualTo(1);
      synchronized (received) {
        received.add(value.get("Id").stringValue());
      }
      concurrentOnNext.decrementAndGet();
    }

    @Override
    protected void hookOnComplete() {
      done.countDown();
    }

    @Override
    protected void hookOnError(Throwable e) {
      error.set(e);
      done.countDown();
    }

    List<String> ids() {
      synchronized (received) {
        return new ArrayList<>(received);
      }
    }

    /** Waits (bounded) until a page in flight on the page thread has been handled. */
    void quiesce() {
      Mono.fromRunnable(() -> { }).subscribeOn(PAGES).block(Duration.ofSeconds(5));
    }
  }
}
