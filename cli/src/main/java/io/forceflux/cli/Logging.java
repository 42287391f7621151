package io.forceflux.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Raises ForceFlux's session log to INFO for {@code --verbose}; everything logs to stderr ({@link LogSetup}). */
final class Logging {
  static final String SESSION_LOGGER = "io.forceflux.session";

  private static volatile boolean verbose;

  private Logging() {}

  /** Whether {@code --verbose} was given. */
  static boolean isVerbose() {
    return verbose;
  }

  static void verbose(boolean on) {
    verbose = on;
    if (LoggerFactory.getLogger(SESSION_LOGGER) instanceof Logger logger) {
      logger.setLevel(on ? Level.INFO : Level.WARN);
    }
  }
}
