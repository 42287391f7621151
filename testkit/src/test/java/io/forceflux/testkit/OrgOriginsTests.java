package io.forceflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OrgOriginsTests {

  @Test
  void servesLoginAndMyDomainOnTheBoundPortAndInstanceDefaultsToMyDomain() {
    OrgOrigins origins = new OrgOrigins();
    assertThat(origins.started()).isFalse();
    assertThatThrownBy(origins::loginUrl).isInstanceOf(IllegalStateException.class);

    origins.bound(8443);

    assertThat(origins.loginUrl()).isEqualTo("http://127.0.0.1:8443");
    assertThat(origins.myDomainUrl()).isEqualTo("http://localhost:8443");
    assertThat(origins.instanceUrl()).isEqualTo("http://localhost:8443");
  }

  @Test
  void movesTheInstanceToAnOriginWithoutPath() {
    OrgOrigins origins = new OrgOrigins();
    origins.moveInstance("https://na1.example.test/");

    assertThat(origins.instanceUrl()).isEqualTo("https://na1.example.test");
    assertThatThrownBy(() -> origins.moveInstance("https://na1.example.test/path"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> origins.moveInstance("ftp://na1.example.test"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
