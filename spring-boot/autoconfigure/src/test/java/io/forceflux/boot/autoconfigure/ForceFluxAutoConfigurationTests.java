package io.forceflux.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.GrantType;
import io.forceflux.core.event.SessionEvent;
import io.forceflux.core.event.SessionListener;
import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.reactor.SessionRecoveryFilter;
import io.forceflux.reactor.TokenSource;
import io.forceflux.reactor.TokenStore;
import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.reactor.micrometer.MicrometerSessionListener;
import io.forceflux.reactor.redis.RedisTokenStore;
import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** What the auto-configuration builds from properties, what it leaves to the application, and what it skips. */
class ForceFluxAutoConfigurationTests {
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final FakeOrg ORG = FakeOrg.builder().accounts(30).build().start();

  @AfterAll
  static void stop() {
    ORG.close();
  }

  private static long queryCount(AssertableApplicationContext context) {
    return context.getBean(SalesforceClient.class).query("SELECT Id FROM Account").count().block(BOUND);
  }

  private static GrantType grantType(AssertableApplicationContext context) {
    return context.getBean(Grant.class).type();
  }

  // ---- each grant from properties, used against the fake org ----

  @Test
  void theRefreshTokenGrantFromPropertiesQueriesTheOrg() {
    Contexts.runner().withPropertyValues(Contexts.refreshToken(ORG)).run(context -> {
      assertThat(context).hasNotFailed()
          .hasSingleBean(SalesforceClient.class)
          .hasSingleBean(CachingTokenSource.class)
          .hasSingleBean(SessionRecoveryFilter.class)
          .hasBean("forcefluxWebClient")
          .doesNotHaveBean(TokenStore.class);
      assertThat(grantType(context)).isEqualTo(GrantType.REFRESH_TOKEN);
      assertThat(queryCount(context)).isEqualTo(30);
    });
  }

  @Test
  void theJwtBearerGrantReadsItsKeyFromAPemFile(@TempDir Path dir) throws Exception {
    Credentials c = ORG.credentials();
    Path pem = Files.writeString(dir.resolve("key.pem"), c.privateKeyPem());
    Contexts.runner().withPropertyValues(jwt(c)).withPropertyValues(
        "forceflux.grant.private-key-file=" + pem).run(context -> {
          assertThat(grantType(context)).isEqualTo(GrantType.JWT_BEARER);
          assertThat(queryCount(context)).isEqualTo(30);
        });
  }

  @Test
  void theJwtBearerGrantReadsItsKeyFromAKeystore(@TempDir Path dir) throws Exception {
    Credentials c = ORG.credentials();
    Path keystore = pkcs12(dir, c.privateKeyPem(), "salesforce", "store-pass-123");
    Contexts.runner().withPropertyValues(jwt(c)).withPropertyValues(
        "forceflux.grant.keystore=" + keystore,
        "forceflux.grant.keystore-password=store-pass-123",
        "forceflux.grant.key-alias=salesforce").run(context -> {
          assertThat(grantType(context)).isEqualTo(GrantType.JWT_BEARER);
          assertThat(queryCount(context)).isEqualTo(30);
        });
  }

  @Test
  void theClientCredentialsGrantUsesTheMyDomainLoginUrl() {
    Credentials c = ORG.credentials();
    Contexts.runner().withPropertyValues(
        "forceflux.login-url=" + ORG.myDomainUrl(),
        "forceflux.allowed-instance-origins=" + ORG.myDomainUrl(),
        "forceflux.grant.type=client-credentials",
        "forceflux.grant.client-id=" + c.clientId(),
        "forceflux.grant.client-secret=" + c.clientSecret()).run(context -> {
          assertThat(grantType(context)).isEqualTo(GrantType.CLIENT_CREDENTIALS);
          assertThat(queryCount(context)).isEqualTo(30);
        });
  }

  @Test
  void thePasswordGrantAppendsTheSecurityToken() {
    Credentials c = ORG.credentials();
    Contexts.runner().withPropertyValues(
        "forceflux.login-url=" + ORG.loginUrl(),
        "forceflux.allowed-instance-origins=" + ORG.loginUrl() + "," + ORG.myDomainUrl(),
        "forceflux.grant.type=password",
        "forceflux.grant.client-id=" + c.clientId(),
        "forceflux.grant.client-secret=" + c.clientSecret(),
        "forceflux.grant.username=" + c.username(),
        "forceflux.grant.password=" + c.password(),
        "forceflux.grant.security-token=" + c.securityToken()).run(context -> {
          assertThat(grantType(context)).isEqualTo(GrantType.PASSWORD);
          assertThat(queryCount(context)).isEqualTo(30);
        });
  }

