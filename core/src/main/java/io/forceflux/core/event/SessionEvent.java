package io.forceflux.core.event;

import io.forceflux.core.auth.GrantType;
import io.forceflux.core.error.FailureCause;
import java.time.Duration;
import java.time.Instant;

/**
 * Something that happened to a session. Events carry token fingerprints, never token values.
 */
public sealed interface SessionEvent {
  /** When it happened (by the injected clock). */
  Instant at();

  /**
   * A token was obtained.
   *
   * @param grant the grant used
   * @param reason why
   * @param latency how long the token request took
   * @param fingerprint the new token's fingerprint
   */
  record TokenIssued(Instant at, GrantType grant, RefreshReason reason, Duration latency, String fingerprint)
      implements SessionEvent {}

  /** A token request failed (it may be retried). */
  record RefreshFailed(Instant at, GrantType grant, FailureCause cause, int attempt) implements SessionEvent {}

  /**
   * A request was replayed after its session died.
   *
   * @param method the HTTP method
   * @param path the path (no query string)
   * @param attempt the attempt number of the replay (2 = first replay)
   */
  record RequestReplayed(Instant at, String method, String path, int attempt, FailureCause because)
      implements SessionEvent {}

  /** ForceFlux gave up on a request or on obtaining a token. */
  record RecoveryGaveUp(Instant at, FailureCause cause, int attempts) implements SessionEvent {
    /** What an operator should do. */
    public String runbook() {
      return cause.runbook();
    }
  }

  /** A non-recoverable failure opened the circuit: {@code token()} fails fast until {@code probeAfter}. */
  record CircuitOpened(Instant at, FailureCause cause, Duration probeAfter) implements SessionEvent {}

  /** A probe succeeded (or the circuit was reset): tokens flow again. */
  record CircuitClosed(Instant at) implements SessionEvent {}
}
