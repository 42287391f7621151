package io.forceflux.reactor.governor;

import io.forceflux.reactor.client.SalesforceClient;
import io.forceflux.reactor.client.SharedOrgTests;
import io.forceflux.reactor.client.TestClients;
import org.junit.jupiter.api.BeforeEach;

/** The class's fake org with its controls and counters reset before each test, and clients behind a governor. */
abstract class GovernedOrgTests extends SharedOrgTests {
  @BeforeEach
  void reset() {
    org.resetControls();
    org.resetStats();
  }

  static SalesforceClient client(ApiGovernor governor) {
    return TestClients.builder(org).apiVersion("67.0").governor(governor).build();
  }
}
