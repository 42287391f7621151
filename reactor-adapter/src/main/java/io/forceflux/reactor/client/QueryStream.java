package io.forceflux.reactor.client;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

/**
 * The records of one query, paged on demand. Each subscription runs the query afresh.
 *
 * <p>A small state machine owned by one drain loop at a time (the usual work-in-progress counter): downstream
 * {@code request(n)}, page arrivals and cancellation only enqueue a signal and drain. At most one page request is
 * in flight; pages are requested one after another because each names the next (a page's head names it, so the
 * next request can go out while the rest of the page is checked).
 *
 * <ul>
 *   <li><b>On demand:</b> a page is requested when the subscriber has asked for more records than are buffered.
 *       A fresh subscription requests nothing until {@code request(n)}; {@code request(1)} costs one page.
 *       Unbounded demand ({@code count()}, {@code collectList()}) reaches every page, so the next page is
 *       requested as soon as the previous one arrives, overlapping I/O with emission (still one at a time).
 *   <li><b>Prefetch:</b> with {@code prefetch = k > 0}, up to {@code k} further pages are fetched ahead, so the
 *       next page is usually there when demand reaches it: on the first page once half of it has been emitted (a
 *       subscriber taking a few records costs one page request), and once the subscriber has taken a whole page,
 *       as soon as a page arrives (a subscriber that reads on then waits for no page request of its own: the
 *       request overlaps the whole page's emission, not half of it). Memory is bounded by {@code 1 + k} pages of
 *       raw bytes; records are decoded one at a time on emission.
 *   <li><b>Cancellation</b> disposes the request in flight and requests nothing more.
 *   <li><b>Lost cursor:</b> a next-page request refused with {@code INVALID_QUERY_LOCATOR} (the session filter has
 *       already replayed it once after any re-authentication) restarts a resumable query after the last record
 *       received, with the rest of its LIMIT; records already received are still emitted, so nothing is skipped
 *       or repeated. A query that is not resumable fails with {@link FailureCause#QUERY_LOCATOR_INVALID}.
 *   <li><b>Errors</b> are signalled once the records received before them have been emitted.
 * </ul>
 */
final class QueryStream<T> extends Flux<T> {
  private static final Logger LOG = LoggerFactory.getLogger(QueryStream.class);
  /** Restarts in a row that produced no record before the cursor was lost again: then give up. */
  static final int MAX_STALLED_RESTARTS = 3;
  /** Empty pages in a row that still name a next page: a server that never ends the query. */
  static final int MAX_EMPTY_PAGES = 10;

  /**
   * Fetches one page. The returned {@code Mono} must emit a page or an error, never complete empty. The page may
   * be unchecked ({@link Page#received}): the stream checks it before using any of it.
   */
  @FunctionalInterface
  interface PageSource {
    Mono<Page> fetch(PageRequest request);
  }

  /**
   * What to fetch: the start of a query ({@code soql} set) or a next page ({@code path} set, already checked to
   * be a trusted host-relative path).
   */
  record PageRequest(@Nullable String soql, @Nullable String path, boolean all, int batchSize) {
    static PageRequest start(String soql, boolean all, int batchSize) {
      return new PageRequest(soql, null, all, batchSize);
    }

    PageRequest next(String nextRecordsUrl) {
      return new PageRequest(null, nextRecordsUrl, all, batchSize);
    }

    boolean isStart() {
      return soql != null;
    }
  }

  private final PageSource source;
  private final PageRequest first;
  private final @Nullable KeysetSoql keyset;
  private final Page.Decoding<T> decoding;
  private final int prefetch;

  QueryStream(PageSource source, PageRequest first, @Nullable KeysetSoql keyset, Page.Decoding<T> decoding,
      int prefetch) {
    this.source = source;
    this.first = first;
    this.keyset = keyset;
    this.decoding = decoding;
    this.prefetch = prefetch;
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    Objects.requireNonNull(actual, "actual");
    actual.onSubscribe(new Cursor<>(actual, this));
  }

  private record Failed(Throwable error) {}

  /** A page request's answer (a {@link Page} or {@link Failed}), with the number of the request it answers. */
  private record Arrival(long fetch, Object value) {}

  static final class Cursor<T> implements Subscription {
    @SuppressWarnings("rawtypes")
    private static final AtomicLongFieldUpdater<Cursor> REQUESTED =
        AtomicLongFieldUpdater.newUpdater(Cursor.class, "requested");

