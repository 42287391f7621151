package io.forceflux.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiVersionsTests {

  @ParameterizedTest
  @ValueSource(strings = {"31.0", "62.0", "67.0", "100.0"})
  void acceptsVersionsAsSalesforceNumbersThem(String version) {
    assertThat(ApiVersions.isValid(version)).isTrue();
    assertThat(ApiVersions.requireValid(version)).isEqualTo(version);
  }

  @ParameterizedTest
  @ValueSource(strings = {"67", "v67.0", "67.1", "", "7.0", "1000.0", "67.0/../../x", " 67.0", "67.0\n"})
  void rejectsAnythingElse(String version) {
    assertThat(ApiVersions.isValid(version)).isFalse();
    assertThatThrownBy(() -> ApiVersions.requireValid(version))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("apiVersion must look like 67.0: ");
  }
}
