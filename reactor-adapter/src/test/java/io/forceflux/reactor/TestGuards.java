package io.forceflux.reactor;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;

/**
 * Guards every test class of this module (auto-registered through
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension}):
 *
 * <ul>
 *   <li><b>Non-blocking:</b> BlockHound is installed before the first test; any blocking call on a
 *       Reactor or Netty non-blocking thread is recorded and fails the test (or class) during which it was made.
 *   <li><b>No secret leaks:</b> every log line (message, arguments and stack traces) captured during a
 *       class is scanned for Salesforce session ids and for the credentials registered with
 *       {@link #secret(String)}; one hit fails the class.
 * </ul>
 */
public final class TestGuards implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  private static final Pattern SESSION_ID = Pattern.compile("00D[A-Za-z0-9]{12,15}![A-Za-z0-9._\\-]{4,}");
  private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
  /** The lines captured since the current class started (kept by the appender, see below). */
  static final ConcurrentLinkedQueue<String> LINES = CapturingAppender.LINES;
  /** Every blocking call BlockHound caught since the current class started, with where it was made. */
  static final ConcurrentLinkedQueue<String> BLOCKING = new ConcurrentLinkedQueue<>();

  static {
    // Four allowances, all brief in-memory locks inside libraries, found by the chaos soak, the fleet tests and
    // a full run: Jackson takes a ReentrantLock once per type while it builds that type's deserializer; Netty
    // 4.2's adaptive allocator takes a StampedLock when it grows its buffer magazines under load; cancelling a
    // Flux.interval takes the JDK executor's queue lock (Reactor's own BlockHound integration allows this for
    // WorkerTask.dispose but not for PeriodicWorkerTask.dispose); Spring's SubscriberInputStream (Bulk results
    // read as a stream) hands each buffer over with ArrayBlockingQueue.offer, which never waits for room (its
    // demand is bounded by the queue) but takes the queue's lock, briefly contended by the reading thread.
    // And one exemption: Lettuce's own event loops (Netty threads, so "non-blocking" to BlockHound) take
    // Lettuce's endpoint lock whenever a connection (re)activates or resubscribes; that is Lettuce's design,
    // not ours. RedisTokenStore sends commands from boundedElastic, so that lock is never taken on a thread of
    // ours or of Reactor Netty, where a hit is still recorded.
    BlockHound.install(builder -> builder
        .allowBlockingCallsInside("tools.jackson.databind.deser.DeserializerCache", "_createAndCacheValueDeserializer")
        .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines")
        .allowBlockingCallsInside("reactor.core.scheduler.PeriodicWorkerTask", "dispose")
        .allowBlockingCallsInside("org.springframework.core.io.buffer.SubscriberInputStream", "onNext")
        // Recorded, not thrown: BlockHound's error, thrown from inside LockSupport.park, leaves the lock's wait
        // queue corrupt (a node nobody cancels) and so turns a brief wait into a hang somewhere else, far from
        // the cause. The test (or class) in which a call was recorded fails instead, with the call's stack.
        .blockingMethodCallback(method -> {
          String thread = Thread.currentThread().getName();
          if (!thread.startsWith("lettuce-")) {
            BLOCKING.add(thread + ": " + method + "\n" + stack(new BlockingOperationError(method)));
          }
        }));
  }

  /** Registers a secret that must never appear in a log line. */
  public static void secret(String value) {
    if (value != null && value.length() >= 6) {
      SECRETS.add(value);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    LINES.clear();
    BLOCKING.clear();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    failOnBlockingCalls(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<String> leaks = leaks(new ArrayList<>(LINES));
    LINES.clear();
    failOnBlockingCalls(context);
    if (!leaks.isEmpty()) {
      throw new AssertionError("secret material in " + leaks.size() + " log line(s) of "
          + context.getDisplayName() + "; first (masked): " + mask(leaks.get(0)));
    }
  }

  private static void failOnBlockingCalls(ExtensionContext context) {
    List<String> blocking = new ArrayList<>(BLOCKING);
    BLOCKING.clear();
    if (!blocking.isEmpty()) {
      throw new AssertionError(blocking.size() + " blocking call(s) on non-blocking threads during "
          + context.getDisplayName() + "; first: " + blocking.get(0));
    }
  }

  /** The lines that contain a session id or a registered secret. */
  static List<String> leaks(List<String> lines) {
    List<String> leaks = new ArrayList<>();
    for (String line : lines) {
      if (SESSION_ID.matcher(line).find() || SECRETS.stream().anyMatch(line::contains)) {
        leaks.add(line);
      }
    }
    return leaks;
  }

  private static String stack(Throwable t) {
    StringBuilder sb = new StringBuilder();
    StackTraceElement[] frames = t.getStackTrace();
    for (int i = 0; i < Math.min(frames.length, 40); i++) {
      sb.append("\tat ").append(frames[i]).append('\n');
    }
    return sb.toString();
  }

  private static String mask(String line) {
    String masked = SESSION_ID.matcher(line).replaceAll("00D…[leaked]");
    for (String s : SECRETS) {
      masked = masked.replace(s, "[leaked secret]");
    }
    return masked.length() > 300 ? masked.substring(0, 300) + "…" : masked;
  }

  /**
   * Logback appender (see logback-test.xml) that keeps every formatted line for the scan. It holds the
   * lines itself so that loading it does not install BlockHound: child JVMs started with the test
   * classpath log through it without the guard's JVM flags.
   */
  public static final class CapturingAppender extends AppenderBase<ILoggingEvent> {
    static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();

    @Override
    protected void append(ILoggingEvent event) {
      StringBuilder sb = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        sb.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
      }
      LINES.add(sb.toString());
    }
  }
}
