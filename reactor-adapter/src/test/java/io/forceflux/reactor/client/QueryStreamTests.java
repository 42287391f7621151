package io.forceflux.reactor.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.internal.parse.ErrorParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** The paging state machine against a scripted in-memory cursor server: exact page counts, no I/O. */
class QueryStreamTests {
  private static final Duration BOUND = Duration.ofSeconds(5);
  private static final Pattern AFTER = Pattern.compile("Id > '([A-Za-z0-9]+)'");
  private static final Pattern LIMIT = Pattern.compile("LIMIT (\\d+)");
  private static final Pattern NEXT = Pattern.compile("/services/data/v67.0/query/(\\d+)-(\\d+)");

  /** Serves {@code total} records in pages of {@code pageSize}; can lose cursors on chosen requests. */
  static final class Server implements QueryStream.PageSource {
    final int total;
    final int pageSize;
    final List<QueryStream.PageRequest> requests = new CopyOnWriteArrayList<>();
    /** Next-page requests (1-based, counting only next-page requests) answered with INVALID_QUERY_LOCATOR. */
    final List<Integer> loseCursorOn = new CopyOnWriteArrayList<>();
    final AtomicInteger nextPageRequests = new AtomicInteger();
    final Map<Integer, Long> cursorEnds = new ConcurrentHashMap<>();
    volatile @Nullable Throwable failNextPagesWith;
    /** Bodies served as received (unchecked) for chosen next-page paths. */
    final Map<String, String> bodies = new ConcurrentHashMap<>();

    Server(int total, int pageSize) {
      this.total = total;
      this.pageSize = pageSize;
    }

