package io.forceflux.reactor;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.error.ApiLimitException;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.LimitInfo;
import io.forceflux.core.error.SalesforceError;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.event.SessionEvent;
import io.forceflux.core.event.SessionListener;
import io.forceflux.core.internal.parse.ErrorParser;
import io.forceflux.core.recovery.RecoveryPolicy;
import io.forceflux.reactor.Replay.Kind;
import io.forceflux.reactor.internal.Bodies;
import io.forceflux.reactor.internal.OptionRules;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * A WebClient filter that authenticates requests with a {@link TokenSource} and survives session death.
 *
 * <ul>
 *   <li>Adds {@code Authorization: Bearer} only to requests for the token's {@code instance_url} origin.
 *       Host-relative URLs ({@code /services/data/…}) are resolved against the <em>current</em> instance
 *       URL on every attempt, so a replay after re-authentication follows an instance move. Requests to
 *       any other origin pass through with no {@code Authorization} header at all.
 *   <li>On {@code 401 INVALID_SESSION_ID} (REST), {@code 500 sf:INVALID_SESSION_ID} (SOAP) or
 *       {@code 400 InvalidSessionId} (Bulk 1.0) it releases the body, invalidates exactly that token
 *       (compare-and-invalidate) and replays through {@code retryWhen}, waiting only for the shared refresh.
 *       A request keeps being replayed while each replay carries a token other than the one just rejected
 *       and token requests succeed, however many sessions die meanwhile; {@code sessionReplayDeadline}
 *       bounds it. A token obtained during this request's recovery that is rejected again is suspect; the
 *       request fails as {@link FailureCause#SESSION_POLICY} after {@code freshRejectionLimit} such
 *       rejections only if no request at all has worked since this one first lost its session and no token
 *       issued after its first one has worked, not even within one more full backoff (at least 1 s) waited before the verdict
 *       (otherwise sessions are merely dying fast, and that is no policy). The "not valid for use with the REST API"
 *       variant, an expired password and a malformed Authorization header are terminal at once.
 *   <li>{@code REQUEST_LIMIT_EXCEEDED} never triggers a refresh: it fails with {@link ApiLimitException}
 *       carrying the parsed {@code Sforce-Limit-Info}.
 *   <li>{@code 502/503/504} and transport errors are retried with jittered backoff only for idempotent
 *       methods; a POST or PATCH is never replayed after a transport error, because it may have run.
 *   <li>Every give-up is one {@link SalesforceException} with cause, runbook and attempts.
 * </ul>
 *
 * <p>Replays resend the same method, headers and body. The body of a POST, PUT or PATCH is recorded as it is
 * first sent, up to {@link Builder#maxReplayBodyBytes(int)}, and a replay sends that copy byte for byte, so a
 * body that can be read only once (a one-shot {@code Flux<DataBuffer>}, an {@code InputStream}) replays intact. A
 * larger body is read again from its source on replay: it must be re-readable ({@code bodyValue}, a file, a
 * {@code byte[]}); one that is not fails the replay with a typed {@link FailureCause#TRANSPORT} error.
 */
public final class SessionRecoveryFilter implements ExchangeFilterFunction {
  private static final Logger LOG = LoggerFactory.getLogger(SessionRecoveryFilter.class);
  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");
  /** The least time a policy verdict waits for evidence that sessions still work (see {@code decide}). */
  private static final Duration MIN_SETTLE = Duration.ofSeconds(1);
  private static final Set<String> WITHOUT_BODY = Set.of("GET", "HEAD", "OPTIONS", "DELETE", "TRACE");

  /**
   * Request attribute that declares a request safe to replay after a transport error or a 5xx although
   * its method is not idempotent, e.g. an upsert by external id ({@code PATCH …/sobjects/Account/Ext__c/42})
   * or a PATCH by Id that sets absolute values. Set it with
   * {@code webClient.patch().attribute(SessionRecoveryFilter.IDEMPOTENT_ATTRIBUTE, true)}. Never set it on a create.
   */
  public static final String IDEMPOTENT_ATTRIBUTE = SessionRecoveryFilter.class.getName() + ".idempotent";

  private final TokenSource tokenSource;
  private final RecoveryPolicy policy;
  private final Scheduler scheduler;
  private final Clock clock;
  private final SessionListener listener;
  private final int maxErrorBody;
  private final int maxReplayBody;
  private final int freshRejectionLimit;
  private final long sessionReplayDeadlineMillis;
  private final AttemptDeadlines deadlines;
  private final Mono<ClientResponse> timedOut;
  /** What responses have shown about sessions working, shared by every request through this filter. */
  private final SessionEvidence evidence = new SessionEvidence();

  private SessionRecoveryFilter(Builder b) {
    this.tokenSource = b.tokenSource;
    this.policy = b.recoveryPolicy;
    this.scheduler = b.scheduler;
    this.clock = b.clock != null ? b.clock : new SchedulerClock(b.scheduler);
    this.listener = IsolatedListener.of(b.listener);
    this.maxErrorBody = b.maxErrorBodyBytes;
    this.maxReplayBody = b.maxReplayBodyBytes;
    this.freshRejectionLimit = b.freshRejectionLimit;
    this.sessionReplayDeadlineMillis = b.sessionReplayDeadline.toMillis();
    this.deadlines = new AttemptDeadlines(b.scheduler, b.attemptTimeout);
    String timeout = "no response within the attempt timeout of " + b.attemptTimeout;
    this.timedOut = Mono.error(() -> new TimeoutException(timeout));
  }

  /** A builder for a filter taking tokens from {@code tokenSource}. */
  public static Builder builder(TokenSource tokenSource) {
    return new Builder(tokenSource);
  }

  @Override
  public Mono<ClientResponse> filter(ClientRequest original, ExchangeFunction next) {
    RequestAttempts attempts = new RequestAttempts();
    // Bodies of writes are recorded on their first send, so that a replay sends the same bytes.
    ClientRequest request = WITHOUT_BODY.contains(original.method().name()) ? original
        : ClientRequest.from(original).body(new ReplayableBody(original.body(), maxReplayBody, describe(original)))
            .build();
    Mono<ClientResponse> attempt =
        Mono.defer(() -> tokenSource.token().flatMap(token -> exchange(request, next, token, attempts)));
    // The happy path pays for one onErrorResume; the retryWhen machinery (a companion sink and queue per
    // subscription) is assembled only once a first attempt has failed in a way a replay can fix.
    return attempt
        .onErrorResume(Replay.class, first -> decide(first, request, attempts).then(attempt
            .retryWhen(Retry.from(signals -> signals.concatMap(signal -> decide(signal.failure(), request, attempts))))))
        .onErrorMap(Replay.class, r -> giveUp(r.failure.withAttempts(attempts.count)));
  }

  private Mono<ClientResponse> exchange(
      ClientRequest request, ExchangeFunction next, AccessToken token, RequestAttempts attempts) {
    if (attempts.count++ == 0) {
      attempts.startedMillis = clock.millis();
    }
    URI target;
    try {
      target = resolve(request.url(), token);
    } catch (SalesforceException e) {
      return Mono.error(e);
    }
    if (target == null) {
      // Another origin: never send the token there.
      return next.exchange(ClientRequest.from(request).headers(h -> h.remove(HttpHeaders.AUTHORIZATION)).build());
    }
    ClientRequest authorized = ClientRequest.from(request)
        .url(target)
        .headers(h -> h.setBearerAuth(token.value()))
        .build();
    boolean idempotent = IDEMPOTENT.contains(request.method().name())
        || Boolean.TRUE.equals(request.attribute(IDEMPOTENT_ATTRIBUTE).orElse(null));
    return next.exchange(authorized)
        .flatMap(response -> inspect(response, request, token, attempts, idempotent))
        // Not Mono.timeout(Publisher): it builds a description string from the operator chain's names at assembly,
        // a quarter of this filter's own cost per request. The attempt never completes empty, so empty means timed out.
        .takeUntilOther(deadlines.deadline())
        .switchIfEmpty(timedOut)
        .onErrorMap(e -> !(e instanceof SalesforceException) && !(e instanceof Replay), e -> {
          SalesforceException unreadable =
              request.body() instanceof ReplayableBody body ? body.rereadFailure(attempts.count) : null;
          if (unreadable != null) {
            return unreadable; // the body failed while being sent, so the attempt was cut off incomplete
          }
          SalesforceException failure = SalesforceException.wrapping(FailureCause.TRANSPORT,
              describe(request) + ": connection failed or timed out", e).withAttempts(attempts.count);
          // A write may have run before the connection failed: only idempotent methods are replayed.
          return idempotent ? new Replay(Kind.TRANSIENT, failure) : failure;
        });
  }

  private Mono<ClientResponse> inspect(
      ClientResponse response, ClientRequest request, AccessToken token, RequestAttempts attempts, boolean idempotent) {
    int status = response.statusCode().value();
    if (status < 400) {
      evidence.accepted(token);
      return Mono.just(response);
    }
    String contentType = response.headers().contentType().map(MediaType::toString).orElse("");
    boolean xml = contentType.toLowerCase(Locale.ROOT).contains("xml");
    boolean maybeSession = status == 401 || (status == 500 && xml) || (status == 400 && xml);
    if (!maybeSession && status != 403 && !(idempotent && (status == 502 || status == 503 || status == 504))) {
      evidence.accepted(token);
      return Mono.just(response);
    }
    return readBounded(response).flatMap(body -> {
      SalesforceError error = ErrorParser.parse(status, contentType, body);
      if (maybeSession && error.isInvalidSession()) {
        FailureCause cause = FailureCause.ofApiError(error);
        if (cause != FailureCause.SESSION_EXPIRED) {
          return Mono.error(
              SalesforceException.of(cause, describe(request) + " rejected", error).withAttempts(attempts.count));
        }
        tokenSource.invalidate(token);
        boolean fresh = attempts.firstToken != null && !attempts.firstToken.equals(token) && !evidence.proven(token);
        if (attempts.firstToken == null) {
          attempts.firstToken = token;
          attempts.rejectionEpoch = evidence.firstRejection();
        }
        // Progress: this attempt carried a token other than the one rejected before it, so the source moved on.
        attempts.progress = attempts.lastRejected == null || !attempts.lastRejected.equals(token);
        attempts.lastRejected = token;
        return Mono.error(new Replay(fresh ? Kind.FRESH_SESSION : Kind.SESSION,
            SalesforceException.of(FailureCause.SESSION_EXPIRED, describe(request) + " session expired",
                error).withAttempts(attempts.count)));
      }
      if (status == 401) {
        FailureCause cause = FailureCause.ofApiError(error);
        if (cause == FailureCause.INVALID_AUTH_HEADER || cause == FailureCause.EXPIRED_PASSWORD) {
          return Mono.error(
              SalesforceException.of(cause, describe(request) + " rejected", error).withAttempts(attempts.count));
        }
      }
      if (status == 403 && "REQUEST_LIMIT_EXCEEDED".equals(error.errorCode())) {
        LimitInfo info = LimitInfo.parse(response.headers().asHttpHeaders().getFirst("Sforce-Limit-Info")).orElse(null);
        return Mono.error(new ApiLimitException(error, info));
      }
      if (idempotent && (status == 502 || status == 503 || status == 504)) {
        return Mono.error(new Replay(Kind.TRANSIENT, SalesforceException.of(FailureCause.SERVER_UNAVAILABLE,
            describe(request) + " unavailable", error).withAttempts(attempts.count)));
      }
      // Not ours to handle: give the caller the response with the body we had to read.
      evidence.accepted(token);
      return Mono.just(response.mutate().body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body))).build());
    });
  }

  private boolean churn(RequestAttempts attempts) {
    return evidence.churn(attempts.rejectionEpoch, attempts.firstToken);
  }

  private Mono<Long> decide(Throwable failure, ClientRequest request, RequestAttempts attempts) {
    if (!(failure instanceof Replay replay)) {
      return Mono.error(failure);
    }
    boolean session = replay.kind != Kind.TRANSIENT;
    if (session && attempts.progress) {
      // Every replay so far carried a newer token: sessions dying faster than this request completes is no
      // reason to give up on it. A deadline, not a count of dead sessions, bounds it.
      if (clock.millis() - attempts.startedMillis >= sessionReplayDeadlineMillis) {
        return Mono.error(replay);
      }
    } else if (attempts.count >= policy.maxAttempts()) {
      return Mono.error(replay);
    }
    Duration delay;
    switch (replay.kind) {
      case SESSION -> {
        // A real expiry: replay at once. The shared single-flight refresh is what paces replays.
        attempts.sessionRejections++;
        delay = Duration.ZERO;
      }
      case FRESH_SESSION -> {
        if (churn(attempts)) {
          attempts.sessionRejections++;
          delay = Duration.ZERO;
        } else {
          attempts.freshRejections++;
          if (attempts.freshRejections >= freshRejectionLimit) {
            // Sessions ended in a burst (faster than anyone's response is read) leave no evidence yet. Before
            // calling it a policy, give other requests a while (a full, unjittered backoff, at least a second) to
            // show sessions still work, looking 16 times; this sends nothing, so a real policy costs no extra
            // request or token, only a later verdict.
            Duration full = policy.backoff(attempts.freshRejections, () -> 1d);
            Duration settle = full.compareTo(MIN_SETTLE) > 0 ? full : MIN_SETTLE;
            SalesforceException f = replay.failure;
            return Flux.interval(settle.dividedBy(16), scheduler).take(16).filter(tick -> churn(attempts)).next()
                .map(tick -> {
                  attempts.sessionRejections++;
                  replayed(request, attempts, replay);
                  return 0L;
                })
                .switchIfEmpty(Mono.error(() -> new Replay(Kind.FRESH_SESSION, SalesforceException.of(
                    FailureCause.SESSION_POLICY, describe(request) + " rejected " + attempts.freshRejections
                        + " tokens obtained after the request started, and no request worked since it lost its session",
                    f.error()).withAttempts(attempts.count))));
          }
          delay = backoff(attempts.freshRejections);
        }
      }
      default -> delay = backoff(++attempts.transientRetries);
    }
    replayed(request, attempts, replay);
    return delay.isZero() ? Mono.just(0L) : Mono.delay(delay, scheduler);
  }

  private void replayed(ClientRequest request, RequestAttempts attempts, Replay replay) {
    listener.onEvent(new SessionEvent.RequestReplayed(clock.instant(), request.method().name(),
        request.url().getRawPath(), attempts.count + 1, replay.failure.failureCause()));
  }

  private Duration backoff(int retry) {
    return policy.backoff(retry, ThreadLocalRandom.current()::nextDouble);
  }

  private SalesforceException giveUp(SalesforceException failure) {
    listener.onEvent(new SessionEvent.RecoveryGaveUp(clock.instant(), failure.failureCause(), failure.attempts()));
    return failure;
  }

  private Mono<byte[]> readBounded(ClientResponse response) {
    return Bodies.read(response, maxErrorBody)
        .onErrorMap(DataBufferLimitException.class, e -> SalesforceException.of(FailureCause.RESPONSE_TOO_LARGE,
            "error response larger than " + maxErrorBody + " bytes"));
  }

  /**
   * Where to send the request with {@code token}: relative URLs resolve against the token's instance;
   * absolute ones on that origin stay; null for any other origin.
   */
  static @Nullable URI resolve(URI url, AccessToken token) {
    if (url.isAbsolute()) {
      return token.isSameOrigin(url) ? url : null;
    }
    String path = url.getRawPath();
    if (url.getRawAuthority() != null || path == null || !path.startsWith("/") || path.startsWith("//")) {
      throw SalesforceException.of(FailureCause.UNTRUSTED_URL,
          "request URL must be absolute or start with a single '/'");
    }
    // Resolution from parsed components (RFC 3986 5.2; the path is absolute): no string to build and parse again.
    return token.instanceUrl().resolve(url);
  }

  private static String describe(ClientRequest request) {
    return request.method().name() + " " + request.url().getRawPath();
  }

  /** Builds a {@link SessionRecoveryFilter}; invalid values fail in {@link #build()}. */
  public static final class Builder {
    private final TokenSource tokenSource;
    private RecoveryPolicy recoveryPolicy = RecoveryPolicy.defaults();
    private Scheduler scheduler = Schedulers.parallel();
    private @Nullable Clock clock;
    private SessionListener listener = SessionListener.logging();
    private int maxErrorBodyBytes = 64 * 1024;
    private int maxReplayBodyBytes = 1024 * 1024;
    private int freshRejectionLimit = 2;
    private Duration sessionReplayDeadline = Duration.ofMinutes(2);
    private Duration attemptTimeout = Duration.ofMinutes(10);

    private Builder(TokenSource tokenSource) {
      this.tokenSource = Objects.requireNonNull(tokenSource, "tokenSource");
    }

    /** Attempts and backoff between failed recoveries. Default {@link RecoveryPolicy#defaults()}. */
    public Builder recoveryPolicy(RecoveryPolicy recoveryPolicy) {
      this.recoveryPolicy = Objects.requireNonNull(recoveryPolicy, "recoveryPolicy");
      return this;
    }

    /** Scheduler for backoff delays. Default {@link Schedulers#parallel()}. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Clock for event timestamps. Default: the scheduler's clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Receives replay and give-up events. Default {@link SessionListener#logging()}. */
    public Builder listener(SessionListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * The largest request body kept in memory so that a replay sends it again byte for byte (see the class
     * description). Larger bodies are read again from their source. Default 1 MiB; range 0 (never record)..64 MiB.
     */
    public Builder maxReplayBodyBytes(int bytes) {
      this.maxReplayBodyBytes = bytes;
      return this;
    }

    /** The most bytes of an error body read for classification. Default 64 KiB; range 1 KiB..16 MiB. */
    public Builder maxErrorBodyBytes(int bytes) {
      this.maxErrorBodyBytes = bytes;
      return this;
    }

    /**
     * How many rejections of tokens obtained after the request started end the request as
     * {@link FailureCause#SESSION_POLICY}, provided no request has worked since this one first lost its session
     * and no token issued after its first one has worked (if one has, sessions are dying fast and the request
     * keeps being replayed). 1 gives up on the first such rejection (strict); the default 2
     * tolerates one more real expiry racing the replay. Range 1..10.
     */
    public Builder freshRejectionLimit(int limit) {
      this.freshRejectionLimit = limit;
      return this;
    }

    /**
     * How long a request keeps being replayed while sessions die under it, each replay with a newer token.
     * Counted from its first attempt; checked before each replay. Default 2 minutes; range 1 s..1 h.
     */
    public Builder sessionReplayDeadline(Duration deadline) {
      this.sessionReplayDeadline = Objects.requireNonNull(deadline, "deadline");
      return this;
    }

    /**
     * The longest one attempt may take until its response headers (and, for errors this filter inspects,
     * the error body) arrive; a timed-out attempt is a {@link FailureCause#TRANSPORT} failure, replayed only
     * for idempotent methods. Default 10 minutes (Salesforce's own limit for a REST call); range 1 ms..1 h.
     * Deadlines are checked in steps of 1/16 of it (see {@link AttemptDeadlines}): an attempt fails between
     * the timeout and 1/16 of it later.
     */
    public Builder attemptTimeout(Duration timeout) {
      this.attemptTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Validates and builds. */
    public SessionRecoveryFilter build() {
      if (attemptTimeout.toMillis() < 1 || attemptTimeout.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("attemptTimeout is out of range: " + attemptTimeout);
      }
      if (maxReplayBodyBytes < 0 || maxReplayBodyBytes > 64 * 1024 * 1024) {
        throw new IllegalArgumentException("maxReplayBodyBytes is out of range: " + maxReplayBodyBytes);
      }
      if (maxErrorBodyBytes < 1024 || maxErrorBodyBytes > 16 * 1024 * 1024) {
        throw new IllegalArgumentException("maxErrorBodyBytes is out of range: " + maxErrorBodyBytes);
      }
      if (sessionReplayDeadline.compareTo(Duration.ofSeconds(1)) < 0
          || sessionReplayDeadline.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("sessionReplayDeadline is out of range: " + sessionReplayDeadline);
      }
      OptionRules.freshRejectionLimit(freshRejectionLimit);
      LOG.debug("session recovery filter: {}", recoveryPolicy);
      return new SessionRecoveryFilter(this);
    }
  }
}
