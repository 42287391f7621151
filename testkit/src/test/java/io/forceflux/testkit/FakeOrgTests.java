package io.forceflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;

class FakeOrgTests {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

  private FakeOrg.Builder builder() {
    return FakeOrg.builder().clock(clock).accounts(100);
  }

  @Test
  void startIsIdempotentAndCloseReleasesThePort() throws Exception {
    FakeOrg org = builder().build();
    assertThatThrownBy(org::loginUrl).isInstanceOf(IllegalStateException.class);
    assertThat(org.start()).isSameAs(org);
    int port = org.port();
    assertThat(org.start().port()).isEqualTo(port);
    assertThat(org.loginUrl()).isEqualTo("http://127.0.0.1:" + port);
    assertThat(org.myDomainUrl()).isEqualTo("http://localhost:" + port);
    assertThat(org.instanceUrl()).isEqualTo(org.myDomainUrl());
    assertThat(org.toString()).contains(org.loginUrl());

    org.close();
    org.close();

    assertThatThrownBy(org::start).isInstanceOf(IllegalStateException.class);
    try (ServerSocket reuse = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
      assertThat(reuse.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void aGivenPortIsUsed() throws Exception {
    int free;
    try (ServerSocket probe = new ServerSocket(0)) {
      free = probe.getLocalPort();
    }
    try (FakeOrg org = builder().port(free).build().start()) {
      assertThat(org.port()).isEqualTo(free);
      assertThat(Http.get(org.loginUrl() + "/services/data/", null).status()).isEqualTo(200);
    }
  }

  @Test
  void builderRejectsOutOfRangeOptions() {
    assertThatThrownBy(() -> FakeOrg.builder().accounts(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FakeOrg.builder().sessionTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FakeOrg.builder().apiVersion("30.0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FakeOrg.builder().apiVersion("v67")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FakeOrg.builder().port(70_000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FakeOrg.builder().cursorLifetime(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FakeOrg.builder().dailyApiLimit(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FakeOrg.builder().loginsPerHour(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FakeOrg.builder().tokenLatency(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(FakeOrg.builder().sessionTimeout(Duration.ofMillis(1))).isNotNull();
  }

  @Test
  void credentialsCarryUsableKeysAndRedactEverySecretInToString() throws Exception {
    try (FakeOrg org = builder().build().start()) {
      Credentials c = org.credentials();
      String text = c.toString();

      assertThat(text).contains(c.clientId(), c.username())
          .doesNotContain(c.clientSecret(), c.password(), c.securityToken(), c.refreshToken(),
              c.privateKeyPem(), c.publicKeyPem());
      assertThat(c.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n")
          .endsWith("-----END PRIVATE KEY-----\n");
      assertThat(OAuth.privateKey(c.privateKeyPem()).getAlgorithm()).isEqualTo("RSA");
      String publicBase64 = c.publicKeyPem().replace("-----BEGIN PUBLIC KEY-----", "")
          .replace("-----END PUBLIC KEY-----", "").replaceAll("\\s", "");
      assertThat(KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(
          Base64.getDecoder().decode(publicBase64))).getAlgorithm()).isEqualTo("RSA");
      assertThat(c.passwordWithSecurityToken()).isEqualTo(c.password() + c.securityToken());
      assertThat(org.userId()).startsWith("005").hasSize(18);
      assertThat(org.orgId()).startsWith("00D").hasSize(18);
    }
  }

  @Test
  void secretsNeverReachTheLog() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    root.addAppender(appender);
    try (FakeOrg org = builder().build().start()) {
      Credentials c = org.credentials();
      String token = OAuth.accessToken(org);
      OAuth.password(org, c.passwordWithSecurityToken());
      OAuth.password(org, "wrong");
      Http.get(org.instanceUrl() + "/services/data/v67.0/limits", token);
      org.faults().next(1, FaultTarget.API, Fault.internalServerError());
      Http.get(org.instanceUrl() + "/services/data/v67.0/limits", token);
      org.expireAllSessions();

      String logged = appender.list.stream().map(ILoggingEvent::getFormattedMessage)
          .reduce("", (a, b) -> a + "\n" + b);
      assertThat(logged).contains("FakeOrg listening")
          .doesNotContain(token, c.clientSecret(), c.password(), c.securityToken(), c.refreshToken());
    } finally {
      root.detachAppender(appender);
    }
  }

  @Test
  void controlsWorkOverHttp() {
    try (FakeOrg org = builder().build().start()) {
      String sim = org.loginUrl() + "/__sim/";
      String limits = org.instanceUrl() + "/services/data/v67.0/limits";
      String token = OAuth.accessToken(org);

      assertThat(Http.post(sim + "expire-sessions").body()).isEqualTo("{\"ok\":true}");
      assertThat(Http.get(limits, token).status()).isEqualTo(401);

      token = OAuth.accessToken(org);
      assertThat(Http.post(sim + "expire-session?token=" + Http.q(token)).json().get("expired").booleanValue())
          .isTrue();
      assertThat(Http.get(limits, token).status()).isEqualTo(401);

      token = OAuth.accessToken(org);
      Http.post(sim + "restart-instance");
      assertThat(Http.get(limits, token).status()).isEqualTo(401);

      Http.post(sim + "ip-restricted?on=true");
      assertThat(OAuth.refresh(org, org.credentials().refreshToken()).json().get("error_description")
          .stringValue()).isEqualTo("ip restricted");
      Http.post(sim + "ip-restricted?on=false");

      token = OAuth.accessToken(org);
      Http.post(sim + "rest-policy?on=true");
      assertThat(Http.get(limits, token).json().get(0).get("message").stringValue())
          .isEqualTo("This session is not valid for use with the REST API");
      Http.post(sim + "rest-policy?on=false");

      Http.post(sim + "daily-limit?max=7");
      Http.post(sim + "api-usage?used=7");
      assertThat(Http.get(limits, token).status()).isEqualTo(403);
      Http.post(sim + "reset-controls");
      assertThat(Http.get(limits, token).header("Sforce-Limit-Info")).isEqualTo("api-usage=1/100000");

      Http.post(sim + "user-active?on=false");
      assertThat(OAuth.refresh(org, org.credentials().refreshToken()).json().get("error_description")
          .stringValue()).isEqualTo("inactive user");
      Http.post(sim + "user-active?on=true");

      Http.post(sim + "jwt-approved?on=false");
      assertThat(OAuth.jwt(org, OAuth.sign(OAuth.claims(org), org.credentials().privateKeyPem())).json()
          .get("error_description").stringValue()).isEqualTo("user hasn't approved this consumer");
      Http.post(sim + "jwt-approved?on=true");

      String approval = Http.post(sim + "issue-refresh-token").json().get("refreshToken").stringValue();
      assertThat(OAuth.refresh(org, approval).status()).isEqualTo(200);
      Http.post(sim + "revoke");
      assertThat(OAuth.refresh(org, approval).status()).isEqualTo(400);

      String oldPassword = org.credentials().passwordWithSecurityToken();
      Http.post(sim + "change-password?password=Changed-1");
      assertThat(OAuth.password(org, oldPassword).status()).isEqualTo(400);
      assertThat(org.credentials().password()).isEqualTo("Changed-1");

      String oldClient = org.credentials().clientId();
      Http.post(sim + "sandbox-refresh");
      assertThat(org.credentials().clientId()).isNotEqualTo(oldClient);

      Http.post(sim + "move-instance?origin=" + Http.q(org.loginUrl()));
      assertThat(org.instanceUrl()).isEqualTo(org.loginUrl());

      JsonNode credentials = Http.get(sim + "credentials", null).json();
      assertThat(credentials.get("clientId").stringValue()).isEqualTo(org.credentials().clientId());
      assertThat(credentials.get("refreshToken").stringValue()).isEqualTo(org.credentials().refreshToken());
      assertThat(credentials.get("loginUrl").stringValue()).isEqualTo(org.loginUrl());
      assertThat(Http.get(sim + "info", null).json().get("apiVersion").stringValue()).isEqualTo("67.0");

      assertThat(Http.post(sim + "nonsense").status()).isEqualTo(404);
      assertThat(Http.post(sim + "daily-limit").status()).isEqualTo(400);
      assertThat(Http.post(sim + "ip-restricted?on=maybe").status()).isEqualTo(400);
      assertThat(Http.post(sim + "move-instance?origin=ftp://x").status()).isEqualTo(400);
    }
  }

  @Test
  void statsAreServedAsJsonAndCanBeReset() {
    try (FakeOrg org = builder().build().start()) {
      String token = OAuth.accessToken(org);
      Http.get(org.instanceUrl() + "/services/data/v67.0/limits", token);
      Http.get(org.instanceUrl() + "/services/data/v67.0/limits", "00Dbogus!x");
      Http.postJson(org.instanceUrl() + "/services/data/v67.0/sobjects/Account", token, "{\"Name\":\"N\"}");

      JsonNode stats = Http.get(org.loginUrl() + "/__sim/stats", null).json();

      assertThat(stats.get("tokenRequests").longValue()).isEqualTo(1);
      assertThat(stats.get("tokenRequestsByGrant").get("refresh_token").longValue()).isEqualTo(1);
      assertThat(stats.get("tokenOutcomes").get("success").longValue()).isEqualTo(1);
      assertThat(stats.get("apiRequests").longValue()).isEqualTo(3);
      assertThat(stats.get("unauthorized401").longValue()).isEqualTo(1);
      assertThat(stats.get("requestsExecuted").longValue()).isEqualTo(2);
      assertThat(stats.get("recordsCreated").longValue()).isEqualTo(1);
      assertThat(stats.get("sessionsCreated").longValue()).isEqualTo(1);
      assertThat(stats.get("apiUsage").longValue()).isEqualTo(2);
      assertThat(stats.propertyNames()).contains("concurrentRefreshRejected", "familyRevocations",
          "sessionsExpired", "faultsInjected", "recordsUpdated", "recordsDeleted", "soapLogins",
          "introspectRequests", "revokeRequests", "dailyApiLimit");

      Http.post(org.loginUrl() + "/__sim/reset-stats");
      FakeOrgStats reset = org.stats();
      assertThat(reset.tokenRequests()).isZero();
      assertThat(reset.apiRequests()).isZero();
      assertThat(reset.tokenRequestsByGrant()).isEmpty();
      assertThat(reset.apiUsage()).as("usage is a limit, not a counter").isEqualTo(2);
    }
  }

  @Test
  void theLedgerIsASnapshot() {
    try (FakeOrg org = builder().build().start()) {
      String token = OAuth.accessToken(org);
      String url = org.instanceUrl() + "/services/data/v67.0/sobjects/Account";
      Http.postJson(url, token, "{\"Name\":\"one\"}");
      SObjectLedger before = org.ledger("account");
      Http.postJson(url, token, "{\"Name\":\"two\"}");

      assertThat(before.created()).isEqualTo(1);
      assertThat(org.ledger("Account").created()).isEqualTo(2);
      assertThatThrownBy(() -> before.createdIds().add("x")).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> org.ledger("NoSuchThing")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void tenThousandConcurrentWritesAreAllServedAndRecordedOnce() {
    ConnectionProvider provider = ConnectionProvider.builder("fake-org-tests").maxConnections(1000)
        .pendingAcquireMaxCount(-1).pendingAcquireTimeout(Duration.ofSeconds(60)).build();
    try (FakeOrg org = builder().accounts(10_000).build().start()) {
      String token = OAuth.accessToken(org);
      HttpClient client = HttpClient.create(provider).baseUrl(org.instanceUrl())
          .headers(h -> h.set("Authorization", "Bearer " + token).set("Content-Type", "application/json"))
          .responseTimeout(Duration.ofSeconds(30));

      List<String> ids = Flux.range(0, 10_000)
          .flatMap(i -> client.post().uri("/services/data/v67.0/sobjects/Contact")
              .send(ByteBufFlux.fromString(Mono.just("{\"LastName\":\"C" + i + "\"}")))
              .responseSingle((response, body) -> body.asString().map(text -> {
                assertThat(response.status().code()).as(text).isEqualTo(201);
                return FakeJson.MAPPER.readTree(text).get("id").stringValue();
              })), 10_000)
          .collectList()
          .block(Duration.ofSeconds(90));

      Set<String> unique = new HashSet<>(ids);
      assertThat(unique).hasSize(10_000);
      assertThat(org.ledger("Contact").created()).isEqualTo(10_000);
      assertThat(Set.copyOf(org.ledger("Contact").createdIds())).isEqualTo(unique);
      assertThat(org.stats().recordsCreated()).isEqualTo(10_000);
    } finally {
      provider.disposeLater().block(Duration.ofSeconds(10));
    }
  }

  @Test
  void twoHundredFiftySixRequestsInFlightAreServedConcurrently() {
    ConnectionProvider provider = ConnectionProvider.builder("fake-org-tests-256").maxConnections(256)
        .pendingAcquireMaxCount(-1).build();
    try (FakeOrg org = builder().accounts(50_000).build().start()) {
      String token = OAuth.accessToken(org);
      HttpClient client = HttpClient.create(provider).baseUrl(org.instanceUrl())
          .headers(h -> h.set("Authorization", "Bearer " + token)
              .set("Sforce-Query-Options", "batchSize=200"))
          .responseTimeout(Duration.ofSeconds(30));
      String query = "/services/data/v67.0/query?q=" + Http.q("SELECT Id, Name, Industry FROM Account");

      Map<Integer, Long> statuses = Flux.range(0, 4096)
          .flatMap(i -> client.get().uri(i % 2 == 0 ? query : "/services/data/v67.0/limits")
              .responseSingle((response, body) -> body.asByteArray()
                  .map(bytes -> response.status().code())), 256)
          .collect(Collectors.groupingBy(s -> s, Collectors.counting()))
          .block(Duration.ofSeconds(60));

      assertThat(statuses).containsExactly(Map.entry(200, 4096L));
      assertThat(org.stats().requestsExecuted()).isEqualTo(4096);
    } finally {
      provider.disposeLater().block(Duration.ofSeconds(10));
    }
  }
}