    private final CoreSubscriber<? super T> actual;
    private final PageSource source;
    private final @Nullable KeysetSoql keyset;
    private final Page.Decoding<T> decoding;
    private final int prefetch;
    private final AtomicInteger wip = new AtomicInteger();
    private final Queue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    private volatile long requested;
    private volatile boolean cancelled;
    private volatile @Nullable Disposable inflight;

    // Owned by the drain loop.
    private final ArrayDeque<Page> pages = new ArrayDeque<>();
    private long buffered;
    private @Nullable PageRequest next;
    private @Nullable PageRequest fetching;
    private @Nullable Throwable failure;
    private long received;
    private @Nullable String lastId;
    private int stalledRestarts;
    private int emptyPages;
    /** Whether the subscriber has taken a whole page of records: it reads on, so pages are fetched ahead at once. */
    private boolean readsOn;
    /** Page requests started or abandoned: an arrival is current only if it carries this number. */
    private long fetches;

    Cursor(CoreSubscriber<? super T> actual, QueryStream<T> parent) {
      this.actual = actual;
      this.source = parent.source;
      this.keyset = parent.keyset;
      this.decoding = parent.decoding;
      this.prefetch = parent.prefetch;
      this.next = parent.first;
    }

    @Override
    public void request(long n) {
      if (Operators.validate(n)) {
        Operators.addCap(REQUESTED, this, n);
        drain();
      }
    }

    @Override
    public void cancel() {
      if (!cancelled) {
        cancelled = true;
        disposeInflight();
        drain();
      }
    }

    private void disposeInflight() {
      Disposable d = inflight;
      if (d != null) {
        d.dispose();
      }
    }

    private void drain() {
      if (wip.getAndIncrement() != 0) {
        return;
      }
      int missed = 1;
      while (true) {
        if (cancelled) {
          clear();
          return;
        }
        Arrival arrival;
        while ((arrival = arrivals.poll()) != null) {
          accept(arrival);
        }
        long r = requested;
        long e = 0;
        while (e != r) {
          Page head = pages.peek();
          if (head == null) {
            break;
          }
          T item;
          try {
            item = head.next(decoding);
          } catch (RuntimeException ex) {
            // Malformed records, or a RecordDecoder's own failure: after the records before it, never thrown.
            disposeInflight();
            clear();
            actual.onError(ex);
            return;
          }
          if (item == null) {
            exhausted(pages.poll());
            continue;
          }
          buffered--;
          actual.onNext(item);
          if (cancelled) {
            clear();
            return;
          }
          e++;
          maybeFetch(r - e);
        }
        if (e != 0 && r != Long.MAX_VALUE) {
          REQUESTED.addAndGet(this, -e);
        }
        while (!pages.isEmpty() && pages.peek().remaining() == 0) {
          exhausted(pages.poll());
        }
        if (pages.isEmpty() && fetching == null) {
          if (failure != null) {
            actual.onError(failure);
            return;
          }
          if (next == null) {
            actual.onComplete();
            return;
          }
        }
        maybeFetch(requested);
        missed = wip.addAndGet(-missed);
        if (missed == 0) {
          return;
        }
      }
    }

    /** Drops a page whose records were all taken. Drain loop only. */
    private void exhausted(Page page) {
      page.close();
      if (page.size() > 0) {
        readsOn = true;
      }
    }

    /** Starts the next page request if demand reaches it, or if prefetch allows it. Drain loop only. */
    private void maybeFetch(long outstanding) {
      PageRequest request = next;
      if (fetching != null || request == null || failure != null || cancelled) {
        return;
      }
      boolean due = outstanding > buffered;
      if (!due && prefetch > 0) {
        Page head = pages.peek();
        due = head != null && pages.size() - 1 < prefetch && (readsOn || head.taken() * 2L >= head.size());
      }
      if (due) {
        fetch(request);
      }
    }

    /** Requests a page; its answer arrives tagged with this request's number. Drain loop only. */
    private void fetch(PageRequest request) {
      fetching = request;
      long id = ++fetches;
      Disposable d = source.fetch(request)
          .switchIfEmpty(Mono.error(() -> Rest.malformed("no query response", null)))
          .contextWrite(actual.currentContext())
          .subscribe(page -> arrive(new Arrival(id, page)), error -> arrive(new Arrival(id, new Failed(error))));
      inflight = d;
      if (cancelled) {
        d.dispose();
      }
    }