  private static String[] jwt(Credentials c) {
    return new String[] {
        "forceflux.login-url=" + ORG.loginUrl(),
        "forceflux.allowed-instance-origins=" + ORG.loginUrl() + "," + ORG.myDomainUrl(),
        "forceflux.grant.type=jwt-bearer",
        "forceflux.grant.client-id=" + c.clientId(),
        "forceflux.grant.username=" + c.username()};
  }

  /** A PKCS#12 keystore holding {@code pem}'s key, under a certificate keytool made for another key (not checked). */
  private static Path pkcs12(Path dir, String pem, String alias, String password) throws Exception {
    Path scratch = dir.resolve("scratch.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-keyalg", "RSA", "-keysize", "2048", "-alias", "x", "-dname", "CN=forceflux-test",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", scratch.toString(), "-storepass", password)
        .redirectErrorStream(true).start();
    keytool.getInputStream().transferTo(OutputStream.nullOutputStream());
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    KeyStore source = KeyStore.getInstance("PKCS12");
    source.load(Files.newInputStream(scratch), password.toCharArray());
    Certificate certificate = source.getCertificate("x");
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PrivateKey key = KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(alias, key, password.toCharArray(), new Certificate[] {certificate});
    Path file = dir.resolve("jwt.p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
    return file;
  }

  // ---- the application's own beans win ----

  @Test
  void anApplicationGrantIsUsedInsteadOfTheProperties() {
    Credentials c = ORG.credentials();
    Grant own = Grant.refreshToken(URI.create(ORG.loginUrl()), c.clientId(), c.clientSecret(), c.refreshToken());
    Contexts.runner()
        .withPropertyValues("forceflux.login-url=" + ORG.loginUrl(),
            "forceflux.allowed-instance-origins=" + ORG.loginUrl() + "," + ORG.myDomainUrl())
        .withBean(Grant.class, () -> own)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(Grant.class)).isSameAs(own);
          assertThat(queryCount(context)).isEqualTo(30);
        });
  }

  @Test
  void anApplicationTokenSourceReplacesTheCachingOne() {
    TokenSource own = CachingTokenSource.builder(Grant.refreshToken(URI.create(ORG.loginUrl()),
            ORG.credentials().clientId(), ORG.credentials().clientSecret(), ORG.credentials().refreshToken()))
        .instanceUrlPolicy(io.forceflux.core.auth.InstanceUrlPolicy.allowing(ORG.loginUrl(), ORG.myDomainUrl()))
        .build();
    Contexts.runner().withPropertyValues(Contexts.refreshToken(ORG))
        .withBean("myTokens", TokenSource.class, () -> own)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBeansOfType(TokenSource.class)).containsOnlyKeys("myTokens");
          assertThat(queryCount(context)).isEqualTo(30);
          assertThat(((CachingTokenSource) own).cachedToken()).as("the client used the application's").isNotNull();
        });
  }

  @Test
  void applicationClientFilterAndWebClientWin() {
    SalesforceClient client = SalesforceClient.builder().grant(Grant.refreshToken(URI.create(ORG.loginUrl()), "a",
        null, "b")).build();
    WebClient web = WebClient.create();
    Contexts.runner().withPropertyValues(Contexts.refreshToken(ORG))
        .withBean(SalesforceClient.class, () -> client)
        .withBean("forcefluxWebClient", WebClient.class, () -> web)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(SalesforceClient.class)).isSameAs(client);
          assertThat(context.getBean("forcefluxWebClient")).isSameAs(web);
        });
  }

  @Test
  void everySessionListenerBeanHearsTheEvents() {
    List<SessionEvent> heard = new CopyOnWriteArrayList<>();
    Contexts.runner().withPropertyValues(Contexts.refreshToken(ORG))
        .withBean(SessionListener.class, () -> heard::add)
        .run(context -> {
          queryCount(context);
          assertThat(heard).anyMatch(SessionEvent.TokenIssued.class::isInstance);
        });
  }

  // ---- optional libraries ----

  @Test
  void withoutLettuceThereIsNoRedisStoreAndTheRestWorks() {
    Contexts.runner().withPropertyValues(Contexts.refreshToken(ORG))
        .withClassLoader(new FilteredClassLoader(RedisClient.class))
        .run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(RedisTokenStore.class);
          assertThat(queryCount(context)).isEqualTo(30);
        });
  }

  @Test
  void withoutLettuceAConfiguredRedisStoreFailsStartUpInsteadOfBeingIgnored() {
    Contexts.runner().withPropertyValues(Contexts.refreshToken(ORG))
        .withPropertyValues("forceflux.token-store.redis-url=redis://127.0.0.1:1",
            "forceflux.token-store.encryption-key=" + Base64.getEncoder().encodeToString(new byte[32]))
        .withClassLoader(new FilteredClassLoader(RedisClient.class))
        .run(context -> assertThat(InvalidConfigurationTests.analysis(context).getDescription())
            .contains("forceflux.token-store.redis-url").contains("Lettuce"));
  }

  @Test
  void withoutMicrometerThereAreNoMetersAndTheRestWorks() {
    Contexts.runner().withPropertyValues(Contexts.refreshToken(ORG))
        .withClassLoader(new FilteredClassLoader(MeterRegistry.class))
        .run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerSessionListener.class);
          assertThat(queryCount(context)).isEqualTo(30);
        });
  }

  @Test
  void withoutHealthSupportThereIsNoIndicatorAndTheRestWorks() {
    Contexts.runner().withPropertyValues(Contexts.refreshToken(ORG))
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
        .run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean("forcefluxHealthIndicator");
          assertThat(queryCount(context)).isEqualTo(30);
        });
  }

  @Test
  void withARegistryTokenRequestsAreMetered() {
    Contexts.runner().withPropertyValues(Contexts.refreshToken(ORG))
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(context -> {
          assertThat(context).hasSingleBean(MicrometerSessionListener.class);
          queryCount(context);
          assertThat(context.getBean(MeterRegistry.class).find("forceflux.token.issued").timer())
              .isNotNull().satisfies(t -> assertThat(t.count()).isPositive());
        });
  }

  @Test
  void disabledConfiguresNothing() {
    Contexts.runner().withPropertyValues("forceflux.enabled=false").run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(SalesforceClient.class).doesNotHaveBean(TokenSource.class)
            .doesNotHaveBean("forcefluxHealthIndicator"));
  }

  // ---- health ----

  @Test
  void healthReportsTheCachedTokenAndApiUsageWithoutAskingForAToken() {
    Contexts.runner().withPropertyValues(Contexts.refreshToken(ORG)).run(context -> {
      ReactiveHealthIndicator health = context.getBean("forcefluxHealthIndicator", ReactiveHealthIndicator.class);
      long before = ORG.stats().tokenRequests();
      Health idle = health.health().block(BOUND);
      assertThat(idle.getStatus()).isEqualTo(Status.UP);
      assertThat(idle.getDetails()).containsEntry("circuit", "closed");
      assertThat(ORG.stats().tokenRequests()).as("no token request of its own").isEqualTo(before);

      queryCount(context);
      Health used = health.health().block(BOUND);
      assertThat(used.getStatus()).isEqualTo(Status.UP);
      assertThat(used.getDetails()).containsKeys("token", "apiUsage");
      assertThat(used.getDetails().toString()).doesNotContain(ORG.credentials().refreshToken())
          .doesNotContain(ORG.credentials().clientSecret())
          .doesNotContain(context.getBean(CachingTokenSource.class).cachedToken().value());
    });
  }

  @Test
  void healthIsDownWithCauseAndRunbookOnceTheCircuitOpens() {
    try (FakeOrg org = FakeOrg.builder().accounts(1).build().start()) {
      Contexts.runner().withPropertyValues(Contexts.refreshToken(org)).run(context -> {
        org.revokeRefreshTokens();
        Mono<Long> query = context.getBean(SalesforceClient.class).query("SELECT Id FROM Account").count();
        assertThat(query.onErrorResume(e -> Mono.just(-1L)).block(BOUND)).isEqualTo(-1L);

        Health down = context.getBean("forcefluxHealthIndicator", ReactiveHealthIndicator.class).health()
            .block(BOUND);
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails()).containsEntry("circuit", "open")
            .containsEntry("cause", "REFRESH_TOKEN_REVOKED").containsKey("runbook");
      });
    }
  }
}
