package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.reactor.client.StreamMillionAccounts;
import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams a million records in a child JVM limited to a 64 MiB heap, against a fake org in this JVM: proof that
 * query memory is bounded by page size, not by result size.
 */
class SalesforceClientMemoryTests {
  private static final long RECORDS = 1_000_000;

  @Test
  void streamsAMillionRecordsInA64MibHeap(@TempDir Path dir) throws IOException, InterruptedException {
    try (FakeOrg org = FakeOrg.builder().accounts(RECORDS).build().start()) {
      Credentials c = org.credentials();
      TestGuards.secret(c.clientSecret());
      TestGuards.secret(c.refreshToken());
      // The test classpath's logback-test.xml would load the BlockHound-installing guard: give the child its own.
      Path logback = dir.resolve("logback.xml");
      Files.writeString(logback, "<configuration><appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\">"
          + "<encoder><pattern>%level %logger %msg%n</pattern></encoder></appender>"
          + "<root level=\"WARN\"><appender-ref ref=\"OUT\"/></root></configuration>", StandardCharsets.UTF_8);
      Path output = dir.resolve("child.out");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:+ExitOnOutOfMemoryError",
          "-Dlogback.configurationFile=" + logback, "-cp", System.getProperty("java.class.path"),
          StreamMillionAccounts.class.getName(), org.loginUrl(), org.myDomainUrl(), c.clientId(),
          String.valueOf(RECORDS)))
          .redirectErrorStream(true)
          .redirectOutput(output.toFile());
      pb.environment().put("FF_CLIENT_SECRET", c.clientSecret());
      pb.environment().put("FF_REFRESH_TOKEN", c.refreshToken());
      Process child = pb.start();
      boolean exited;
      try {
        exited = child.waitFor(5, TimeUnit.MINUTES);
      } finally {
        if (child.isAlive()) {
          child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
      String out = Files.readString(output, StandardCharsets.UTF_8);

      assertThat(exited).as("child finished within 5 minutes; output: %s", out).isTrue();
      assertThat(child.exitValue()).as("child exit code; output: %s", out).isZero();
      assertThat(out).contains("count=" + RECORDS + " disorder=0").containsPattern("maxHeapMiB=(6\\d|5\\d) ");
      assertThat(org.stats().apiRequests()).as("pages of 2,000").isBetween(RECORDS / 2000, RECORDS / 2000 + 5);
    }
  }
}
