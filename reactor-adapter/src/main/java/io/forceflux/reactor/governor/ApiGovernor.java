package io.forceflux.reactor.governor;

import io.forceflux.core.error.ApiLimitException;
import io.forceflux.core.error.LimitInfo;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

/**
 * Keeps the clients of one credential inside the org's API limits, before Salesforce has to say
 * {@code REQUEST_LIMIT_EXCEEDED}.
 *
 * <ul>
 *   <li><b>Daily allowance.</b> Every response's {@code Sforce-Limit-Info: api-usage=N/M} updates a view of the
 *       org's usage ({@link #usage()}). The governor counts each call it lets through before sending it, so the
 *       view is an upper bound on what the org will have counted once the calls in flight finish: calls are
 *       refused (fail fast with {@link ApiLimitException}, reason {@code DAILY_RESERVE}, nothing sent) once
 *       spending one more would enter the reserve, {@code ceil(M × reserve)} calls. A call wrapped with
 *       {@link #critical(Mono)} may spend the reserve, never more than {@code M}. The view is seeded by one
 *       {@code GET /limits} before the first request ({@link #seedWith(Mono)}); without a seed, until the first
 *       response says what {@code M} is, calls pass (at most {@link Builder#maxInFlight(int)} of them in flight).
 *   <li><b>In flight.</b> At most {@link Builder#maxInFlight(int)} requests are in flight at once; the others wait
 *       in FIFO order (backpressure, no thread blocked) for up to {@link Builder#maxWait(Duration)}, then fail with
 *       {@link ApiLimitException}, reason {@code IN_FLIGHT_WAIT}, nothing sent.
 *   <li>{@code REQUEST_LIMIT_EXCEEDED} from Salesforce stays an {@link ApiLimitException} (reason
 *       {@code ORG_REJECTED}); it never triggers a token refresh, and its usage updates the view.
 * </ul>
 *
 * <p>One governor per credential (org and user), shared by every client of it in the process:
 * {@code SalesforceClient.builder().governor(governor)}. Without a {@linkplain Builder#sharedUsage shared count},
 * other processes' calls show up through the usage they report, not before. With one (Redis,
 * {@code io.forceflux.reactor.redis.RedisApiUsage}), the daily count and the reserve are the fleet's: each call is
 * counted there atomically before it is sent. The in-flight cap stays per process: a fleet of n processes has at
 * most n × {@code maxInFlight} requests in flight, so set it to the org's concurrent limit divided by n. (A
 * fleet-wide semaphore would need leases that survive a process dying with slots held, and a Redis round trip
 * before and after every request; dividing the cap needs neither.)
 *
 * <p>What counts: each request that passes is counted once (a Composite call is one call; a Composite Batch costs
 * one per subrequest, see {@link #withCost(int, Mono)}). A request that never reached the org (a transport failure)
 * is still counted until a response reports the real usage while nothing else is in flight.
 */
public final class ApiGovernor {
  private static final Logger LOG = LoggerFactory.getLogger(ApiGovernor.class);
  private static final String CRITICAL = ApiGovernor.class.getName() + ".critical";
  private static final String COST = ApiGovernor.class.getName() + ".cost";
  private static final String SEED = ApiGovernor.class.getName() + ".seed";

  private final double reserve;
  private final Duration maxWait;
  private final Scheduler scheduler;
  private final InFlightLimiter limiter;
  private final boolean seedOnStart;
  /** The one seeding call, shared by every request that arrives before the view is known; empty without one. */
  private volatile Mono<Void> seed = Mono.empty();
  private volatile boolean seedSet;
  /** An upper bound on the org's usage once the calls in flight are answered. */
  private final AtomicLong spent = new AtomicLong();
  private final AtomicLong windowMax = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private volatile long max = -1;
  private final @Nullable SharedUsage shared;
  private final AtomicBoolean sharedFailureLogged = new AtomicBoolean();

