package io.forceflux.reactor;

import io.forceflux.core.event.SessionEvent;
import io.forceflux.core.event.SessionListener;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;

/**
 * The one way ForceFlux calls a {@link SessionListener}: an exception from the listener loses that event and
 * nothing else. Without it, a listener throwing on {@code RequestReplayed} would turn a replayable 401 into an
 * untyped error, and one throwing inside a refresh callback could leave waiters without a signal.
 */
final class IsolatedListener implements SessionListener {
  private static final Logger LOG = LoggerFactory.getLogger(IsolatedListener.class);

  private final SessionListener delegate;
  private final AtomicBoolean warned = new AtomicBoolean();

  private IsolatedListener(SessionListener delegate) {
    this.delegate = delegate;
  }

  /** {@code listener}, isolated; an already isolated listener is returned as it is. */
  static SessionListener of(SessionListener listener) {
    return listener instanceof IsolatedListener ? listener : new IsolatedListener(listener);
  }

  @Override
  public void onEvent(SessionEvent event) {
    try {
      delegate.onEvent(event);
    } catch (Throwable e) {
      Exceptions.throwIfJvmFatal(e);
      // The exception's message is the listener's and may say anything: only its type is logged. Once at
      // WARN per listener, then at DEBUG, so a listener failing on every event cannot flood the log.
      if (warned.compareAndSet(false, true)) {
        LOG.warn("session listener threw {}; its events are dropped while it throws", e.getClass().getName());
      } else {
        LOG.debug("session listener threw {}; event {} dropped", e.getClass().getName(),
            event.getClass().getSimpleName());
      }
    }
  }
}
