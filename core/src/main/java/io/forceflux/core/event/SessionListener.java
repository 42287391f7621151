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

  /** This listener, then {@code next}. */
  default SessionListener andThen(SessionListener next) {
    Objects.requireNonNull(next, "next");
    return event -> {
      onEvent(event);
      next.onEvent(event);
    };
  }
}