  private ApiGovernor(Builder b) {
    this.reserve = b.reserve;
    this.maxWait = b.maxWait;
    this.scheduler = b.scheduler;
    this.limiter = new InFlightLimiter(b.maxInFlight);
    this.seedOnStart = b.seedOnStart;
    this.shared = b.shared;
  }

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** Lets {@code call} spend the reserve (never beyond the allowance). */
  public static <T> Mono<T> critical(Mono<T> call) {
    return call.contextWrite(ctx -> ctx.put(CRITICAL, Boolean.TRUE));
  }

  /**
   * Counts each request of {@code call} as {@code cost} calls: a Composite Batch of n subrequests costs n.
   *
   * @throws IllegalArgumentException unless 1..25
   */
  public static <T> Mono<T> withCost(int cost, Mono<T> call) {
    if (cost < 1 || cost > 25) {
      throw new IllegalArgumentException("cost must be 1..25: " + cost);
    }
    return call.contextWrite(ctx -> ctx.put(COST, cost));
  }

  /** The org's usage as far as the governor knows it (calls in flight included), or empty before any response. */
  public Optional<LimitInfo> usage() {
    long m = max;
    return m < 0 ? Optional.empty() : Optional.of(new LimitInfo(spent.get(), m));
  }

  /** Requests in flight now. */
  public int inFlight() {
    return limiter.inFlight();
  }

  /** Requests waiting for an in-flight slot now. */
  public int queued() {
    return limiter.queued();
  }

  /** Calls refused so far for the reserve or for waiting too long. */
  public long refused() {
    return refused.get();
  }

  /**
   * The call that seeds the view before the first request, when {@link Builder#seedOnStart(boolean)} is on (the
   * default): {@code SalesforceClient.Builder} sets it to {@code GET /limits} ({@code DailyApiRequests}) through
   * the client it builds. Only the first call of this method counts; later ones (other clients of the same
   * credential) are ignored.
   *
   * <p>The first request made through the governor starts the seed; requests arriving meanwhile wait for it
   * (without holding an in-flight slot, at most {@link Builder#maxWait(Duration)}). The seed is one API call and may
   * spend the reserve (it is how the governor learns the reserve is reached). If it fails or times out, requests go
   * on as if there were no seed, and the view comes from the responses' {@code Sforce-Limit-Info}; it is not tried
   * again.
   */
  public void seedWith(Mono<LimitInfo> limits) {
    Objects.requireNonNull(limits, "limits");
    synchronized (this) {
      if (seedSet || !seedOnStart) {
        return;
      }
      seedSet = true;
      seed = limits
          // The seed runs in the first request's context: a cost it carries is not the seed's.
          .contextWrite(ctx -> ctx.delete(COST).put(SEED, Boolean.TRUE).put(CRITICAL, Boolean.TRUE))
          .doOnNext(this::raise)
          .timeout(maxWait, scheduler)
          .then()
          .onErrorResume(e -> Mono.empty())
          .cache();
    }
  }

  /** The filter to put on a WebClient outside the session filter ({@code SalesforceClient.Builder} does it). */
  public ExchangeFilterFunction filter() {
    return this::exchange;
  }

  private Mono<ClientResponse> exchange(ClientRequest request, ExchangeFunction next) {
    return Mono.deferContextual(ctx -> {
      Mono<ClientResponse> governed = Mono.defer(() -> governed(ctx, request, next));
      // Wait for the seed unless the view is known or this is the seed itself (which would wait for itself).
      return max >= 0 || ctx.hasKey(SEED) ? governed : seed.then(governed);
    });
  }

  private Mono<ClientResponse> governed(ContextView ctx, ClientRequest request, ExchangeFunction next) {
    Ticket ticket = new Ticket();
    return Mono.usingWhen(
        limiter.acquire(maxWait, scheduler, this::view).doOnError(e -> refused.incrementAndGet()),
        slot -> spend(ctx, ticket).then(next.exchange(request))
            .doOnNext(response -> ticket.reported = observe(response))
            .doOnError(ApiLimitException.class, e -> {
              LimitInfo info = e.limitInfo();
              if (info != null && e.reason() == ApiLimitException.Reason.ORG_REJECTED) {
                observe(info);
                ticket.reported = info.used();
              }
            }),
        slot -> release(slot, ticket),
        (slot, e) -> release(slot, ticket),
        slot -> release(slot, ticket));
  }

