package io.forceflux.cli;

import io.forceflux.core.error.SalesforceException;
import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.reactor.client.Query;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.FakeOrgStats;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** One run of the demo: the stream, then the load, with sessions dying throughout. */
final class DemoRun {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final int MAX_IDS = 100_000;

  private final DemoCommand options;
  private final FakeOrg org;
  private final SalesforceClient client;
  private final PageCounter pages;
  private final InFlight inFlight;
  private final DemoCommand.Counting counting;
  private final Progress.Factory progress;
  private final DemoResults results = new DemoResults();

  DemoRun(DemoCommand options, FakeOrg org, SalesforceClient client, PageCounter pages, InFlight inFlight,
      DemoCommand.Counting counting, Progress.Factory progress) {
    this.options = options;
    this.org = org;
    this.client = client;
    this.pages = pages;
    this.inFlight = inFlight;
    this.counting = counting;
    this.progress = progress;
  }

  DemoResults run(CachingTokenSource tokens, long seed) {
    try (Chaos chaos = new Chaos(org, tokens, inFlight, options.expireEvery, options.revokeEvery, seed)) {
      chaos.start();
      String[] ids = stream(chaos);
      load(chaos, ids, seed);
      chaos.close();
      results.chaos(chaos);
    }
    return results;
  }

  /** Phase 1: every Account as a Flux, a page requested only when the records before it were consumed. */
  private String[] stream(Chaos chaos) {
    // Ids for the load's reads and updates: the first ones streamed are plenty.
    String[] ids = new String[Math.min(options.accounts, MAX_IDS)];
    AtomicLong count = new AtomicLong();
    AtomicLong disorder = new AtomicLong();
    AtomicReference<String> last = new AtomicReference<>("");
    long started = System.nanoTime();
    try (Progress bar = progress.start("Stream", options.accounts, " rec");
        Status status = new Status(bar, chaos, () -> status(pages.pages(), "pages"))) {
      client.query(Query.of("SELECT Id, Name FROM Account ORDER BY Id").resumable(true).batchSize(options.batchSize))
          .doOnNext(record -> {
            String id = record.path("Id").asString("");
            long n = count.getAndIncrement();
            if (n < ids.length) {
              ids[(int) n] = id;
            }
            if (id.compareTo(last.getAndSet(id)) <= 0) {
              disorder.incrementAndGet(); // out of order, or the same record twice
            }
            bar.stepBy(1);
          })
          .then()
          .block(TIMEOUT);
    }
    results.records = count.get();
    results.outOfOrder = disorder.get();
    results.pages = pages.pages();
    results.streamMs = (System.nanoTime() - started) / 1_000_000;
    results.streamReplays = counting.replays.get();
    return ids;
  }

  /** Phase 2: a seeded mix of reads and writes, {@code concurrency} in flight. */
  private void load(Chaos chaos, String[] ids, long seed) {
    int requests = options.requests;
    int known = (int) Math.min(results.records, ids.length);
    long[] latency = new long[requests];
    AtomicLong failed = new AtomicLong();
    Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    long started = System.nanoTime();
    try (Progress bar = progress.start("Load  ", requests, " req");
        Status status = new Status(bar, chaos, () -> status(counting.replays.get(), "replays"))) {
      Flux.range(0, requests)
          .flatMap(i -> {
            SplittableRandom random = new SplittableRandom(seed ^ (i * 0x9E3779B97F4A7C15L));
            DemoCommand.Op op = DemoCommand.Op.pick(random.nextInt(100));
            results.count(op);
            String id = known == 0 ? null : ids[random.nextInt(known)];
            long t0 = System.nanoTime();
            return call(op, id, i)
                .doOnSuccess(v -> latency[i] = System.nanoTime() - t0)
                .onErrorResume(e -> {
                  latency[i] = System.nanoTime() - t0;
                  failed.incrementAndGet();
                  failures.computeIfAbsent(describe(e), k -> new AtomicLong()).incrementAndGet();
                  return Mono.empty();
                })
                // Before the completion travels on: doFinally would run after it, so the last step could land
                // after block() returned and the bar closed at 299/300.
                .doOnTerminate(() -> bar.stepBy(1));
          }, options.concurrency)
          .then()
          .block(TIMEOUT);
    }
    results.loadMs = (System.nanoTime() - started) / 1_000_000;
    results.requests = requests;
    results.failed = failed.get();
    results.failures = failures;
    Arrays.sort(latency);
    results.p50Ms = percentile(latency, 0.50);
    results.p99Ms = percentile(latency, 0.99);
  }

  private Mono<?> call(DemoCommand.Op op, @Nullable String id, int i) {
    return switch (op) {
      case GET -> id == null ? client.limits() : client.get("Account", id, "Id", "Name");
      case CREATE -> client.create("Account", Map.of("Name", "Demo " + i))
          .flatMap(result -> {
            if (!result.success()) {
              return Mono.error(new IllegalStateException("create failed: " + result.errors()));
            }
            results.createsSucceeded.incrementAndGet();
            return Mono.just(result);
          });
      case UPDATE -> id == null ? client.limits()
          : client.update("Account", id, Map.of("Name", "Demo update " + i)).thenReturn(Boolean.TRUE);
      case LIMITS -> client.limits();
      case QUERY_PAGE -> client.query(Query.of("SELECT Id, Name FROM Account LIMIT 200")).count();
    };
  }

  private static String describe(Throwable e) {
    SalesforceException se = ForceFlux.salesforceCause(e);
    return se != null ? se.failureCause().name() : e.getClass().getSimpleName();
  }

  /** The nearest-rank percentile, in milliseconds with two decimals. */
  static double percentile(long[] sortedNanos, double p) {
    if (sortedNanos.length == 0) {
      return 0;
    }
    int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(p * sortedNanos.length) - 1);
    return Math.round(sortedNanos[Math.max(0, index)] / 10_000.0) / 100.0;
  }

  private String status(long count, String unit) {
    FakeOrgStats st = org.stats();
    return String.format(Locale.ROOT, "· %,d %s · %d killed · %d token req · %,d 401s", count, unit,
        st.sessionsExpired(), st.tokenRequests(), st.unauthorized401());
  }

  /** Keeps a progress bar's extra message current while it is shown, and final when it closes. */
  private static final class Status implements AutoCloseable {
    private final Progress bar;
    private final Supplier<String> message;
    private final @Nullable AutoCloseable task;

    Status(Progress bar, Chaos chaos, Supplier<String> message) {
      this.bar = bar;
      this.message = message;
      this.task = bar.shown() ? chaos.every(Duration.ofMillis(250), () -> bar.extra(message.get())) : null;
    }

    @Override
    public void close() {
      if (task != null) {
        try {
          task.close();
        } catch (Exception ignored) {
          // cancelling a scheduled task does not fail
        }
        bar.extra(message.get());
      }
    }
  }
}
