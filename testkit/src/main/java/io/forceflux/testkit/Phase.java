package io.forceflux.testkit;

/** When a {@link Fault} strikes relative to the request's execution. */
public enum Phase {
  /**
   * The fault replaces the request before anything runs: no session is touched, nothing is written, no token is
   * issued. A latency fault delays the request and then lets it run normally.
   */
  BEFORE,
  /**
   * The request runs first (its writes are recorded in {@link FakeOrg#stats()} and {@link FakeOrg#ledger(String)},
   * its tokens are issued), then the fault replaces the response. Requests that are rejected without running
   * (401, 403 limit exceeded) pass through without using up the fault. A latency fault delays the real response.
   */
  AFTER
}