  /** What one request did: whether the shared count counted it, and the usage its response reported. */
  private static final class Ticket {
    volatile boolean sharedSpend;
    volatile long reported = -1;
  }

  private Mono<Void> release(InFlightLimiter.Slot slot, Ticket ticket) {
    slot.release();
    if (shared == null || !ticket.sharedSpend) {
      return Mono.empty();
    }
    return shared.settle(ticket.reported)
        .doOnNext(count -> spent.accumulateAndGet(count, Math::max))
        .onErrorResume(e -> {
          sharedFailed(e);
          return Mono.empty();
        })
        .then();
  }

  private @Nullable LimitInfo view() {
    return usage().orElse(null);
  }

  /** Counts the call in the shared count if there is one (in the local view if it fails), or refuses it. */
  private Mono<Void> spend(ContextView ctx, Ticket ticket) {
    if (shared == null) {
      return spend(ctx);
    }
    boolean critical = ctx.getOrDefault(CRITICAL, Boolean.FALSE);
    int cost = ctx.getOrDefault(COST, 1);
    long m = max;
    long budget = m < 0 ? -1 : critical ? m : m - (long) Math.ceil(m * reserve);
    return shared.trySpend(cost, budget)
        .switchIfEmpty(Mono.error(() -> new IllegalStateException("the shared usage answered nothing")))
        .flatMap(count -> {
          if (count < 0) {
            long fleet = -1 - count;
            spent.accumulateAndGet(fleet, Math::max);
            refused.incrementAndGet();
            return Mono.<Void>error(new ApiLimitException(ApiLimitException.Reason.DAILY_RESERVE,
                "the governor keeps the last " + (m - budget) + " calls of " + m + " in reserve and "
                    + fleet + " are spent or in flight in the fleet", new LimitInfo(fleet, m)));
          }
          ticket.sharedSpend = true;
          sharedFailureLogged.set(false);
          spent.accumulateAndGet(count, Math::max);
          return Mono.<Void>empty();
        })
        .onErrorResume(e -> !(e instanceof ApiLimitException), e -> {
          sharedFailed(e);
          return spend(ctx);
        });
  }

  /** The shared count is unreachable: this call is decided on the local view (logged once per outage). */
  private void sharedFailed(Throwable e) {
    if (sharedFailureLogged.compareAndSet(false, true)) {
      LOG.warn("the shared API usage count is unavailable ({}); deciding on this process's view until it is back",
          e.getClass().getSimpleName());
    }
  }

  /** Counts the call, or refuses it if it would enter the reserve. */
  private Mono<Void> spend(ContextView ctx) {
    boolean critical = ctx.getOrDefault(CRITICAL, Boolean.FALSE);
    int cost = ctx.getOrDefault(COST, 1);
    while (true) {
      long m = max;
      long s = spent.get();
      if (m >= 0) {
        long budget = critical ? m : m - (long) Math.ceil(m * reserve);
        if (s + cost > budget) {
          refused.incrementAndGet();
          return Mono.error(new ApiLimitException(ApiLimitException.Reason.DAILY_RESERVE,
              "the governor keeps the last " + (m - budget) + " calls of " + m + " in reserve and "
                  + s + " are spent or in flight", new LimitInfo(s, m)));
        }
      }
      if (spent.compareAndSet(s, s + cost)) {
        return Mono.empty();
      }
    }
  }

  /** The usage the response reported, or -1. */
  private long observe(ClientResponse response) {
    Optional<LimitInfo> info = LimitInfo.parse(response.headers().asHttpHeaders().getFirst("Sforce-Limit-Info"));
    info.ifPresent(this::observe);
    return info.map(LimitInfo::used).orElse(-1L);
  }

