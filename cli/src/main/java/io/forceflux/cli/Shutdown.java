package io.forceflux.cli;

/**
 * Tells a shutdown hook whether the JVM is exiting because {@link ForceFlux#main} returned (keep the exit code)
 * or because of a signal (SIGINT, SIGTERM: a long-running command then ends with 0 after cleaning up).
 */
final class Shutdown {
  private static volatile boolean exiting;

  private Shutdown() {}

  /** Called by {@code main} right before {@code System.exit}. */
  static void exiting() {
    exiting = true;
  }

  /** Whether {@code main} started the shutdown itself. */
  static boolean byMain() {
    return exiting;
  }
}
