package io.forceflux.reactor.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.reactor.client.ScriptedServerTests;
import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The bulk client against scripted servers that misbehave: cut-off pages, foreign locators, HTML instead of CSV. */
class BulkClientHostileServerTests extends ScriptedServerTests {
  private static final Duration BOUND = Duration.ofSeconds(20);
  private static final String TOKEN = "00D000000000001!AQ0AQBulkHostileServerTestToken";
  private static final String JOB = "750000000000001AAA";

  BulkClientHostileServerTests() {
    super(TOKEN);
  }

  private BulkClient bulk() {
    return fixedTokenClient().build()
        .bulk(BulkOptions.builder().pollInterval(Duration.ofMillis(1), Duration.ofMillis(1)).build());
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
  }

  private void completedJob() {
    salesforce.enqueue(json("{\"id\":\"" + JOB + "\",\"state\":\"UploadComplete\",\"apiVersion\":67.0}"));
    salesforce.enqueue(json("{\"id\":\"" + JOB + "\",\"state\":\"JobComplete\",\"apiVersion\":67.0}"));
  }

  private static MockResponse csv(String body, String count, String locator) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/csv").addHeader(
        "Sforce-NumberOfRecords", count).addHeader("Sforce-Locator", locator).body(body).build();
  }

  private static void failsWith(StepVerifier.FirstStep<Map<String, String>> steps, FailureCause cause, String text) {
    steps.expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SalesforceException.class, se -> {
      assertThat(se.failureCause()).isEqualTo(cause);
      assertThat(se.getMessage()).contains(text).doesNotContain(TOKEN);
    })).verify(BOUND);
  }

  @Test
  void aPageCutOffMidRowFailsBeforeAnyOfItsRowsIsEmitted() {
    completedJob();
    salesforce.enqueue(csv("\"Id\",\"Name\"\n\"001000000000001AAA\",\"Acme\"\n\"001000000000002AAA\",\"Ac", "2",
        "null"));
    failsWith(StepVerifier.create(bulk().query("SELECT Id, Name FROM Account")), FailureCause.MALFORMED_RESPONSE,
        "truncated");
  }

  @Test
  void aPageWithFewerRowsThanItsHeaderSaysFails() {
    completedJob();
    salesforce.enqueue(csv("\"Id\"\n\"001000000000001AAA\"\n", "2", "null"));
    failsWith(StepVerifier.create(bulk().query("SELECT Id FROM Account")), FailureCause.MALFORMED_RESPONSE,
        "1 rows where Sforce-NumberOfRecords says 2");
  }

  @Test
  void aLocatorPointingAtAnotherHostOrJobIsRefusedAndNeverRequested() throws InterruptedException {
    for (String hostile : new String[] {evil.url("/steal").toString(), "../750000000000002AAA/results",
        "//" + evil.getHostName() + ":" + evil.getPort() + "/x"}) {
      completedJob();
      salesforce.enqueue(csv("\"Id\"\n\"001000000000001AAA\"\n", "1", hostile));
      failsWith(StepVerifier.create(bulk().query("SELECT Id FROM Account")), FailureCause.UNTRUSTED_URL,
          "Sforce-Locator is not a locator token");
    }
    assertThat(evil.getRequestCount()).isZero();
    for (int i = 0; i < salesforce.getRequestCount(); i++) {
      RecordedRequest request = salesforce.takeRequest();
      assertThat(request.getTarget()).startsWith("/services/data/v67.0/jobs/query");
    }
  }

  @Test
  void anHtmlPageInsteadOfCsvIsMalformed() {
    completedJob();
    salesforce.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
        .body("<html><body>Maintenance</body></html>").build());
    failsWith(StepVerifier.create(bulk().query("SELECT Id FROM Account")), FailureCause.MALFORMED_RESPONSE,
        "is not CSV");
  }

  @Test
  void rowsOfTheWrongWidthAreMalformed() {
    completedJob();
    salesforce.enqueue(csv("\"Id\",\"Name\"\n\"001000000000001AAA\"\n", "1", "null"));
    failsWith(StepVerifier.create(bulk().query("SELECT Id, Name FROM Account")), FailureCause.MALFORMED_RESPONSE,
        "1 values for 2 columns");
  }
}
