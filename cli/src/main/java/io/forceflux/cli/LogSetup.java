package io.forceflux.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;

/**
 * The command's logging, set up in code (found by logback through {@code META-INF/services}): everything to stderr
 * at WARN, so stdout stays clean for query output and {@code demo --json}; {@code io.forceflux.session} (tokens
 * issued, replays, give-ups) goes to INFO with {@code --verbose} ({@link Logging}); lines as {@link LineLayout} writes them.
 *
 * <p>In code rather than in a {@code logback.xml} because reading XML is the larger part of logback's start-up (an
 * XML parser and logback's model classes, loaded and initialised on every start). {@code
 * -Dlogback.configurationFile=...} still wins: this configurator then steps aside.
 *
 * <p>Logback's own warnings and errors about its set-up go to stderr through {@link Problems}. Without a status
 * listener, logback checks its start-up with its status printer, whose date formatter and time-zone data cost a
 * one-row query about 14 ms.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
  /** For logback's service loader. */
  public LogSetup() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    LineLayout layout = new LineLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Problems problems = new Problems();
    context.getStatusManager().add(problems);
    for (Status status : context.getStatusManager().getCopyOfStatusList()) {
      problems.addStatusEvent(status);
    }
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(stderr);
    context.getLogger(Logging.SESSION_LOGGER).setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Logback's warnings and errors about itself, one line each on stderr; its routine notices are dropped. */
  static final class Problems implements StatusListener {
    @Override
    public void addStatusEvent(Status status) {
      if (status.getEffectiveLevel() >= Status.WARN) {
        Throwable t = status.getThrowable();
        System.err.println("logback: " + status.getMessage() + (t == null ? "" : " (" + t + ")"));
      }
    }
  }
}
