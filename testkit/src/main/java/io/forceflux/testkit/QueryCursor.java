package io.forceflux.testkit;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A server-side query cursor: a frozen result set plus where each page starts. Pages are rendered from the
 * snapshot on demand, so a cursor over a million generated records costs a few objects, not a million.
 */
final class QueryCursor {

    final String locator;
    final SObjectStore store;
    final List<String> fields;
    final SObjectStore.Snapshot snapshot;
    final long total;
    final Instant createdAt;
    final String sessionToken;
    final String userId;
    final int batchSize;
    /** Offset of a page start → the seq just before it, so consecutive pages do not rescan from the start. */
    private final ConcurrentHashMap<Long, Long> checkpoints = new ConcurrentHashMap<>();

    QueryCursor(String locator, SObjectStore store, List<String> fields, SObjectStore.Snapshot snapshot, long total,
            Instant createdAt, String sessionToken, String userId, int batchSize) {
        this.locator = locator;
        this.store = store;
        this.fields = fields;
        this.snapshot = snapshot;
        this.total = total;
        this.createdAt = createdAt;
        this.sessionToken = sessionToken;
        this.userId = userId;
        this.batchSize = batchSize;
        checkpoints.put(0L, snapshot.lower());
    }

    /** The seq just before the record at {@code offset}. */
    long seqBefore(long offset) {
        Long known = checkpoints.get(offset);
        if (known != null) {
            return known;
        }
        long seq = snapshot.lower();
        for (long i = 0; i < offset && seq >= 0; i++) {
            seq = store.next(snapshot, seq);
        }
        return seq;
    }

    void checkpoint(long offset, long seqBefore) {
        checkpoints.put(offset, seqBefore);
    }

    @Override
    public String toString() {
        return "QueryCursor[" + locator + ", " + store.name + ", total=" + total + "]";
    }
}