  private void observe(LimitInfo info) {
    max = info.max();
    // Reports arrive out of order; the org's count is the highest reported since the last quiet moment. It may
    // include other processes' calls, so the view never stays below it. Our own count may exceed it by calls that
    // never reached the org, and the rolling window lets usage fall: re-base when this is the only call in flight.
    long reported = windowMax.accumulateAndGet(info.used(), Math::max);
    long s = spent.get();
    if (reported > s) {
      spent.accumulateAndGet(reported, Math::max);
    } else if (limiter.inFlight() <= 1 && limiter.queued() == 0 && spent.compareAndSet(s, reported)) {
      windowMax.set(0);
    }
  }

  /**
   * Takes a report that may be older than the calls in flight (the seed's body, read after its slot was freed): it
   * may raise the view, never re-base it.
   */
  private void raise(LimitInfo info) {
    max = info.max();
    long reported = windowMax.accumulateAndGet(info.used(), Math::max);
    spent.accumulateAndGet(reported, Math::max);
  }

  /**
   * Options for an {@link ApiGovernor}; invalid values fail in the setter.
   */
  public static final class Builder {
    private double reserve = 0.05;
    private int maxInFlight = 20;
    private Duration maxWait = Duration.ofSeconds(30);
    private Scheduler scheduler = Schedulers.parallel();
    private boolean seedOnStart = true;
    private @Nullable SharedUsage shared;

    private Builder() {}

    /**
     * A count shared with the governors of the same credential in other processes (for example
     * {@code RedisApiUsage}), so the reserve holds for the fleet: each call is counted there, atomically, before it
     * is sent. The in-flight cap stays per process (see the class documentation). If the shared count fails, calls
     * are decided on this process's view. Default none.
     */
    public Builder sharedUsage(SharedUsage shared) {
      this.shared = Objects.requireNonNull(shared, "shared");
      return this;
    }

    /**
     * Whether the first request waits for one {@code GET /limits} that tells the governor the org's usage (see
     * {@link ApiGovernor#seedWith(Mono)}). Default true: a process that starts with its org already in the reserve
     * refuses its first ordinary call instead of sending up to {@link #maxInFlight(int)} of them. Off, the view
     * starts with the first response and no call is spent on it.
     */
    public Builder seedOnStart(boolean seedOnStart) {
      this.seedOnStart = seedOnStart;
      return this;
    }

    /**
     * The fraction of the daily allowance kept for {@linkplain #critical(Mono) critical} calls: 0.05 stops
     * ordinary calls at 95%. Default 0.05; range 0..0.5.
     */
    public Builder reserve(double reserve) {
      if (!(reserve >= 0 && reserve <= 0.5)) {
        throw new IllegalArgumentException("reserve must be 0..0.5: " + reserve);
      }
      this.reserve = reserve;
      return this;
    }

    /**
     * Requests in flight at once; the rest wait. Default 20, under Salesforce's limit of 25 concurrent
     * long-running (20 s or more) requests of a production org; range 1..10,000.
     */
    public Builder maxInFlight(int maxInFlight) {
      if (maxInFlight < 1 || maxInFlight > 10_000) {
        throw new IllegalArgumentException("maxInFlight must be 1..10000: " + maxInFlight);
      }
      this.maxInFlight = maxInFlight;
      return this;
    }

    /** How long a request may wait for an in-flight slot. Default 30 s; range 1 ms..10 min. */
    public Builder maxWait(Duration maxWait) {
      Objects.requireNonNull(maxWait, "maxWait");
      if (maxWait.compareTo(Duration.ofMillis(1)) < 0 || maxWait.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("maxWait must be 1 ms..10 min: " + maxWait);
      }
      this.maxWait = maxWait;
      return this;
    }

    /** Where wait deadlines run (virtual time in tests). Default {@link Schedulers#parallel()}. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Builds the governor; no I/O. */
    public ApiGovernor build() {
      return new ApiGovernor(this);
    }
  }
}
