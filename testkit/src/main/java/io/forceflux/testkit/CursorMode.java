package io.forceflux.testkit;

/**
 * Who may continue a query cursor ({@code nextRecordsUrl}). Salesforce's behaviour here is disputed
 * ({@code src/docs/rest-queries.md} §4), so the fake org can play either.
 */
public enum CursorMode {
  /** Any live session of the user that ran the query may fetch the next pages (the documented model). */
  USER,
  /**
   * Only the session that ran the query may continue it; any other session, even a fresh one of the same user,
   * gets {@code 400 INVALID_QUERY_LOCATOR} (the behaviour Airbyte reported in 2026).
   */
  SESSION
}
