import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the README's example, as its own process, against a fake org set up as {@code forceflux sim} sets it up. */
class FirstQueryTest {

  @Test
  void streamsEveryAccountFromTheSimAndExits() throws Exception {
    try (FakeOrg org = FakeOrg.builder().accounts(2_500).build().start()) {
      org.moveInstance(org.loginUrl()); // the sim serves one host for login and instance
      Credentials c = org.credentials();
      Path out = Files.createTempFile("first-query", ".out");
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "com.example.FirstQuery")
          .redirectErrorStream(true).redirectOutput(out.toFile());
      Map<String, String> env = pb.environment();
      env.put("SF_LOGIN_URL", org.loginUrl());
      env.put("SF_CLIENT_ID", c.clientId());
      env.put("SF_CLIENT_SECRET", c.clientSecret());
      env.put("SF_REFRESH_TOKEN", c.refreshToken());
      Process p = pb.start();

      boolean exited = p.waitFor(3, TimeUnit.MINUTES);
      if (!exited) {
        p.destroyForcibly();
      }
      List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
      assertThat(exited).as("the example exits by itself; output: %s", lines).isTrue();
      assertThat(p.exitValue()).as("exit code; output: %s", lines).isZero();
      assertThat(lines).contains(org.count("Account") + " accounts");
      // Generated Accounts are named "<word> <six-digit number>", each name once.
      assertThat(lines.stream().filter(l -> l.matches("[A-Za-z]+ \\d{6,}")).distinct().count())
          .isEqualTo(org.count("Account"));
    }
  }
}
