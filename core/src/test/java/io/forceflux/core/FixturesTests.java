package io.forceflux.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FixturesTests {

  @Test
  void findsTheRecordedFixturesByWalkingUpFromTheWorkingDirectory() {
    assertThat(Fixtures.dir().resolve("SOURCES.md")).isRegularFile();
    assertThat(Fixtures.names()).contains("rest-401-invalid-session-id.json").doesNotContain("SOURCES.md");
  }

  @Test
  void splitsARecordingWithABlankLineBetweenHeadersAndBody() {
    Fixtures.Recorded r = Fixtures.splitHttp("x.http",
        "HTTP/1.1 401\nWWW-Authenticate: Token\ncontent-type: application/json\n\n[{\"a\":1}]\n");

    assertThat(r.status()).isEqualTo(401);
    assertThat(r.headers()).containsEntry("www-authenticate", "Token");
    assertThat(r.contentType()).isEqualTo("application/json");
    assertThat(r.text()).isEqualTo("[{\"a\":1}]\n");
  }

  @Test
  void splitsARecordingWhoseBodyFollowsTheHeadersWithoutABlankLine() {
    Fixtures.Recorded r = Fixtures.load("oauth-token-400-invalid-grant-audience-validation-failed.http");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.headers()).containsOnlyKeys("content-type", "cache-control");
    assertThat(r.text()).startsWith("{").contains("\"Audience validation failed\"");
  }

  @Test
  void takesTheStatusOfAPlainFixtureFromItsName() {
    assertThat(Fixtures.load("rest-403-request-limit-exceeded.json").status()).isEqualTo(403);
    assertThat(Fixtures.load("soap-fault-invalid-session-id-partner-cumulusci.xml").status()).isEqualTo(500);
  }

  @Test
  void refusesARecordingWithoutAStatusLine() {
    assertThatThrownBy(() -> Fixtures.splitHttp("x.http", "{}")).hasMessageContaining("no HTTP status line");
  }
}
