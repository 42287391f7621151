package io.forceflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;

/**
 * Runs every endpoint under BlockHound: the fake org must never block one of its event loops (or Reactor's
 * parallel threads), since the client's own tests install BlockHound too. Tagged so that it runs in a JVM of
 * its own (see pom.xml).
 */
@Tag("blockhound")
class FakeOrgNonBlockingTests {

  private static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void installBlockHound() {
    BlockHound.install(builder -> builder.blockingMethodCallback(method -> {
      VIOLATIONS.add(method + " on " + Thread.currentThread().getName());
      throw new IllegalStateException("blocking call: " + method);
    }));
  }

  @Test
  void noEndpointBlocksAnEventLoop() {
    try (FakeOrg org = FakeOrg.builder().accounts(3000).refreshTokenRotation(true)
        .tokenLatency(Duration.ofMillis(5)).build().start()) {
      Credentials c = org.credentials();
      String data = org.instanceUrl() + "/services/data/v67.0";

      var refreshed = OAuth.refresh(org, c.refreshToken());
      assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
      assertThat(OAuth.refresh(org, c.refreshToken()).status()).as("rotated-out reuse").isEqualTo(400);
      var password = OAuth.password(org, c.passwordWithSecurityToken());
      assertThat(password.status()).isEqualTo(200);
      String token = password.json().get("access_token").stringValue();
      assertThat(OAuth.jwt(org, OAuth.sign(OAuth.claims(org), c.privateKeyPem())).status()).isEqualTo(200);
      assertThat(Http.form(org.myDomainUrl() + "/services/oauth2/token", Map.of("grant_type",
          "client_credentials", "client_id", c.clientId(), "client_secret", c.clientSecret())).status())
          .isEqualTo(200);
      assertThat(Http.form(org.myDomainUrl() + "/services/oauth2/introspect", Map.of("token", token,
          "client_id", c.clientId(), "client_secret", c.clientSecret())).status()).isEqualTo(200);

      var pageResponse = Http.get(data + "/query?q=" + Http.q("SELECT Id, Name FROM Account"), token);
      assertThat(pageResponse.status()).as(pageResponse.body()).isEqualTo(200);
      var page = pageResponse.json();
      assertThat(Http.get(org.instanceUrl() + page.get("nextRecordsUrl").stringValue(), token).status())
          .isEqualTo(200);
      String id = Http.postJson(data + "/sobjects/Account", token, "{\"Name\":\"x\"}").json().get("id")
          .stringValue();
      assertThat(Http.patchJson(data + "/sobjects/Account/" + id, token, "{\"Name\":\"y\"}").status())
          .isEqualTo(204);
      assertThat(Http.patchJson(data + "/sobjects/Account/External_Id__c/E-1", token, "{\"Name\":\"z\"}")
          .status()).isEqualTo(201);
      assertThat(Http.postJson(data + "/composite/sobjects", token,
          "{\"records\":[{\"attributes\":{\"type\":\"Contact\"},\"LastName\":\"L\"}]}").status())
          .isEqualTo(200);
      assertThat(Http.get(data + "/sobjects/Account/" + id, token).status()).isEqualTo(200);
      assertThat(Http.delete(data + "/sobjects/Account/" + id, token).status()).isEqualTo(204);
      assertThat(Http.get(data + "/limits", token).status()).isEqualTo(200);
      assertThat(Http.get(org.instanceUrl() + "/services/data/", null).status()).isEqualTo(200);
      assertThat(Http.get(data + "/limits", "bogus.jwt.token").status()).isEqualTo(401);

      String login = Http.soap(org.loginUrl() + "/services/Soap/u/67.0", "<soapenv:Envelope xmlns:soapenv="
          + "\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><login><username>" + c.username()
          + "</username><password>" + c.passwordWithSecurityToken() + "</password></login>"
          + "</soapenv:Body></soapenv:Envelope>").body();
      assertThat(login).contains("<sessionId>");

      org.faults().next(1, FaultTarget.API, Fault.latency(Duration.ofMillis(5)))
          .next(1, FaultTarget.API, Fault.serverUnavailableHtml());
      assertThat(Http.get(data + "/limits", token).status()).isEqualTo(200);
      assertThat(Http.get(data + "/limits", token).status()).isEqualTo(503);
      org.faults().next(1, FaultTarget.API, Fault.truncatedBody());
      assertThat(catchThrowable(() -> Http.postJson(data + "/sobjects/Account", token, "{\"Name\":\"t\"}")))
          .isInstanceOf(UncheckedIOException.class);
      org.faults().next(1, FaultTarget.API, Fault.connectionReset().withPhase(Phase.AFTER));
      assertThat(catchThrowable(() -> Http.postJson(data + "/sobjects/Account", token, "{\"Name\":\"r\"}")))
          .isInstanceOf(UncheckedIOException.class);

      assertThat(Http.get(org.loginUrl() + "/__sim/stats", null).status()).isEqualTo(200);
      assertThat(Http.post(org.loginUrl() + "/__sim/expire-sessions").status()).isEqualTo(200);
      assertThat(Http.form(org.loginUrl() + "/services/oauth2/revoke", Map.of("token", token)).status())
          .isEqualTo(400);
    }
    assertThat(VIOLATIONS).isEmpty();
  }
}
