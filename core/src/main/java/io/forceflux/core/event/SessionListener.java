package io.forceflux.core.event;

import java.util.Objects;

/**
 * Receives {@link SessionEvent}s. Called synchronously on whatever thread produced the event, possibly
 * an event loop: implementations must be fast and must not block or throw (a throwing listener is
 * isolated and its exception dropped by the publisher).
 */
@FunctionalInterface
public interface SessionListener {
  /** A listener that ignores everything. */
  SessionListener NONE = event -> { };

  /** Handles one event. */
  void onEvent(SessionEvent event);

  /** A listener that logs each event through SLF4J ({@code io.forceflux.session}) without secrets. */
  static SessionListener logging() {
    return LoggingSessionListener.INSTANCE;
  }

  /**
   * This listener, then {@code next}: each gets every event even if the other throws. The first exception is
   * rethrown once both ran (a later one is added to it as suppressed), so the publisher still sees and drops it; a
   * {@link VirtualMachineError} is rethrown at once.
   */
  default SessionListener andThen(SessionListener next) {
    Objects.requireNonNull(next, "next");
    SessionListener first = this;
    return event -> {
      Throwable failed = null;
      try {
        first.onEvent(event);
      } catch (RuntimeException | Error e) {
        failed = fatalOrKeep(e);
      }
      try {
        next.onEvent(event);
      } catch (RuntimeException | Error e) {
        Throwable kept = fatalOrKeep(e);
        if (failed == null) {
          failed = kept;
        } else if (failed != kept) {
          failed.addSuppressed(kept);
        }
      }
      if (failed instanceof RuntimeException r) {
        throw r;
      }
      if (failed instanceof Error e) {
        throw e;
      }
    };
  }

  private static Throwable fatalOrKeep(Throwable e) {
    if (e instanceof VirtualMachineError fatal) {
      throw fatal;
    }
    return e;
  }
}
