package io.forceflux.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.Fixtures;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Redaction} masks credentials and only credentials: no generated secret survives in any of the shapes
 * it reaches a message in, and Salesforce's own error text (recorded bodies, SOQL parser errors) survives
 * unchanged.
 */
class RedactionPropertyTests {
  /** The characters of tokens, refresh tokens, secrets and passwords as they appear unencoded. */
  private static final String SECRET_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-+/=!";

  /** Where a secret value is found in text that reaches a log line or an exception message. */
  private static final List<String> SHAPES = List.of(
      "grant_type=refresh_token&refresh_token=%s&client_id=x",
      "access_token=%s",
      "{\"access_token\":\"%s\",\"instance_url\":\"https://x.my.salesforce.com\"}",
      "{\"refresh_token\" : \"%s\"}",
      "{\\\"refresh_token\\\":\\\"%s\\\"}",
      "client_secret=%s&x=1",
      "password=%s",
      "Cookie: sid=%s; path=/",
      "sid=%s",
      "<sessionId>%s</sessionId>",
      "Authorization: Bearer %s",
      "https://login.salesforce.com/services/oauth2/revoke?token=%s",
      "{\"token\":\"%s\"}",
      "assertion=%s");

  @Provide
  Arbitrary<String> secrets() {
    // At least 8 characters, with a letter and a digit: the shape of every credential Salesforce issues.
    return Arbitraries.strings().withChars(SECRET_CHARS).ofMinLength(6).ofMaxLength(80)
        .map(s -> "a1" + s)
        .filter(s -> !s.startsWith("=") && !s.contains("&"));
  }

  @Provide
  Arbitrary<String> shapes() {
    return Arbitraries.of(SHAPES);
  }

  @Provide
  Arbitrary<String> prose() {
    return Arbitraries.of("", "token refresh failed: ", "unexpected token: ", "request body was ", "\n", " [", "; ");
  }

  @Property(tries = 2_000)
  void noSecretSurvivesInAnyShape(
      @ForAll("secrets") String secret, @ForAll("shapes") String shape, @ForAll("prose") String before,
      @ForAll("prose") String after) {
    String text = before + shape.formatted(secret) + after;

    assertThat(Redaction.redact(text)).doesNotContain(secret);
  }

  static List<String> recordedErrors() {
    return Fixtures.names().stream()
        .filter(n -> !n.contains("-200-"))
        .toList();
  }

  @ParameterizedTest
  @MethodSource("recordedErrors")
  void everyRecordedSalesforceErrorSurvivesUnchanged(String name) {
    String body = Fixtures.load(name).text();

    assertThat(Redaction.redact(body)).isEqualTo(body);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "unexpected token: =",
      "unexpected token: 'FROM'",
      "unexpected token: FROM",
      "unexpected token: <EOF>",
      "MALFORMED_QUERY: \nSELECT Id FROM Account WHERE Name = \n ^\nERROR at Row:1:Column:40\nunexpected token: '='",
      "Invalid token: expected an identifier",
      "token request is already being processed",
      "Session expired or invalid",
      "The password was not changed: it must be at least 8 characters",
      "consider=true; reason=expired",
      "Bearer token required"})
  void salesforcesOwnWordsAreNotSecrets(String text) {
    assertThat(Redaction.redact(text)).isEqualTo(text);
  }

  @Test
  void aRefreshTokenOnItsOwnIsCredentialShaped() {
    String refresh = "5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJvmQ9vQwZ1hEvdG.CTiL4yW";

    assertThat(Redaction.redact("presented " + refresh + " twice")).isEqualTo("presented [redacted] twice");
  }
}