    /** Abandons the request in flight: it is disposed, and an answer already on its way is dropped. */
    private void abandonFetch() {
      disposeInflight();
      inflight = null;
      fetching = null;
      fetches++;
    }

    private void arrive(Arrival arrival) {
      arrivals.offer(arrival);
      drain();
    }

    private void accept(Arrival arrival) {
      if (arrival.fetch() != fetches || fetching == null) {
        // The answer to an abandoned request.
        if (arrival.value() instanceof Page page) {
          page.close();
        }
        return;
      }
      PageRequest request = fetching;
      fetching = null;
      inflight = null;
      if (arrival.value() instanceof Page page) {
        accept(request, page);
        return;
      }
      Throwable error = ((Failed) arrival.value()).error();
      next = null;
      if (!request.isStart() && error instanceof SalesforceException se
          && se.failureCause() == FailureCause.QUERY_LOCATOR_INVALID) {
        failure = cursorLost(request, se);
      } else {
        failure = error;
      }
    }

    /**
     * A page arrived unchecked. When the subscriber reads on and prefetch has room, the next page the page's head
     * announces is requested first, so that Salesforce prepares it while this page is checked; the check then has
     * the last word: a page that fails it fails the query and abandons that request, and a next page it names
     * otherwise replaces it.
     */
    private void accept(PageRequest request, Page page) {
      String announced = page.announcedNext();
      boolean early = announced != null && readsOn && prefetch > 0 && pages.size() < prefetch && failure == null
          && !cancelled;
      if (early) {
        next = request.next(announced);
        fetch(next);
      }
      try {
        page.check();
      } catch (RuntimeException e) {
        if (early) {
          abandonFetch();
        }
        page.close();
        next = null;
        failure = e;
        return;
      }
      pages.add(page);
      buffered += page.size();
      received += page.size();
      if (page.size() > 0) {
        stalledRestarts = 0;
        emptyPages = 0;
        lastId = page.lastId();
      }
      String url = page.nextRecordsUrl();
      if (early && !Objects.equals(url, announced)) {
        abandonFetch();
        early = false;
      }
      if (!early) {
        next = url == null ? null : request.next(url);
      }
      if (url != null && page.size() == 0 && ++emptyPages >= MAX_EMPTY_PAGES) {
        if (early) {
          abandonFetch();
        }
        next = null;
        failure = Rest.malformed("the query sent " + MAX_EMPTY_PAGES + " empty pages in a row without ending", null);
      }
    }

    /** Restarts a resumable query (sets {@link #next}, returns null) or explains why not. */
    private @Nullable SalesforceException cursorLost(PageRequest request, SalesforceException refused) {
      if (keyset == null) {
        return SalesforceException.reclassifying(FailureCause.QUERY_LOCATOR_INVALID,
            "the query cursor was refused after " + received + " records and this query is not resumable: build it "
                + "with Query.of(soql).resumable(true) (ordered by Id) to continue after the last record received",
            refused);
      }
      if (++stalledRestarts > MAX_STALLED_RESTARTS) {
        return SalesforceException.reclassifying(FailureCause.QUERY_LOCATOR_INVALID,
            "the query cursor was refused " + MAX_STALLED_RESTARTS
                + " times in a row right after resuming, with no record in between",
            refused);
      }
      if (received > 0 && lastId == null) {
        return SalesforceException.reclassifying(FailureCause.QUERY_LOCATOR_INVALID,
            "the query cursor was refused and the query cannot resume: the last record received carries no Id",
            refused);
      }
      String soql;
      try {
        soql = keyset.resumeAfter(lastId, received);
      } catch (IllegalArgumentException e) {
        return Rest.malformed("the query cursor was refused and the query cannot resume: the last record's Id is "
            + "not a Salesforce Id", null);
      }
      LOG.debug("query cursor refused after {} records; resuming after the last Id received", received);
      next = soql == null ? null : PageRequest.start(soql, request.all(), request.batchSize());
      return null;
    }

    private void clear() {
      for (Page page : pages) {
        page.close();
      }
      pages.clear();
      arrivals.clear();
    }
  }
}
