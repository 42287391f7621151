package io.forceflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class LineLayoutTests {
  private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n";

  private final LoggerContext context = new LoggerContext();
  private final Logger logger = context.getLogger("io.forceflux.reactor.CachingTokenSource");

  @Test
  void writesWhatThePatternItReplacesWrote() {
    LoggingEvent event = new LoggingEvent("x", logger, Level.WARN, "token {} refused", null, new Object[] {"ab12"});
    assertThat(layout().doLayout(event)).isEqualTo(pattern().doLayout(event))
        .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  i\\.f\\.r\\.CachingTokenSource - token ab12 refused\\R");
  }

  @Test
  void addsTheStackTraceAfterTheLine() {
    IllegalStateException thrown = new IllegalStateException("boom");
    LoggingEvent event = new LoggingEvent("x", logger, Level.ERROR, "failed", thrown, null);
    String line = layout().doLayout(event);
    assertThat(line).startsWith(pattern().doLayout(event).lines().findFirst().orElseThrow())
        .contains("java.lang.IllegalStateException: boom", "at io.forceflux.cli.LineLayoutTests");
  }

  private LineLayout layout() {
    LineLayout layout = new LineLayout();
    layout.setContext(context);
    layout.start();
    return layout;
  }

  private PatternLayout pattern() {
    PatternLayout pattern = new PatternLayout();
    pattern.setContext(context);
    pattern.setPattern(PATTERN);
    pattern.start();
    return pattern;
  }
}
