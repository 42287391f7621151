package io.forceflux.benchmarks;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.InstanceUrlPolicy;
import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.reactor.TokenSource;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.client.AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Reading a cached token: the cost every request pays before it is sent.
 *
 * <p>Each operation subscribes a reusable subscriber ({@link TokenSink}) that requests the token and puts it into
 * a {@link Blackhole}, which is how a filter consumes it ({@code token().flatMap(...)}); merely returning a
 * {@code Mono} would measure nothing. Contenders, all primed before measuring so every read is a cache hit:
 *
 * <ul>
 *   <li>{@code cachingTokenSource}: {@link CachingTokenSource#token()}, primed once through a stub token endpoint
 *       (a WebClient whose exchange function answers a Salesforce token response without I/O);
 *   <li>{@code monoCache}: {@code Mono.fromSupplier(...).cache()}, the plain Reactor idiom;
 *   <li>{@code springSecurity}: Spring Security's {@link AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager}
 *       (in-memory registration repository and authorized-client service, client_credentials registration)
 *       authorizing a client saved with a far-future expiry; a fresh {@link OAuth2AuthorizeRequest} per read, as
 *       {@code ServerOAuth2AuthorizedClientExchangeFilterFunction} builds one per request;
 *   <li>{@code volatileFloor}: a {@code volatile} field read into the Blackhole, the physical floor.
 * </ul>
 *
 * <p>Methods named after a contender run on one thread; the {@code *_2threads} groups run the same read on two
 * threads sharing one source. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the allocation per read.
 * Every iteration checks that each subscription delivered a value, none failed, and no token request was made
 * after priming; otherwise the benchmark fails.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class TokenReadBenchmark {
  // Names SUMMARY.md reads from the results (SummaryTests checks each against this class).
  static final String CACHING_TOKEN_SOURCE = "cachingTokenSource";
  static final String MONO_CACHE = "monoCache";
  static final String SPRING_SECURITY = "springSecurity";
  static final String VOLATILE_FLOOR = "volatileFloor";
  /** The suffix of the two-thread groups. */
  static final String TWO_THREADS = "_2threads";
  private static final String REGISTRATION = "sf";
  private static final String PRINCIPAL = "app";

  private final AtomicLong forcefluxTokenRequests = new AtomicLong();
  private final AtomicLong springTokenRequests = new AtomicLong();

  private Mono<AccessToken> forceflux;
  private Mono<AccessToken> monoCache;
  private AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager spring;
  private volatile AccessToken floor;

  /** Per-thread subscriber. */
  @State(Scope.Thread)
  public static class Reader {
    TokenSink sink;

    @Setup(Level.Trial)
    public void create(Blackhole blackhole) {
      sink = new TokenSink(blackhole);
    }

    @TearDown(Level.Iteration)
    public void verify(BenchmarkParams params) {
      sink.verify(params.getBenchmark());
      sink.reset();
    }
  }

  @Setup(Level.Trial)
  public void prime() {
    TokenSource source = CachingTokenSource.builder(
            Grant.refreshToken(URI.create("https://login.salesforce.com"), "client-id", "client-secret", "refresh"))
        .instanceUrlPolicy(InstanceUrlPolicy.standard())
        .webClient(stubTokenEndpoint())
        .build();
    forceflux = source.token();
    AccessToken token = forceflux.block(Duration.ofSeconds(10));
    if (token == null || forcefluxTokenRequests.get() != 1) {
      throw new IllegalStateException("priming the CachingTokenSource took " + forcefluxTokenRequests.get()
          + " token requests");
    }

    monoCache = Mono.fromSupplier(() -> token).cache();
    monoCache.block(Duration.ofSeconds(10));

    floor = token;

    ClientRegistration registration = ClientRegistration.withRegistrationId(REGISTRATION)
        .clientId("client-id")
        .clientSecret("client-secret")
        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
        .tokenUri("https://example.my.salesforce.com/services/oauth2/token")
        .build();
    InMemoryReactiveClientRegistrationRepository registrations =
        new InMemoryReactiveClientRegistrationRepository(registration);
    InMemoryReactiveOAuth2AuthorizedClientService clients =
        new InMemoryReactiveOAuth2AuthorizedClientService(registrations);
    Instant now = Instant.now();
    OAuth2AccessToken far = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, token.value(), now,
        now.plus(3650, ChronoUnit.DAYS));
    clients.saveAuthorizedClient(new OAuth2AuthorizedClient(registration, PRINCIPAL, far),
        UsernamePasswordAuthenticationToken.unauthenticated(PRINCIPAL, "n/a")).block(Duration.ofSeconds(10));
    ClientCredentialsReactiveOAuth2AuthorizedClientProvider provider =
        new ClientCredentialsReactiveOAuth2AuthorizedClientProvider();
    provider.setAccessTokenResponseClient(request -> {
      springTokenRequests.incrementAndGet();
      return Mono.error(new IllegalStateException("a cache hit must not request a token"));
    });
    spring = new AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager(registrations, clients);
    spring.setAuthorizedClientProvider(provider);
    OAuth2AuthorizedClient hit = spring.authorize(authorizeRequest()).block(Duration.ofSeconds(10));
    if (hit == null || springTokenRequests.get() != 0) {
      throw new IllegalStateException("Spring Security did not find the saved authorized client");
    }
  }

  /** A WebClient whose token endpoint answers at once, without I/O, like Salesforce does (no expires_in). */
  private WebClient stubTokenEndpoint() {
    String body = "{\"access_token\":\"00D000000000001!AQ0AQBenchmarkToken\","
        + "\"instance_url\":\"https://example.my.salesforce.com\","
        + "\"id\":\"https://login.salesforce.com/id/00D000000000001EAA/005000000000001AAA\","
        + "\"token_type\":\"Bearer\",\"issued_at\":\"" + System.currentTimeMillis() + "\","
        + "\"signature\":\"c2lnbmF0dXJl\",\"scope\":\"api refresh_token\"}";
    return WebClient.builder()
        .exchangeFunction(request -> {
          forcefluxTokenRequests.incrementAndGet();
          return Mono.just(ClientResponse.create(HttpStatus.OK)
              .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
              .body(body)
              .build());
        })
        .build();
  }

  private static OAuth2AuthorizeRequest authorizeRequest() {
    return OAuth2AuthorizeRequest.withClientRegistrationId(REGISTRATION).principal(PRINCIPAL).build();
  }

  @TearDown(Level.Iteration)
  public void everyReadWasACacheHit() {
    if (forcefluxTokenRequests.get() != 1 || springTokenRequests.get() != 0) {
      throw new IllegalStateException("token requests after priming: ForceFlux "
          + (forcefluxTokenRequests.get() - 1) + ", Spring Security " + springTokenRequests.get());
    }
  }

  // ---- one thread ----

  @Benchmark
  @Threads(1)
  public void cachingTokenSource(Reader reader) {
    forceflux.subscribe(reader.sink);
  }

  @Benchmark
  @Threads(1)
  public void monoCache(Reader reader) {
    monoCache.subscribe(reader.sink);
  }

  @Benchmark
  @Threads(1)
  public void springSecurity(Reader reader) {
    spring.authorize(authorizeRequest()).subscribe(reader.sink);
  }

  @Benchmark
  @Threads(1)
  public void volatileFloor(Blackhole blackhole) {
    blackhole.consume(floor);
  }

  // ---- two threads sharing one source ----

  @Benchmark
  @Group(CACHING_TOKEN_SOURCE + TWO_THREADS)
  @GroupThreads(2)
  public void cachingTokenSourceTwoThreads(Reader reader) {
    forceflux.subscribe(reader.sink);
  }

  @Benchmark
  @Group(MONO_CACHE + TWO_THREADS)
  @GroupThreads(2)
  public void monoCacheTwoThreads(Reader reader) {
    monoCache.subscribe(reader.sink);
  }

  @Benchmark
  @Group(SPRING_SECURITY + TWO_THREADS)
  @GroupThreads(2)
  public void springSecurityTwoThreads(Reader reader) {
    spring.authorize(authorizeRequest()).subscribe(reader.sink);
  }

  @Benchmark
  @Group(VOLATILE_FLOOR + TWO_THREADS)
  @GroupThreads(2)
  public void volatileFloorTwoThreads(Blackhole blackhole) {
    blackhole.consume(floor);
  }
}
