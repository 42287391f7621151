package io.forceflux.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.testkit.FakeOrg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** Every missing or contradictory setting stops start-up with an analysis that names the property; no secret in it. */
class InvalidConfigurationTests {
  private static final String SECRET = "Sup3rS3cretValue";
  private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
  private static final FakeOrg ORG = FakeOrg.builder().build().start();

  @AfterAll
  static void stop() {
    ORG.close();
  }

  /** The analysis Boot would print for the context's start-up failure. */
  static FailureAnalysis analysis(AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    FailureAnalysis analysis = new ForceFluxFailureAnalyzer().analyze(context.getStartupFailure());
    assertThat(analysis).as("analysed by ForceFlux: %s", context.getStartupFailure()).isNotNull();
    return analysis;
  }

  static Stream<Arguments> invalid() {
    String refresh = "forceflux.grant.type=refresh-token";
    String id = "forceflux.grant.client-id=id";
    String token = "forceflux.grant.refresh-token=" + SECRET;
    return Stream.of(
        Arguments.of(List.of(), "forceflux.grant.type", "Set forceflux.grant.type"),
        Arguments.of(List.of(refresh, token), "forceflux.grant.client-id", "Set forceflux.grant.client-id"),
        Arguments.of(List.of(refresh, id), "forceflux.grant.refresh-token", "Set forceflux.grant.refresh-token"),
        Arguments.of(List.of(refresh, id, token, "forceflux.grant.password=" + SECRET), "forceflux.grant.password",
            "Remove forceflux.grant.password"),
        Arguments.of(List.of("forceflux.grant.type=jwt-bearer", id, "forceflux.grant.username=u"),
            "forceflux.grant.private-key-file", "Set exactly one"),
        Arguments.of(List.of("forceflux.grant.type=jwt-bearer", id, "forceflux.grant.username=u",
            "forceflux.grant.private-key-file=/nonexistent/key.pem"), "forceflux.grant.private-key-file",
            "readable PKCS#8"),
        Arguments.of(List.of("forceflux.login-url=https://login.salesforce.com",
            "forceflux.grant.type=client-credentials", id, "forceflux.grant.client-secret=" + SECRET),
            "forceflux.login-url", "My Domain"),
        Arguments.of(List.of("forceflux.grant.type=password", id, "forceflux.grant.client-secret=" + SECRET,
            "forceflux.grant.username=u"), "forceflux.grant.password", "Set forceflux.grant.password"),
        Arguments.of(List.of(refresh, id, token, "forceflux.login-url=http://login.example.com"),
            "forceflux.login-url", "allowed-instance-origins"),
        Arguments.of(List.of(refresh, id, token, "forceflux.allowed-instance-origins=https://proxy.example.com/path"),
            "forceflux.allowed-instance-origins", "origins only"),
        Arguments.of(List.of(refresh, id, token, "forceflux.session-timeout=0s"), "forceflux.session-timeout",
            "Set forceflux.session-timeout"),
        Arguments.of(List.of(refresh, id, token, "forceflux.api-version=v66"), "forceflux.api-version", "66.0"),
        Arguments.of(List.of(refresh, id, token, "forceflux.batch-size=100"), "forceflux.batch-size", "200..2000"),
        Arguments.of(List.of(refresh, id, token, "forceflux.recovery.max-attempts=0"),
            "forceflux.recovery.max-attempts", "1..100"),
        Arguments.of(List.of(refresh, id, token, "forceflux.recovery.initial-backoff=2m"),
            "forceflux.recovery.initial-backoff", "max-backoff"),
        Arguments.of(List.of(refresh, id, token, "forceflux.recovery.fresh-rejection-limit=11"),
            "forceflux.recovery.fresh-rejection-limit", "1..10"),
        Arguments.of(List.of(refresh, id, token, "forceflux.pool.max-connections=0"),
            "forceflux.pool.max-connections", "1..10000"),
        Arguments.of(List.of(refresh, id, token, "forceflux.pool.response-timeout=0s"),
            "forceflux.pool.response-timeout", "default 2m"),
        Arguments.of(List.of(refresh, id, token, "forceflux.token-store.encryption-key=" + KEY),
            "forceflux.token-store.encryption-key", "redis-url"),
        Arguments.of(List.of(refresh, id, token, "forceflux.token-store.redis-url=redis://:" + SECRET + "@h:6379"),
            "forceflux.token-store.encryption-key", "openssl rand"),
        Arguments.of(List.of(refresh, id, token, "forceflux.token-store.redis-url=redis://h:6379",
            "forceflux.token-store.encryption-key=" + SECRET), "forceflux.token-store.encryption-key",
            "openssl rand"),
        Arguments.of(List.of(refresh, id, token, "forceflux.token-store.redis-url=http://:" + SECRET + "@h",
            "forceflux.token-store.encryption-key=" + KEY), "forceflux.token-store.redis-url", "redis://"),
        Arguments.of(List.of(refresh, id, token, "forceflux.token-store.redis-url=redis://h:6379",
            "forceflux.token-store.use-application-redis=true", "forceflux.token-store.encryption-key=" + KEY),
            "forceflux.token-store.redis-url", "Set one"),
        Arguments.of(List.of(refresh, id, token, "forceflux.token-store.use-application-redis=true",
            "forceflux.token-store.encryption-key=" + KEY), "forceflux.token-store.use-application-redis",
            "spring-boot-starter-data-redis"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void failsStartUpNamingThePropertyAndWhatToSet(List<String> properties, String property, String action) {
    List<String> all = new ArrayList<>(List.of("forceflux.login-url=" + ORG.loginUrl(),
        "forceflux.allowed-instance-origins=" + ORG.loginUrl()));
    all.addAll(properties);
    Contexts.runner().withPropertyValues(all.toArray(String[]::new)).run(context -> {
      FailureAnalysis analysis = analysis(context);
      assertThat(analysis.getDescription()).contains(property);
      assertThat(analysis.getAction()).contains(action);
      assertThat(analysis.getDescription() + analysis.getAction() + context.getStartupFailure())
          .doesNotContain(SECRET);
    });
  }

  @Test
  void aKeystoreWithAWrongPasswordIsRefusedWithoutShowingIt(@TempDir Path dir) throws Exception {
    Path file = Files.write(dir.resolve("not-a-keystore.p12"), new byte[] {1, 2, 3});
    Contexts.runner().withPropertyValues("forceflux.login-url=" + ORG.loginUrl(),
        "forceflux.allowed-instance-origins=" + ORG.loginUrl(), "forceflux.grant.type=jwt-bearer",
        "forceflux.grant.client-id=id", "forceflux.grant.username=u", "forceflux.grant.keystore=" + file,
        "forceflux.grant.keystore-password=" + SECRET, "forceflux.grant.key-alias=a").run(context -> {
          FailureAnalysis analysis = analysis(context);
          assertThat(analysis.getDescription()).contains("forceflux.grant.keystore");
          assertThat(analysis.getDescription() + analysis.getAction() + context.getStartupFailure())
              .doesNotContain(SECRET);
        });
  }

  @Test
  void theAnalyzerIsRegisteredForSpringBoot() {
    // Names only: instantiating every registered analyzer needs a running application.
    assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(FailureAnalyzer.class,
        SpringFactoriesLoader.ArgumentResolver.none(), SpringFactoriesLoader.FailureHandler.handleMessage((m, e) -> { })))
        .anyMatch(ForceFluxFailureAnalyzer.class::isInstance);
  }
}
