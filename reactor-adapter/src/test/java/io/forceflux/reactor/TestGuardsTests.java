package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The guards themselves must be able to fail. */
class TestGuardsTests {
  @Test
  void theLeakScanFindsASessionIdInACapturedLogLine() {
    TestGuards.LINES.clear();
    LoggerFactory.getLogger("leak-probe").info("sending {}", "00D5g000004ABCD!AQ8AQJ.leaked_token_value");

    assertThat(TestGuards.leaks(List.copyOf(TestGuards.LINES))).hasSize(1);
    TestGuards.LINES.clear(); // this class must not fail its own after-all scan
  }

  @Test
  void theLeakScanFindsARegisteredSecret() {
    TestGuards.secret("client-secret-for-the-probe");

    assertThat(TestGuards.leaks(List.of("posting client_secret client-secret-for-the-probe"))).hasSize(1);
    assertThat(TestGuards.leaks(List.of("token issued: fingerprint=1a2b3c4d"))).isEmpty();
  }

  @Test
  void blockHoundRecordsBlockingOnANonBlockingThread() {
    TestGuards.BLOCKING.clear();
    Mono.delay(Duration.ofMillis(1))
        .doOnNext(x -> {
          try (java.io.FileInputStream in = new java.io.FileInputStream("/proc/self/status")) {
            in.read();
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        })
        .publishOn(Schedulers.parallel())
        .block(Duration.ofSeconds(5));

    // Recorded with the thread and the call; the after-each check would fail this test, so it is cleared here.
    assertThat(TestGuards.BLOCKING).singleElement().asString().startsWith("parallel-").contains("FileInputStream");
    TestGuards.BLOCKING.clear();
  }
}
