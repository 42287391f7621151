package io.forceflux.cli;

import ch.qos.logback.classic.pattern.Abbreviator;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One log line: {@code HH:mm:ss.SSS LEVEL logger - message}, the logger name shortened to about 24 characters, then
 * the stack trace if there is one; what the pattern {@code %d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n} writes.
 *
 * <p>By hand because a pattern layout parses its pattern and builds its converters (a date formatter in the system
 * time zone among them) when logging is set up, on every start; a command that logs nothing (the usual case:
 * warnings only) then pays for that, some 20 ms. Here the first line logged pays instead.
 */
final class LineLayout extends LayoutBase<ILoggingEvent> {
  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128)
        .append(Lazy.TIME.format(Instant.ofEpochMilli(event.getTimeStamp())))
        .append(' ');
    String level = event.getLevel().toString();
    line.append(level);
    for (int i = level.length(); i < 5; i++) {
      line.append(' ');
    }
    line.append(' ').append(Lazy.NAMES.abbreviate(event.getLoggerName())).append(" - ")
        .append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append(ThrowableProxyUtil.asString(thrown));
    }
    return line.toString();
  }

  /** Built by the first line logged. */
  private static final class Lazy {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
    static final Abbreviator NAMES = new TargetLengthBasedClassNameAbbreviator(24);

    private Lazy() {}
  }
}
