package io.forceflux.testkit;

import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/**
 * One fake org per test, on a {@link MutableClock} the test moves by hand: started by the test with the options it
 * needs, closed after it.
 */
abstract class ClockedOrgTests {
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  FakeOrg org;
  /** The access token {@link #startSignedIn} fetched. */
  String token;

  /** Starts this test's org from a builder on {@link #clock} with {@code options} applied. */
  FakeOrg startOrg(UnaryOperator<FakeOrg.Builder> options) {
    org = options.apply(FakeOrg.builder().clock(clock)).build().start();
    return org;
  }

  /** {@link #startOrg}, then an access token for {@link #token} through the org's OAuth flow. */
  FakeOrg startSignedIn(UnaryOperator<FakeOrg.Builder> options) {
    startOrg(options);
    token = OAuth.accessToken(org);
    return org;
  }

  @AfterEach
  void closeOrg() {
    if (org != null) {
      org.close();
    }
  }
}
