package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.GrantType;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.internal.Origins;
import java.net.URI;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** No request URL, however hostile, makes the filter send a token outside the instance origin. */
class UrlResolutionPropertyTests {
  private static final AccessToken TOKEN = AccessToken.of("00D000000000001!AQproperty",
      URI.create("https://acme.my.salesforce.com"), Instant.EPOCH, GrantType.REFRESH_TOKEN);

  @Provide
  Arbitrary<String> urls() {
    Arbitrary<String> pieces = Arbitraries.of("/", "//", "/services/data/v67.0/query/01g-2000", "https://", "http://",
        "acme.my.salesforce.com", "evil.example", "@", ":", ":443", ":8443", "..", "%2F", "%40", "?", "#", "\\",
        "javascript:", "user:pw@", "ACME.MY.SALESFORCE.COM", "/..//evil.example", "%00", " ", "\t");
    Arbitrary<String> composed = pieces.list().ofMinSize(1).ofMaxSize(6).map(l -> String.join("", l));
    return Arbitraries.oneOf(composed, Arbitraries.strings().ofMaxLength(60));
  }

  @Property(tries = 3000)
  void neverResolvesOutsideTheInstanceOriginAndNeverThrowsUnexpectedly(@ForAll("urls") String raw) {
    URI url;
    try {
      url = URI.create(raw);
    } catch (IllegalArgumentException e) {
      Assume.that(false); // WebClient would not even build such a request
      return;
    }
    URI resolved;
    try {
      resolved = SessionRecoveryFilter.resolve(url, TOKEN);
    } catch (SalesforceException e) {
      assertThat(e.failureCause()).isEqualTo(FailureCause.UNTRUSTED_URL);
      Statistics.collect("refused");
      return;
    }
    if (resolved == null) {
      Statistics.collect("other origin: sent without the token");
      assertThat(Origins.sameOrigin(url, TOKEN.instanceUrl())).isFalse();
      return;
    }
    Statistics.collect("resolved on the instance");
    assertThat(Origins.sameOrigin(resolved, TOKEN.instanceUrl())).as(resolved.toString()).isTrue();
    assertThat(resolved.getRawUserInfo()).isNull();
  }
}