    @Override
    public Mono<Page> fetch(QueryStream.PageRequest request) {
      requests.add(request);
      if (request.isStart()) {
        String soql = String.valueOf(request.soql());
        Matcher after = AFTER.matcher(soql);
        long from = after.find() ? Long.parseLong(after.group(1).substring(3, 15)) + 1 : 1;
        Matcher limit = LIMIT.matcher(soql);
        long last = limit.find() ? Math.min(total, from - 1 + Long.parseLong(limit.group(1))) : total;
        int generation = cursorEnds.size() + 1;
        cursorEnds.put(generation, last);
        return Mono.just(page(generation, from));
      }
      int n = nextPageRequests.incrementAndGet();
      Throwable failure = failNextPagesWith;
      if (failure != null) {
        return Mono.error(failure);
      }
      if (loseCursorOn.contains(n)) {
        return Mono.error(locatorRefused());
      }
      String body = bodies.get(String.valueOf(request.path()));
      if (body != null) {
        return Mono.just(Page.received(body.getBytes(StandardCharsets.UTF_8)));
      }
      Matcher m = NEXT.matcher(String.valueOf(request.path()));
      assertThat(m.matches()).as("next page path %s", request.path()).isTrue();
      return Mono.just(page(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))));
    }

    private Page page(int generation, long from) {
      long last = cursorEnds.get(generation);
      int count = (int) Math.max(0, Math.min(pageSize, last - from + 1));
      String next = from + count <= last ? "/services/data/v67.0/query/" + generation + "-" + (from + count) : null;
      return Pages.page(from, count, last, next);
    }
  }

  static SalesforceException locatorRefused() {
    return Rest.apiError(ErrorParser.parse(400, "application/json",
        "[{\"message\":\"invalid query locator\",\"errorCode\":\"INVALID_QUERY_LOCATOR\"}]"
            .getBytes(StandardCharsets.UTF_8)), "GET /services/data/v67.0/query/x");
  }

  private static Flux<JsonNode> stream(Server server, int prefetch, @Nullable String resumableSoql) {
    KeysetSoql keyset = resumableSoql == null ? null : KeysetSoql.prepare(resumableSoql);
    String soql = keyset == null ? "SELECT Id FROM Account" : keyset.initial();
    return new QueryStream<>(server, QueryStream.PageRequest.start(soql, false, 0), keyset,
        Page.Decoding.<JsonNode>bound(Json.recordReader(JsonNode.class)), prefetch);
  }

  private static String id(JsonNode record) {
    return record.get("Id").stringValue();
  }

  @Test
  void requestsNothingBeforeDemand() {
    Server server = new Server(100, 10);

    StepVerifier.create(stream(server, 1, null), 0)
        .expectSubscription()
        .then(() -> assertThat(server.requests).isEmpty())
        .thenCancel()
        .verify(BOUND);
  }

  @Test
  void requestOneCostsExactlyOnePage() {
    Server server = new Server(100, 10);

    StepVerifier.create(stream(server, 1, null), 0)
        .thenRequest(1)
        .assertNext(r -> assertThat(id(r)).isEqualTo(Pages.id(1)))
        .then(() -> assertThat(server.requests).hasSize(1))
        .thenCancel()
        .verify(BOUND);
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void withoutPrefetchTheNextPageWaitsUntilDemandReachesIt() {
    Server server = new Server(100, 10);

    StepVerifier.create(stream(server, 0, null), 0)
        .thenRequest(10)
        .expectNextCount(10)
        .then(() -> assertThat(server.requests).hasSize(1))
        .thenRequest(1)
        .expectNextCount(1)
        .then(() -> assertThat(server.requests).hasSize(2))
        .thenCancel()
        .verify(BOUND);
  }

  @Test
  void prefetchFetchesAheadOnceHalfAPageIsEmittedAndNoFurther() {
    Server one = new Server(100, 10);
    StepVerifier.create(stream(one, 1, null), 0)
        .thenRequest(4)
        .expectNextCount(4)
        .then(() -> assertThat(one.requests).hasSize(1))
        .thenRequest(1)
        .expectNextCount(1)
        .then(() -> assertThat(one.requests).hasSize(2))
        .thenRequest(4)
        .expectNextCount(4)
        .then(() -> assertThat(one.requests).hasSize(2))
        .thenCancel()
        .verify(BOUND);

    Server three = new Server(100, 10);
    StepVerifier.create(stream(three, 3, null), 0)
        .thenRequest(5)
        .expectNextCount(5)
        .then(() -> assertThat(three.requests).hasSize(4))
        .thenCancel()
        .verify(BOUND);
  }

  @Test
  void onceAWholePageIsTakenTheNextIsFetchedAsSoonAsAPageArrives() {
    Server one = new Server(100, 10);
    StepVerifier.create(stream(one, 1, null), 0)
        // The first page, taken whole: page 2 was requested at its half, page 3 as soon as page 2 arrived.
        .thenRequest(10)
        .expectNextCount(10)
        .then(() -> assertThat(one.requests).hasSize(3))
        // Nothing more while one page is buffered ahead of the one being read (prefetch 1).
        .thenRequest(1)
        .expectNextCount(1)
        .then(() -> assertThat(one.requests).hasSize(3))
        // Page 2 taken: page 3 becomes the head, and page 4 is requested at once, not at page 3's half.
        .thenRequest(9)
        .expectNextCount(9)
        .then(() -> assertThat(one.requests).hasSize(4))
        .thenCancel()
        .verify(BOUND);

    Server none = new Server(100, 10);
    StepVerifier.create(stream(none, 0, null), 0)
        .thenRequest(10)
        .expectNextCount(10)
        .then(() -> assertThat(none.requests).hasSize(1))
        .thenCancel()
        .verify(BOUND);
  }

  @Test
  void aPageThatFailsItsCheckAbandonsTheNextPageRequestItsHeadStarted() {
    Server server = new Server(100, 10);
    String page3 = Pages.json(21, 10, 100, "/services/data/v67.0/query/1-31");
    server.bodies.put("/services/data/v67.0/query/1-21", page3.substring(0, page3.length() / 2));

    // Prefetch 2: page 3 arrives while page 2 is still buffered, and there is room for page 4 all the same.
    StepVerifier.create(stream(server, 2, null), 0)
        .thenRequest(100)
        .expectNextCount(20)
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SalesforceException.class,
            se -> assertThat(se.failureCause()).isEqualTo(FailureCause.MALFORMED_RESPONSE)))
        .verify(BOUND);
    // Page 4 was requested from page 3's head before page 3 failed; its answer was dropped, nothing came after.
    assertThat(server.requests).extracting(QueryStream.PageRequest::path)
        .containsExactly(null, "/services/data/v67.0/query/1-11", "/services/data/v67.0/query/1-21",
            "/services/data/v67.0/query/1-31");
  }

  @Test
  void theCheckedNextRecordsUrlWinsOverTheOneTheHeadAnnounced() {
    Server server = new Server(100, 10);
    // Page 3's head names one next page and its end another: a duplicate key, whose last value JSON readers keep.
    String page3 = Pages.json(21, 10, 100, "/services/data/v67.0/query/1-91");
    page3 = page3.substring(0, page3.length() - 1) + ",\"nextRecordsUrl\":\"/services/data/v67.0/query/1-31\"}";
    server.bodies.put("/services/data/v67.0/query/1-21", page3);

    StepVerifier.create(stream(server, 1, null).map(QueryStreamTests::id).collectList())
        .assertNext(ids -> assertThat(ids).hasSize(100).doesNotHaveDuplicates().isSorted())
        .verifyComplete();
    assertThat(server.requests).extracting(QueryStream.PageRequest::path)
        .containsOnlyOnce("/services/data/v67.0/query/1-91", "/services/data/v67.0/query/1-31");
  }

  @Test
  void streamsEveryRecordInOrderAndCompletes() {
    Server server = new Server(95, 10);

    StepVerifier.create(stream(server, 2, null).map(QueryStreamTests::id).collectList())
        .assertNext(ids -> {
          assertThat(ids).hasSize(95).doesNotHaveDuplicates().isSorted();
          assertThat(ids.get(94)).isEqualTo(Pages.id(95));
        })
        .verifyComplete();
    assertThat(server.requests).hasSize(10);
  }

  @Test
  void cancellingDisposesThePageRequestInFlight() {
    AtomicBoolean subscribed = new AtomicBoolean();
    AtomicBoolean cancelled = new AtomicBoolean();
    QueryStream<JsonNode> stream = new QueryStream<>(
        request -> Mono.<Page>never().doOnSubscribe(s -> subscribed.set(true)).doOnCancel(() -> cancelled.set(true)),
        QueryStream.PageRequest.start("SELECT Id FROM Account", false, 0), null, Page.Decoding.<JsonNode>bound(Json.recordReader(JsonNode.class)),
        1);

    StepVerifier.create(stream, 0)
        .thenRequest(1)
        .then(() -> assertThat(subscribed).isTrue())
        .thenCancel()
        .verify(BOUND);

    assertThat(cancelled).isTrue();
  }

  @Test
  void anErrorComesAfterTheRecordsReceivedBeforeIt() {
    Server server = new Server(100, 10);
    server.failNextPagesWith = SalesforceException.of(FailureCause.TRANSPORT, "reset");

    StepVerifier.create(stream(server, 1, null))
        .expectNextCount(10)
        .expectErrorSatisfies(e -> assertThat(((SalesforceException) e).failureCause())
            .isEqualTo(FailureCause.TRANSPORT))
        .verify(BOUND);
  }

  @Test
  void aLostCursorFailsAQueryThatIsNotResumableNamingTheOption() {
    Server server = new Server(100, 10);
    server.loseCursorOn.add(2);

    StepVerifier.create(stream(server, 1, null))
        .expectNextCount(20)
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SalesforceException.class, s -> {
          assertThat(s.failureCause()).isEqualTo(FailureCause.QUERY_LOCATOR_INVALID);
          assertThat(s.errorCode()).isEqualTo("INVALID_QUERY_LOCATOR");
          assertThat(s.getMessage()).contains("resumable(true)").contains("after 20 records");
        }))
        .verify(BOUND);
  }

  @Test
  void aLostCursorResumesAResumableQueryAfterTheLastIdReceived() {
    Server server = new Server(100, 10);
    server.loseCursorOn.addAll(List.of(1, 3, 4));

    StepVerifier.create(stream(server, 1, "SELECT Name FROM Account").map(QueryStreamTests::id).collectList())
        .assertNext(ids -> {
          assertThat(ids).hasSize(100).doesNotHaveDuplicates().isSorted();
          assertThat(ids.get(0)).isEqualTo(Pages.id(1));
        })
        .verifyComplete();
    List<String> restarts = server.requests.stream().filter(QueryStream.PageRequest::isStart)
        .map(r -> String.valueOf(r.soql())).toList();
    assertThat(restarts).hasSize(4);
    assertThat(restarts.get(0)).isEqualTo("SELECT Id, Name FROM Account ORDER BY Id");
    assertThat(restarts.get(1)).isEqualTo("SELECT Id, Name FROM Account WHERE Id > '" + Pages.id(10) + "' ORDER BY Id");
  }

  @Test
  void aResumedQueryKeepsTheRestOfItsLimit() {
    Server server = new Server(100, 10);
    server.loseCursorOn.add(1);

    StepVerifier.create(stream(server, 0, "SELECT Id FROM Account LIMIT 35").map(QueryStreamTests::id).collectList())
        .assertNext(ids -> assertThat(ids).hasSize(35).doesNotHaveDuplicates().isSorted())
        .verifyComplete();
    assertThat(server.requests.get(2).soql()).endsWith("ORDER BY Id LIMIT 25");
  }

  @Test
  void givesUpWhenTheCursorIsLostAgainAndAgainWithoutProgress() {
    Server server = new Server(100, 0);
    server.failNextPagesWith = locatorRefused();

    StepVerifier.create(stream(server, 0, "SELECT Id FROM Account"))
        .expectErrorSatisfies(e -> assertThat(e.getMessage()).contains("in a row"))
        .verify(BOUND);
    assertThat(server.requests.stream().filter(QueryStream.PageRequest::isStart).count())
        .isEqualTo(QueryStream.MAX_STALLED_RESTARTS + 1);
  }

  @Test
  void endlessEmptyPagesAreAMalformedResponseNotAHang() {
    Server server = new Server(100, 0);

    StepVerifier.create(stream(server, 1, null))
        .expectErrorSatisfies(e -> assertThat(((SalesforceException) e).failureCause())
            .isEqualTo(FailureCause.MALFORMED_RESPONSE))
        .verify(BOUND);
  }

  @Test
  void aLocatorErrorOnTheFirstRequestIsNotResumed() {
    AtomicInteger requests = new AtomicInteger();
    QueryStream<JsonNode> stream = new QueryStream<>(request -> {
      requests.incrementAndGet();
      return Mono.error(locatorRefused());
    }, QueryStream.PageRequest.start("SELECT Id FROM Account ORDER BY Id", false, 0),
        KeysetSoql.prepare("SELECT Id FROM Account"), Page.Decoding.<JsonNode>bound(Json.recordReader(JsonNode.class)), 1);

    StepVerifier.create(stream)
        .expectErrorSatisfies(e -> assertThat(e.getMessage()).contains("GET /services/data/v67.0/query/x failed"))
        .verify(BOUND);
    assertThat(requests).hasValue(1);
  }
}
