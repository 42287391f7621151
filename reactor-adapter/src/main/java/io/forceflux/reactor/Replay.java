package io.forceflux.reactor;

import io.forceflux.core.error.SalesforceException;

/**
 * {@link SessionRecoveryFilter}'s internal retry signal: never escapes the filter (converted to its failure on
 * give-up).
 */
final class Replay extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final transient Kind kind;
  final transient SalesforceException failure;

  Replay(Kind kind, SalesforceException failure) {
    super(failure.getMessage(), null, false, false);
    this.kind = kind;
    this.failure = failure;
  }

  /** Why a replay may help: a session expired, a token obtained during recovery was rejected, or a transient. */
  enum Kind { SESSION, FRESH_SESSION, TRANSIENT }
}
