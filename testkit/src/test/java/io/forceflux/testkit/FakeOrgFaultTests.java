package io.forceflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class FakeOrgFaultTests extends ClockedOrgTests {

  private static final String SERVER_UNAVAILABLE =
      "[{\"message\":\"Server too busy\",\"errorCode\":\"SERVER_UNAVAILABLE\"}]";

  private FakeOrg start(UnaryOperator<FakeOrg.Builder> options) {
    startSignedIn(b -> options.apply(b.accounts(50)));
    org.resetStats();
    return org;
  }

  private Http.Response limits() {
    return Http.get(org.instanceUrl() + "/services/data/v67.0/limits", token);
  }

  private Http.Response create(String name) {
    return Http.postJson(org.instanceUrl() + "/services/data/v67.0/sobjects/Account", token,
        "{\"Name\":\"" + name + "\"}");
  }

  @Test
  void aFaultForTheNextRequestsStrikesThatManyTimes() {
    start(b -> b);
    org.faults().next(2, FaultTarget.API, Fault.serverUnavailable());

    Http.Response first = limits();
    Http.Response second = limits();
    Http.Response third = limits();

    assertThat(first.status()).isEqualTo(503);
    assertThat(first.body()).isEqualTo(SERVER_UNAVAILABLE);
    assertThat(first.header("Content-Type")).startsWith("application/json");
    assertThat(second.status()).isEqualTo(503);
    assertThat(third.status()).isEqualTo(200);
    assertThat(org.faults().active()).isZero();
    assertThat(org.stats().faultsInjected()).isEqualTo(2);
    assertThat(org.stats().requestsExecuted()).isEqualTo(1);
    assertThat(org.stats().apiRequests()).isEqualTo(3);
  }

  @Test
  void theMaintenancePageIsHtml() {
    start(b -> b);
    org.faults().next(1, FaultTarget.TOKEN, Fault.serverUnavailableHtml());

    Http.Response response = OAuth.refresh(org, org.credentials().refreshToken());

    assertThat(response.status()).isEqualTo(503);
    assertThat(response.header("Content-Type")).startsWith("text/html");
    assertThat(response.body()).startsWith("<!DOCTYPE html>").contains("down for maintenance");
    assertThat(org.stats().tokenRequests()).as("faulted requests still count as arrivals").isEqualTo(1);
    assertThat(org.stats().tokenSuccesses()).isZero();
    assertThat(org.stats().sessionsCreated()).isZero();
  }

  @Test
  void faultsOnlyHitTheirTarget() {
    start(b -> b);
    org.faults().next(1, FaultTarget.TOKEN, Fault.internalServerError());
    assertThat(limits().status()).isEqualTo(200);
    assertThat(Http.get(org.loginUrl() + "/__sim/stats", null).status()).as("controls are never faulted")
        .isEqualTo(200);
    Http.Response token500 = OAuth.refresh(org, org.credentials().refreshToken());
    assertThat(token500.status()).isEqualTo(500);
    assertThat(token500.json().get(0).get("errorCode").stringValue()).isEqualTo("UNKNOWN_EXCEPTION");

    org.faults().next(1, FaultTarget.API, Fault.unableToLockRow());
    assertThat(OAuth.refresh(org, org.credentials().refreshToken()).status()).isEqualTo(200);
    Http.Response locked = limits();
    assertThat(locked.status()).isEqualTo(400);
    assertThat(locked.body()).isEqualTo("[{\"message\":\"unable to obtain exclusive access to this record\","
        + "\"errorCode\":\"UNABLE_TO_LOCK_ROW\",\"fields\":[]}]");

    org.faults().next(2, FaultTarget.ANY, Fault.status(502, "bad gateway", "text/plain"));
    assertThat(OAuth.refresh(org, org.credentials().refreshToken()).status()).isEqualTo(502);
    Http.Response api = limits();
    assertThat(api.status()).isEqualTo(502);
    assertThat(api.body()).isEqualTo("bad gateway");
  }

  @Test
  void aFractionOfRequestsIsFaultedRepeatablyForOneSeed() {
    start(b -> b);
    List<Integer> firstRun = new ArrayList<>();
    org.faults().fraction(0.3, 42L, FaultTarget.API, Fault.serverUnavailable());
    for (int i = 0; i < 60; i++) {
      firstRun.add(limits().status());
    }
    org.faults().clear();
    org.faults().fraction(0.3, 42L, FaultTarget.API, Fault.serverUnavailable());
    List<Integer> secondRun = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      secondRun.add(limits().status());
    }
    org.faults().clear();

    assertThat(secondRun).isEqualTo(firstRun);
    long faulted = firstRun.stream().filter(s -> s == 503).count();
    assertThat(faulted).isBetween(8L, 30L);
    assertThat(firstRun).containsOnly(200, 503);
    assertThat(limits().status()).as("cleared").isEqualTo(200);
  }

  @Test
  void aFaultBeforeExecutionMeansTheWriteNeverRan() {
    start(b -> b);
    org.faults().next(1, FaultTarget.API, Fault.serverUnavailable());

    assertThat(create("Never").status()).isEqualTo(503);

    assertThat(org.ledger("Account").created()).isZero();
    assertThat(org.stats().recordsCreated()).isZero();
  }

  @Test
  void aConnectionResetAfterExecutionLosesTheReplyButTheWriteIsRecorded() {
    start(b -> b);
    org.faults().next(1, FaultTarget.API, Fault.connectionReset().withPhase(Phase.AFTER));

    assertThatThrownBy(() -> create("Ran once")).isInstanceOf(UncheckedIOException.class);

    assertThat(org.ledger("Account").created()).isEqualTo(1);
    assertThat(org.records("Account")).singleElement()
        .satisfies(r -> assertThat(r).containsEntry("Name", "Ran once"));
    assertThat(org.stats().recordsCreated()).isEqualTo(1);
    assertThat(org.stats().faultsInjected()).isEqualTo(1);
    assertThat(create("Second").status()).isEqualTo(201);
  }

  @Test
  void aConnectionResetBeforeExecutionRunsNothing() {
    start(b -> b);
    org.faults().next(1, FaultTarget.API, Fault.connectionReset());

    assertThatThrownBy(() -> create("Never")).isInstanceOf(UncheckedIOException.class);

    assertThat(org.ledger("Account").created()).isZero();
  }

  @Test
  void afterFaultsDoNotStrikeRequestsRejectedWith401() {
    start(b -> b);
    org.faults().next(1, FaultTarget.API, Fault.serverUnavailable().withPhase(Phase.AFTER));

    Http.Response rejected = Http.postJson(org.instanceUrl() + "/services/data/v67.0/sobjects/Account",
        "00Dbogus!token", "{\"Name\":\"x\"}");
    Http.Response executed = create("Ran");

    assertThat(rejected.status()).isEqualTo(401);
    assertThat(executed.status()).isEqualTo(503);
    assertThat(org.ledger("Account").created()).isEqualTo(1);
  }

  @Test
  void aLostTokenResponseStillRotatedTheRefreshToken() {
    start(b -> b.refreshTokenRotation(true));
    String refreshToken = org.issueRefreshToken();
    org.faults().next(1, FaultTarget.TOKEN, Fault.connectionReset().withPhase(Phase.AFTER));

    assertThatThrownBy(() -> OAuth.refresh(org, refreshToken)).isInstanceOf(UncheckedIOException.class);
    Http.Response replay = OAuth.refresh(org, refreshToken);

    assertThat(org.stats().sessionsCreated()).isEqualTo(1);
    assertThat(replay.status()).isEqualTo(400);
    assertThat(org.stats().familyRevocations()).isEqualTo(1);
  }

  @Test
  void aLatencyFaultDelaysTheRequestThenProcessesIt() {
    start(b -> b);
    org.faults().next(1, FaultTarget.API, Fault.latency(Duration.ofMillis(300)));

    long started = System.nanoTime();
    Http.Response response = create("Slow");
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

    assertThat(response.status()).isEqualTo(201);
    assertThat(elapsedMillis).isGreaterThanOrEqualTo(290);
    assertThat(org.ledger("Account").created()).isEqualTo(1);
  }

  @Test
  void aLatencyFaultAfterExecutionDelaysTheRealReply() {
    start(b -> b);
    org.faults().next(1, FaultTarget.API, Fault.latency(Duration.ofMillis(200)).withPhase(Phase.AFTER));

    long started = System.nanoTime();
    Http.Response response = create("Slow reply");

    assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(190);
    assertThat(response.status()).isEqualTo(201);
  }

  @Test
  void malformedJsonIsA200ThatDoesNotParse() {
    start(b -> b);
    org.faults().next(1, FaultTarget.API, Fault.malformedJson());

    Http.Response response = limits();

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("application/json");
    assertThat(FakeJson.parse(response.body().getBytes(StandardCharsets.UTF_8))).isNull();
  }

  @Test
  void aTruncatedBodyEndsTheConnectionEarly() {
    start(b -> b);
    org.faults().next(1, FaultTarget.API, Fault.truncatedBody());

    assertThatThrownBy(() -> create("x")).isInstanceOf(UncheckedIOException.class);
    assertThat(create("y").status()).as("later requests are fine").isEqualTo(201);
  }

  @Test
  void faultsCanBeDescribedOverHttp() {
    start(b -> b);
    String sim = org.loginUrl() + "/__sim/";

    Http.Response added = Http.postJson(sim + "fault", null,
        "{\"type\":\"serverUnavailableHtml\",\"target\":\"TOKEN\",\"count\":2}");
    Http.Response afterReset = Http.postJson(sim + "fault", null,
        "{\"type\":\"connectionReset\",\"target\":\"API\",\"phase\":\"AFTER\"}");

    assertThat(added.status()).isEqualTo(200);
    assertThat(afterReset.json().get("activeFaults").intValue()).isEqualTo(2);
    assertThat(OAuth.refresh(org, org.credentials().refreshToken()).header("Content-Type"))
        .startsWith("text/html");
    assertThatThrownBy(() -> create("ran")).isInstanceOf(UncheckedIOException.class);
    assertThat(org.ledger("Account").created()).isEqualTo(1);

    assertThat(Http.post(sim + "clear-faults").status()).isEqualTo(200);
    assertThat(org.faults().active()).isZero();
    Http.postJson(sim + "fault", null,
        "{\"type\":\"status\",\"status\":418,\"body\":\"teapot\",\"contentType\":\"text/plain\"}");
    assertThat(limits().status()).isEqualTo(418);
    Http.postJson(sim + "fault", null, "{\"type\":\"latency\",\"latencyMillis\":10,\"fraction\":1.0,\"seed\":7}");
    assertThat(limits().status()).isEqualTo(200);
    assertThat(org.stats().faultsInjected()).isEqualTo(4);
    assertThat(Http.postJson(sim + "fault", null, "{\"type\":\"meteor\"}").status()).isEqualTo(400);
    assertThat(Http.postJson(sim + "fault", null, "not json").status()).isEqualTo(400);
  }
}
