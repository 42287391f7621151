package io.forceflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FakeOrgRegisteredExtensionTests {

  @RegisterExtension
  static final FakeOrgExtension ORG = FakeOrgExtension.withOptions(b -> b.accounts(7).apiVersion("60.0"));

  @Test
  void optionsGivenInCodeConfigureTheOrg(FakeOrg org) {
    assertThat(ORG.org()).isSameAs(org);
    assertThat(org.count("Account")).isEqualTo(7);
    assertThat(org.apiVersion()).isEqualTo("60.0");
    assertThat(org.clock()).isInstanceOf(MutableClock.class);
    assertThat(Http.get(org.instanceUrl() + "/services/data/v60.0/limits", OAuth.accessToken(org)).status())
        .isEqualTo(200);
  }
}
