package io.forceflux.cli;

import java.time.Duration;
import reactor.netty.http.HttpResources;

/**
 * Stops Reactor Netty's shared event loops before the JVM exits.
 *
 * <p>An idle event loop thread sits in native code ({@code epoll_wait}). On exit the JDK waits for threads in
 * native code to come back before it stops: up to about 300 ms, which was a third of a one-row query's wall
 * clock time. Stopping the loops first (no quiet period: nothing is in flight once a command has returned)
 * takes about 10 ms.
 */
final class EventLoops {
  private static final String PREFIX = "reactor-http-";

  private EventLoops() {}

  /** Stops the shared loops if any was started (a command that used no network loads none of Netty). */
  static void stop() {
    if (!started()) {
      return;
    }
    try {
      HttpResources.disposeLoopsAndConnectionsLater(Duration.ZERO, Duration.ofSeconds(1))
          .block(Duration.ofSeconds(2));
    } catch (RuntimeException e) {
      // Exiting anyway: the JVM then only waits the longer.
    }
  }

  private static boolean started() {
    Thread[] threads = new Thread[Thread.activeCount() + 8];
    int n = Thread.enumerate(threads);
    for (int i = 0; i < n; i++) {
      if (threads[i].getName().startsWith(PREFIX)) {
        return true;
      }
    }
    return false;
  }
}
