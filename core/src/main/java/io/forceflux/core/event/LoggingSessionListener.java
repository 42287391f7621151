package io.forceflux.core.event;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs session events: routine ones at DEBUG/INFO, failures at WARN, giving up and circuits at ERROR. */
final class LoggingSessionListener implements SessionListener {
  static final LoggingSessionListener INSTANCE = new LoggingSessionListener();
  private static final Logger LOG = LoggerFactory.getLogger("io.forceflux.session");

  private LoggingSessionListener() {}

  @Override
  public void onEvent(SessionEvent event) {
    if (event instanceof SessionEvent.TokenIssued e) {
      LOG.info("token issued: grant={} reason={} latency={}ms token={}",
          e.grant(), e.reason(), e.latency().toMillis(), e.fingerprint());
    } else if (event instanceof SessionEvent.RefreshFailed e) {
      LOG.warn("token request failed: grant={} cause={} attempt={}", e.grant(), e.cause(), e.attempt());
    } else if (event instanceof SessionEvent.RequestReplayed e) {
      LOG.debug("replaying {} {} (attempt {}) after {}", e.method(), e.path(), e.attempt(), e.because());
    } else if (event instanceof SessionEvent.RecoveryGaveUp e) {
      LOG.error("gave up after {} attempt(s): {}. Runbook: {}", e.attempts(), e.cause(), e.runbook());
    } else if (event instanceof SessionEvent.CircuitOpened e) {
      LOG.error("circuit opened: {}; token requests fail fast for {}. Runbook: {}",
          e.cause(), e.probeAfter(), e.cause().runbook());
    } else if (event instanceof SessionEvent.CircuitClosed) {
      LOG.info("circuit closed: tokens flow again");
    }
  }
}
