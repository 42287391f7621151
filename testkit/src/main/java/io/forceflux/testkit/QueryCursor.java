package io.forceflux.testkit;

import java.time.Instant;

/**
 * A server-side query cursor: a frozen result plus who may continue it. Pages are rendered from the result on
 * demand, so a cursor over a million generated records costs a few objects, not a million.
 */
final class QueryCursor {

  final String locator;
  final QueryResult result;
  final long total;
  final Instant createdAt;
  final String sessionToken;
  final String userId;
  final int batchSize;

  QueryCursor(String locator, QueryResult result, Instant createdAt, String sessionToken, String userId,
      int batchSize) {
    this.locator = locator;
    this.result = result;
    this.total = result.totalSize();
    this.createdAt = createdAt;
    this.sessionToken = sessionToken;
    this.userId = userId;
    this.batchSize = batchSize;
  }

  @Override
  public String toString() {
    return "QueryCursor[" + locator + ", " + result.store.name + ", total=" + total + "]";
  }
}
