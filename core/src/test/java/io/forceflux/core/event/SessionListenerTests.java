package io.forceflux.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.GrantType;
import io.forceflux.core.error.FailureCause;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SessionListenerTests {
  private static final Instant AT = Instant.parse("2026-03-01T10:15:30Z");
  private static final String TOKEN_VALUE = "00D5g000004ABCD!AQ8AQJ.x_verylongtokenvalue123";
  private static final AccessToken TOKEN =
      AccessToken.of(TOKEN_VALUE, URI.create("https://na1.salesforce.com"), AT, GrantType.REFRESH_TOKEN);

  private final Logger logger = (Logger) LoggerFactory.getLogger("io.forceflux.session");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private Level previousLevel;

  @BeforeEach
  void captureTheSessionLog() {
    previousLevel = logger.getLevel();
    logger.setLevel(Level.TRACE);
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void releaseTheSessionLog() {
    logger.detachAppender(appender);
    appender.stop();
    logger.setLevel(previousLevel);
  }

  private static List<SessionEvent> oneOfEachKind() {
    return List.of(
        new SessionEvent.TokenIssued(AT, GrantType.REFRESH_TOKEN, RefreshReason.REJECTED, Duration.ofMillis(231),
            TOKEN.fingerprint()),
        new SessionEvent.RefreshFailed(AT, GrantType.JWT_BEARER, FailureCause.CONCURRENT_REFRESH, 2),
        new SessionEvent.RequestReplayed(AT, "POST", "/services/data/v67.0/sobjects/Account", 2,
            FailureCause.SESSION_EXPIRED),
        new SessionEvent.RecoveryGaveUp(AT, FailureCause.REFRESH_TOKEN_REVOKED, 5),
        new SessionEvent.CircuitOpened(AT, FailureCause.IP_RESTRICTED, Duration.ofMinutes(1)),
        new SessionEvent.CircuitClosed(AT));
  }

  @Test
  void logsEveryKindOfEventOnceAtItsLevel() {
    SessionListener listener = SessionListener.logging();

    for (SessionEvent event : oneOfEachKind()) {
      assertThatCode(() -> listener.onEvent(event)).doesNotThrowAnyException();
    }

    assertThat(appender.list).extracting(ILoggingEvent::getLevel)
        .containsExactly(Level.INFO, Level.WARN, Level.DEBUG, Level.ERROR, Level.ERROR, Level.INFO);
    assertThat(appender.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).isNotBlank());
  }

  @Test
  void logsWhatAnOperatorNeedsForEachEvent() {
    SessionListener listener = SessionListener.logging();

    oneOfEachKind().forEach(listener::onEvent);

    Map<Level, String> text = appender.list.stream().collect(Collectors.groupingBy(ILoggingEvent::getLevel,
        Collectors.mapping(ILoggingEvent::getFormattedMessage, Collectors.joining("\n"))));
    assertThat(text.get(Level.INFO)).contains("REFRESH_TOKEN").contains("REJECTED").contains("231ms")
        .contains("circuit closed");
    assertThat(text.get(Level.WARN)).contains("JWT_BEARER").contains("CONCURRENT_REFRESH").contains("attempt=2");
    assertThat(text.get(Level.DEBUG)).contains("POST").contains("/services/data/v67.0/sobjects/Account")
        .contains("SESSION_EXPIRED");
    assertThat(text.get(Level.ERROR)).contains("5 attempt").contains(FailureCause.REFRESH_TOKEN_REVOKED.runbook())
        .contains("IP_RESTRICTED").contains(FailureCause.IP_RESTRICTED.runbook()).contains("PT1M");
  }

  @Test
  void logsTheTokenFingerprintButNeverTheToken() {
    SessionListener.logging().onEvent(
        new SessionEvent.TokenIssued(AT, GrantType.PASSWORD, RefreshReason.INITIAL, Duration.ZERO, TOKEN.fingerprint()));

    assertThat(appender.list).singleElement().satisfies(e -> {
      assertThat(e.getFormattedMessage()).contains(TOKEN.fingerprint()).doesNotContain(TOKEN_VALUE)
          .doesNotContain("verylongtokenvalue");
      assertThat(e.getArgumentArray()).doesNotContain(TOKEN_VALUE);
    });
  }

  @Test
  void neverLogsTheTokenForAnyEvent() {
    oneOfEachKind().forEach(SessionListener.logging()::onEvent);

    assertThat(appender.list).isNotEmpty()
        .allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(TOKEN_VALUE).doesNotContain("AQ8AQJ"));
  }

  @Test
  void logsNothingBelowTheConfiguredLevel() {
    logger.setLevel(Level.WARN);

    oneOfEachKind().forEach(SessionListener.logging()::onEvent);

    assertThat(appender.list).extracting(ILoggingEvent::getLevel)
        .containsExactly(Level.WARN, Level.ERROR, Level.ERROR);
  }

  @Test
  void andThenCallsThisListenerFirstThenTheNext() {
    List<String> calls = new ArrayList<>();
    SessionListener first = event -> calls.add("first:" + event.getClass().getSimpleName());
    SessionListener second = event -> calls.add("second:" + event.getClass().getSimpleName());
    SessionListener third = event -> calls.add("third:" + event.getClass().getSimpleName());

    first.andThen(second).andThen(third).onEvent(new SessionEvent.CircuitClosed(AT));

    assertThat(calls).containsExactly("first:CircuitClosed", "second:CircuitClosed", "third:CircuitClosed");
  }

  @Test
  void andThenPassesTheSameEventToBoth() {
    List<SessionEvent> seen = new ArrayList<>();
    SessionEvent event = new SessionEvent.RecoveryGaveUp(AT, FailureCause.TRANSPORT, 3);

    SessionListener.NONE.andThen(seen::add).andThen(seen::add).onEvent(event);

    assertThat(seen).containsExactly(event, event);
  }

  @Test
  void andThenComposesWithTheLoggingListener() {
    List<SessionEvent> seen = new ArrayList<>();

    SessionListener.logging().andThen(seen::add).onEvent(new SessionEvent.CircuitClosed(AT));

    assertThat(seen).hasSize(1);
    assertThat(appender.list).hasSize(1);
  }

  @Test
  void andThenRefusesANullListenerWhenComposed() {
    assertThatThrownBy(() -> SessionListener.NONE.andThen(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("next");
  }

  @Test
  void aGaveUpEventCarriesTheRunbookOfItsCause() {
    SessionEvent.RecoveryGaveUp event = new SessionEvent.RecoveryGaveUp(AT, FailureCause.SESSION_POLICY, 1);

    assertThat(event.runbook()).isEqualTo(FailureCause.SESSION_POLICY.runbook());
    assertThat(event.at()).isEqualTo(AT);
  }

  @Test
  void andThenRunsEveryListenerWhenEarlierOnesThrowAndRethrowsTheFirstFailure() {
    List<String> calls = new ArrayList<>();
    IllegalStateException firstFailure = new IllegalStateException("first");
    IllegalArgumentException secondFailure = new IllegalArgumentException("second");
    SessionListener first = event -> {
      calls.add("first");
      throw firstFailure;
    };
    SessionListener second = event -> {
      calls.add("second");
      throw secondFailure;
    };
    SessionListener third = event -> calls.add("third");

    assertThatThrownBy(() -> first.andThen(second).andThen(third).onEvent(new SessionEvent.CircuitClosed(AT)))
        .isSameAs(firstFailure);
    assertThat(calls).containsExactly("first", "second", "third");
    assertThat(firstFailure.getSuppressed()).containsExactly(secondFailure);
  }

  @Test
  void andThenRunsTheFirstListenerWhenOnlyTheLastThrows() {
    List<String> calls = new ArrayList<>();
    SessionListener last = event -> {
      throw new IllegalStateException("last");
    };
    assertThatThrownBy(() -> ((SessionListener) event -> calls.add("first")).andThen(last)
        .onEvent(new SessionEvent.CircuitClosed(AT))).hasMessage("last");
    assertThat(calls).containsExactly("first");
  }

  @Test
  void andThenDoesNotCallTheNextListenerAfterAVirtualMachineError() {
    List<String> calls = new ArrayList<>();
    SessionListener dying = event -> {
      throw new OutOfMemoryError("simulated");
    };
    assertThatThrownBy(() -> dying.andThen(event -> calls.add("next")).onEvent(new SessionEvent.CircuitClosed(AT)))
        .isInstanceOf(OutOfMemoryError.class);
    assertThat(calls).isEmpty();
  }
}
