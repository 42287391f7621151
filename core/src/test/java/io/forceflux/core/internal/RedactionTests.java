package io.forceflux.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedactionTests {
  private static final String SESSION_ID = "00D5g000004ABCD!AQ8AQJ.x_verylongtokenvalue123";
  private static final String SESSION_ID_18 = "00D5g000004ABCDEAQ!AR8AQAxo9UfVkh8AlV0Gomt9Czx9LjHnSSpwBMmbRc";
  private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIzTVZHOSIsInN1YiI6InVAeC5jb20ifQ.c2lnbmF0dXJl-_x";

  @Test
  void masksSessionIdsOfBothOrgIdLengths() {
    String redacted = Redaction.redact("a " + SESSION_ID + " b " + SESSION_ID_18 + " c");

    assertThat(redacted).isEqualTo("a [redacted] b [redacted] c");
  }

  @Test
  void masksBearerAndOauthAuthorizationValues() {
    assertThat(Redaction.redact("Authorization: Bearer abcdefgh12345678")).isEqualTo("Authorization: Bearer [redacted]");
    assertThat(Redaction.redact("authorization: OAuth abcdefgh.12345678")).isEqualTo("authorization: OAuth [redacted]");
  }

  @Test
  void masksAJsonWebToken() {
    assertThat(Redaction.redact("token is " + JWT + ".")).doesNotContain("eyJpc3Mi").doesNotContain("c2lnbmF0dXJl");
  }

  @Test
  void masksAJsonWebTokenThatFollowsAnEqualsSignOrAQuote() {
    assertThat(Redaction.redact("jwt=" + JWT)).isEqualTo("jwt=[redacted]");
    assertThat(Redaction.redact("\"" + JWT + "\"")).isEqualTo("\"[redacted]\"");
  }

  @Test
  void masksAPrivateKeyWhetherOrNotItIsComplete() {
    String key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
    String rsa = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAtruncat";

    assertThat(Redaction.redact("key: " + key + " done")).isEqualTo("key: [redacted key] done");
    assertThat(Redaction.redact("key: " + rsa)).isEqualTo("key: [redacted key]");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "grant_type=refresh_token&refresh_token=5Aep861abc&client_id=x",
      "{\"refresh_token\":\"5Aep861abc\"}",
      "{\"refresh_token\" : \"5Aep861abc\"}",
      "{\\\"refresh_token\\\":\\\"5Aep861abc\\\"}",
      "access_token=5Aep861abc",
      "client_secret=5Aep861abc",
      "password=5Aep861abc",
      "PASSWORD: 5Aep861abc",
      "assertion=5Aep861abc",
      "<sessionId>5Aep861abc</sessionId>",
      "token=5Aep861abc"})
  void masksTheValueOfASecretNamedKey(String text) {
    String redacted = Redaction.redact(text);

    assertThat(redacted).doesNotContain("5Aep861abc").contains("[redacted]");
  }

  @Test
  void keepsAJsonEscapedQuoteAfterAMaskedValue() {
    assertThat(Redaction.redact("{\\\"refresh_token\\\":\\\"5Aep861abc\\\"}"))
        .isEqualTo("{\\\"refresh_token\\\":\\\"[redacted]\\\"}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Session expired or invalid", "INVALID_SESSION_ID", "expired access/refresh token",
      "token request is already being processed", "No such column 'foo' on sobject of type Bar",
      "INVALID_LOGIN: Invalid username, password, security token; or user locked out.",
      "https://na1.salesforce.com/services/data/v67.0/query/01gD0000002HU6KIAW-2000"})
  void leavesOrdinaryErrorTextAlone(String text) {
    assertThat(Redaction.redact(text)).isEqualTo(text);
  }

  @Test
  void makesASnippetOneLine() {
    assertThat(Redaction.snippet("a\r\nb\tc\u0000d\u001be  f", 200)).isEqualTo("a b c d e f");
  }

  @Test
  void makesASnippetOneLineEvenWithUnicodeLineBreaks() {
    String snippet = Redaction.snippet("a\u0085b\u2028c\u2029d\u009be", 200);

    assertThat(snippet).isEqualTo("a b c d e");
  }

  @Test
  void cutsALongSnippetAndMarksTheCut() {
    String snippet = Redaction.snippet("x".repeat(500), 200);

    assertThat(snippet).hasSize(201).startsWith("xxx").endsWith("…");
  }

  @Test
  void keepsAShortSnippetWhole() {
    assertThat(Redaction.snippet("x".repeat(200), 200)).hasSize(200).doesNotContain("…");
  }

  @Test
  void redactsBeforeCuttingSoThatNoPartOfATokenSurvives() {
    String snippet = Redaction.snippet("y".repeat(190) + SESSION_ID, 200);

    assertThat(snippet).doesNotContain("00D5g").doesNotContain("!");
  }

  @Test
  void redactsAFiveMegabyteRunOfJwtPrefixesInLinearTime() {
    String text = "eyJ".repeat(1_750_000);

    String redacted = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Redaction.redact(text));

    assertThat(redacted).isEqualTo(text);
  }

  @Test
  void redactsManyJwtsInARow() {
    String text = (JWT + " ").repeat(10_000);

    String redacted = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Redaction.redact(text));

    assertThat(redacted).doesNotContain("eyJ").contains("[redacted]");
  }
}
