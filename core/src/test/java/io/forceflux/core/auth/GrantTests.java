package io.forceflux.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class GrantTests {
  private static final URI LOGIN = URI.create("https://login.salesforce.com");
  private static final URI MY_DOMAIN = URI.create("https://acme.my.salesforce.com");
  private static final String CLIENT_ID = "3MVG9lKcPoNINVBIPJjdw1J9LLM82HnFVVX19KY1uA5mu0QqEWhqKpoW3svG3XHrXDi";
  private static final String CLIENT_SECRET = "S3cr3tClientSecret1955279925675241571";
  private static final String REFRESH_TOKEN = "5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJ.ORIGINAL";
  private static final String ROTATED = "5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJ.ROTATED";
  private static final String USERNAME = "integration@acme.example";
  private static final String PASSWORD = "hunter2-Passw0rd";
  private static final String SECURITY_TOKEN = "SecTokEn9876543210";
  private static final Instant NOW = Instant.parse("2026-03-01T10:15:30Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final KeyPair RSA = generateRsa();

  // ---- introspection ----

  @Test
  void introspectionPostsTheTokenToItsOwnInstanceAndKeepsItOutOfToString() {
    AccessToken token = AccessToken.of("00D000000000001!AQ0AQintrospected", MY_DOMAIN, NOW, GrantType.REFRESH_TOKEN);

    TokenRequest request = TokenRequest.introspection(CLIENT_ID, CLIENT_SECRET, token);
    TokenRequest noSecret = TokenRequest.introspection(CLIENT_ID, null, token);

    assertThat(request.uri()).isEqualTo(URI.create("https://acme.my.salesforce.com/services/oauth2/introspect"));
    assertThat(request.contentType()).isEqualTo("application/x-www-form-urlencoded");
    assertThat(request.header("Accept")).isEqualTo("application/json");
    assertThat(form(request.body())).containsExactly(
        Map.entry("token", token.value()),
        Map.entry("token_type_hint", "access_token"),
        Map.entry("client_id", CLIENT_ID),
        Map.entry("client_secret", CLIENT_SECRET));
    assertThat(form(noSecret.body())).doesNotContainKey("client_secret");
    assertThat(request.toString()).doesNotContain(token.value()).doesNotContain(CLIENT_SECRET);
    assertThatThrownBy(() -> TokenRequest.introspection(" ", null, token)).isInstanceOf(IllegalArgumentException.class);
  }

  // ---- refresh token ----

  @Test
  void refreshTokenGrantPostsItsFormToTheTokenEndpoint() {
    TokenRequest request = Grant.refreshToken(LOGIN, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN).request(CLOCK);

    assertThat(request.uri()).isEqualTo(URI.create("https://login.salesforce.com/services/oauth2/token"));
    assertThat(request.contentType()).isEqualTo("application/x-www-form-urlencoded");
    assertThat(request.header("Accept")).isEqualTo("application/json");
    assertThat(form(request.body())).containsExactly(
        Map.entry("grant_type", "refresh_token"),
        Map.entry("client_id", CLIENT_ID),
        Map.entry("client_secret", CLIENT_SECRET),
        Map.entry("refresh_token", REFRESH_TOKEN));
  }

  @Test
  void refreshTokenGrantLeavesOutAClientSecretItDoesNotHave() {
    TokenRequest request = Grant.refreshToken(LOGIN, CLIENT_ID, null, REFRESH_TOKEN).request(CLOCK);

    assertThat(form(request.body())).containsOnlyKeys("grant_type", "client_id", "refresh_token");
  }

  @Test
  void usesOnlyTheOriginOfTheLoginUrl() {
    URI withPath = URI.create("https://acme.my.salesforce.com:443/some/path/?q=1#frag");

    TokenRequest request = Grant.refreshToken(withPath, CLIENT_ID, null, REFRESH_TOKEN).request(CLOCK);

    assertThat(request.uri()).isEqualTo(URI.create("https://acme.my.salesforce.com/services/oauth2/token"));
  }

  @Test
  void formEncodesValuesWithReservedCharacters() {
    String secret = "a&b=c+d e%f/?#é";

    TokenRequest request = Grant.refreshToken(LOGIN, CLIENT_ID, secret, "tok+en/=&").request(CLOCK);

    assertThat(form(request.body())).containsEntry("client_secret", secret).containsEntry("refresh_token", "tok+en/=&");
    assertThat(request.body()).doesNotContain(" ");
  }

  @Test
  void aRotatedRefreshTokenYieldsAGrantThatPresentsIt() {
    RefreshTokenGrant original = Grant.refreshToken(LOGIN, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN);

    Grant rotated = original.withRefreshToken(Secret.of(ROTATED));

    assertThat(rotated).isInstanceOf(RefreshTokenGrant.class).isNotSameAs(original);
    assertThat(((RefreshTokenGrant) rotated).refreshToken().reveal()).isEqualTo(ROTATED);
    assertThat(form(rotated.request(CLOCK).body()))
        .containsEntry("refresh_token", ROTATED)
        .containsEntry("client_id", CLIENT_ID)
        .containsEntry("client_secret", CLIENT_SECRET);
    assertThat(form(original.request(CLOCK).body())).containsEntry("refresh_token", REFRESH_TOKEN);
    assertThat(rotated.credentialKey()).isEqualTo(original.credentialKey());
  }

  @Test
  void refreshTokensOfTwoUsersOfOneAppNeverShareACredentialKey() {
    Grant alice = Grant.refreshToken(LOGIN, CLIENT_ID, CLIENT_SECRET, "5Aep861alice");
    Grant bob = Grant.refreshToken(LOGIN, CLIENT_ID, CLIENT_SECRET, "5Aep861bob");

    assertThat(alice.credentialKey()).isNotEqualTo(bob.credentialKey());
    assertThat(alice.credentialKey()).doesNotContain("5Aep861alice");
  }

  @Test
  void grantsWithoutARefreshTokenIgnoreARotation() throws Exception {
    List<Grant> grants = List.of(
        Grant.clientCredentials(MY_DOMAIN, CLIENT_ID, CLIENT_SECRET),
        Grant.password(LOGIN, CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD, SECURITY_TOKEN),
        Grant.soapLogin(LOGIN, USERNAME, PASSWORD, SECURITY_TOKEN, "67.0"),
        Grant.jwtBearer(LOGIN, CLIENT_ID, USERNAME, RSA.getPrivate(), null));

    for (Grant grant : grants) {
      assertThat(grant.withRefreshToken(Secret.of(ROTATED))).as(grant.type().name()).isSameAs(grant);
    }
  }

  // ---- client credentials, password, SOAP ----

  @Test
  void clientCredentialsGrantPostsToTheMyDomainHost() {
    TokenRequest request = Grant.clientCredentials(MY_DOMAIN, CLIENT_ID, CLIENT_SECRET).request(CLOCK);

    assertThat(request.uri()).isEqualTo(URI.create("https://acme.my.salesforce.com/services/oauth2/token"));
    assertThat(request.contentType()).isEqualTo("application/x-www-form-urlencoded");
    assertThat(form(request.body())).containsExactly(
        Map.entry("grant_type", "client_credentials"),
        Map.entry("client_id", CLIENT_ID),
        Map.entry("client_secret", CLIENT_SECRET));
  }

  @Test
  void passwordGrantAppendsTheSecurityTokenToThePassword() {
    TokenRequest request = Grant.password(LOGIN, CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD, SECURITY_TOKEN)
        .request(CLOCK);

    assertThat(request.uri()).isEqualTo(URI.create("https://login.salesforce.com/services/oauth2/token"));
    assertThat(request.contentType()).isEqualTo("application/x-www-form-urlencoded");
    assertThat(form(request.body())).containsExactly(
        Map.entry("grant_type", "password"),
        Map.entry("client_id", CLIENT_ID),
        Map.entry("client_secret", CLIENT_SECRET),
        Map.entry("username", USERNAME),
        Map.entry("password", PASSWORD + SECURITY_TOKEN));
  }

  @Test
  void passwordGrantSendsThePasswordAloneWithoutASecurityToken() {
    TokenRequest request = Grant.password(LOGIN, CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD, null).request(CLOCK);

    assertThat(form(request.body())).containsEntry("password", PASSWORD);
  }

  @Test
  void soapLoginPostsAnEnvelopeToThePartnerEndpoint() throws Exception {
    String password = "p&ss<w>rd\"'";

    TokenRequest request = Grant.soapLogin(LOGIN, USERNAME, password, SECURITY_TOKEN, "67.0").request(CLOCK);

    assertThat(request.uri()).isEqualTo(URI.create("https://login.salesforce.com/services/Soap/u/67.0"));
    assertThat(request.contentType()).startsWith("text/xml");
    assertThat(request.header("SOAPAction")).isEqualTo("login");
    Document envelope = xml(request.body());
    assertThat(text(envelope, "urn:partner.soap.sforce.com", "username")).isEqualTo(USERNAME);
    assertThat(text(envelope, "urn:partner.soap.sforce.com", "password")).isEqualTo(password + SECURITY_TOKEN);
    assertThat(envelope.getDocumentElement().getLocalName()).isEqualTo("Envelope");
  }

  @ParameterizedTest
  @ValueSource(strings = {"67", "v67.0", "67.1", "", "67.0/../../x"})
  void soapLoginRejectsAMalformedApiVersion(String version) {
    assertThatThrownBy(() -> Grant.soapLogin(LOGIN, USERNAME, PASSWORD, null, version))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("apiVersion");
  }

  // ---- JWT bearer ----

  @Test
  void jwtBearerSignsAnRs256AssertionTheServerCanVerify() throws Exception {
    JwtBearerGrant grant = Grant.jwtBearer(LOGIN, CLIENT_ID, USERNAME, pkcs8Pem(RSA.getPrivate()), null);

    TokenRequest request = grant.request(CLOCK);

    assertThat(request.uri()).isEqualTo(URI.create("https://login.salesforce.com/services/oauth2/token"));
    assertThat(request.contentType()).isEqualTo("application/x-www-form-urlencoded");
    Map<String, String> form = form(request.body());
    assertThat(form).containsOnlyKeys("grant_type", "assertion")
        .containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
    String[] parts = form.get("assertion").split("\\.", -1);
    assertThat(parts).hasSize(3);
    assertThat(decode(parts[0])).isEqualTo("{\"alg\":\"RS256\"}");
    JsonNode claims = JSON.readTree(decode(parts[1]));
    assertThat(claims.get("iss").asString()).isEqualTo(CLIENT_ID);
    assertThat(claims.get("sub").asString()).isEqualTo(USERNAME);
    assertThat(claims.get("aud").asString()).isEqualTo("https://login.salesforce.com");
    assertThat(Long.parseLong(claims.get("exp").asString())).isEqualTo(NOW.plus(Duration.ofMinutes(3)).getEpochSecond());
    assertThat(verifies(RSA.getPublic(), parts[0] + "." + parts[1], parts[2])).isTrue();
  }

  @Test
  void aTamperedAssertionDoesNotVerify() throws Exception {
    String assertion = form(Grant.jwtBearer(LOGIN, CLIENT_ID, USERNAME, RSA.getPrivate(), null).request(CLOCK).body())
        .get("assertion");
    String[] parts = assertion.split("\\.");
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
        decode(parts[1]).replace(USERNAME, "admin@acme.example").getBytes(StandardCharsets.UTF_8));

    assertThat(verifies(RSA.getPublic(), parts[0] + "." + forged, parts[2])).isFalse();
    assertThat(verifies(generateRsa().getPublic(), parts[0] + "." + parts[1], parts[2])).isFalse();
  }

  @Test
  void jwtBearerUsesAnExplicitAudience() throws Exception {
    JwtBearerGrant grant = Grant.jwtBearer(
        URI.create("https://test.salesforce.com"), CLIENT_ID, USERNAME, RSA.getPrivate(), "https://acme.my.site.com");

    JsonNode claims = claims(grant.request(CLOCK));

    assertThat(claims.get("aud").asString()).isEqualTo("https://acme.my.site.com");
  }

  @Test
  void jwtBearerDefaultsTheAudienceToTheLoginOrigin() throws Exception {
    JwtBearerGrant grant = Grant.jwtBearer(
        URI.create("https://test.salesforce.com/"), CLIENT_ID, USERNAME, RSA.getPrivate(), null);

    assertThat(claims(grant.request(CLOCK)).get("aud").asString()).isEqualTo("https://test.salesforce.com");
  }

  @Test
  void jwtBearerEscapesClaimsIntoValidJson() throws Exception {
    String username = "o\"brien\\x\u0001@acme.example";

    JsonNode claims = claims(Grant.jwtBearer(LOGIN, CLIENT_ID, username, RSA.getPrivate(), null).request(CLOCK));

    assertThat(claims.get("sub").asString()).isEqualTo(username);
  }

  @Test
  void jwtBearerTakesTheExpiryFromTheClockOfEachRequest() throws Exception {
    JwtBearerGrant grant = Grant.jwtBearer(LOGIN, CLIENT_ID, USERNAME, RSA.getPrivate(), null);
    Clock later = Clock.offset(CLOCK, Duration.ofHours(2));

    long exp = Long.parseLong(claims(grant.request(later)).get("exp").asString());

    assertThat(exp).isEqualTo(NOW.plus(Duration.ofHours(2)).plus(JwtBearerGrant.ASSERTION_LIFETIME).getEpochSecond());
  }

  @Test
  void aPkcs1KeyIsRefusedWithTheCommandThatConvertsIt() throws Exception {
    String pkcs1 = pkcs1Pem(RSA.getPrivate());

    assertThatThrownBy(() -> Grant.jwtBearer(LOGIN, CLIENT_ID, USERNAME, pkcs1, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PKCS#1")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt")
        .hasMessageContaining("BEGIN PRIVATE KEY")
        .hasNoCause()
        .satisfies(e -> assertNoKeyMaterial(e.getMessage(), pkcs1));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "not a key at all",
      "-----BEGIN PRIVATE KEY-----\n!!!! not base64 !!!!\n-----END PRIVATE KEY-----\n",
      "-----BEGIN PRIVATE KEY-----\nAAAAQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\n-----END PRIVATE KEY-----\n",
      "-----END PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----BEGIN PRIVATE KEY-----\n",
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI\n"
          + "-----END ENCRYPTED PRIVATE KEY-----\n",
      "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----\n"})
  void aGarbagePemIsRefusedByNamingTheExpectedFormat(String pem) {
    assertThatThrownBy(() -> Grant.jwtBearer(LOGIN, CLIENT_ID, USERNAME, pem, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PKCS#8")
        .hasNoCause()
        .satisfies(e -> assertNoKeyMaterial(e.getMessage(), pem));
  }

  @Test
  void aPkcs8PemHoldingAnEcKeyIsRefused() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    String pem = pkcs8Pem(ec.generateKeyPair().getPrivate());

    assertThatThrownBy(() -> Grant.jwtBearer(LOGIN, CLIENT_ID, USERNAME, pem, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RSA")
        .satisfies(e -> assertNoKeyMaterial(e.getMessage(), pem));
  }

  @Test
  void aLoadedKeyThatIsNotRsaIsRefused() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    PrivateKey key = ec.generateKeyPair().getPrivate();

    assertThatThrownBy(() -> Grant.jwtBearer(LOGIN, CLIENT_ID, USERNAME, key, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RSA")
        .hasMessageContaining("EC");
  }

  @Test
  void aPemWithWindowsLineEndingsAndSurroundingTextIsAccepted() throws Exception {
    String pem = "Bag Attributes\r\n" + pkcs8Pem(RSA.getPrivate()).replace("\n", "\r\n") + "trailing\r\n";

    String assertion = form(Grant.jwtBearer(LOGIN, CLIENT_ID, USERNAME, pem, null).request(CLOCK).body())
        .get("assertion");

    String[] parts = assertion.split("\\.");
    assertThat(verifies(RSA.getPublic(), parts[0] + "." + parts[1], parts[2])).isTrue();
  }

  // ---- PKCS#12 ----

  @Test
  void jwtBearerLoadsItsKeyFromAPkcs12Keystore(@TempDir Path dir) throws Exception {
    char[] storePassword = "store-pass-123".toCharArray();
    Path keystore = pkcs12(dir, "salesforce", storePassword);

    JwtBearerGrant grant = Grant.jwtBearer(LOGIN, CLIENT_ID, USERNAME, keystore, storePassword, "salesforce", null);

    String[] parts = form(grant.request(CLOCK).body()).get("assertion").split("\\.");
    assertThat(verifies(RSA.getPublic(), parts[0] + "." + parts[1], parts[2])).isTrue();
  }

  @Test
  void aPkcs12KeystoreWithTheWrongPasswordIsRefusedWithoutShowingIt(@TempDir Path dir) throws Exception {
    Path keystore = pkcs12(dir, "salesforce", "store-pass-123".toCharArray());

    assertThatThrownBy(() -> Grant.jwtBearer(
        LOGIN, CLIENT_ID, USERNAME, keystore, "Wr0ngPassw0rd".toCharArray(), "salesforce", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PKCS#12")
        .hasMessageNotContaining("Wr0ngPassw0rd")
        .hasMessageNotContaining("store-pass-123");
  }

  @Test
  void aPkcs12KeystoreWithoutTheAliasIsRefusedNamingTheAlias(@TempDir Path dir) throws Exception {
    char[] storePassword = "store-pass-123".toCharArray();
    Path keystore = pkcs12(dir, "salesforce", storePassword);

    assertThatThrownBy(() -> Grant.jwtBearer(LOGIN, CLIENT_ID, USERNAME, keystore, storePassword, "other", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'other'");
  }

  @Test
  void aMissingPkcs12FileIsRefused(@TempDir Path dir) {
    Path missing = dir.resolve("missing.p12");

    assertThatThrownBy(() -> Grant.jwtBearer(LOGIN, CLIENT_ID, USERNAME, missing, new char[0], "a", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.p12");
  }

  // ---- no secret in toString ----

  @Test
  void noGrantShowsASecretInToString() throws Exception {
    String pem = pkcs8Pem(RSA.getPrivate());
    List<Grant> grants = List.of(
        Grant.refreshToken(LOGIN, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN),
        Grant.refreshToken(LOGIN, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN).withRefreshToken(Secret.of(ROTATED)),
        Grant.jwtBearer(LOGIN, CLIENT_ID, USERNAME, pem, null),
        Grant.clientCredentials(MY_DOMAIN, CLIENT_ID, CLIENT_SECRET),
        Grant.password(LOGIN, CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD, SECURITY_TOKEN),
        Grant.soapLogin(LOGIN, USERNAME, PASSWORD, SECURITY_TOKEN, "67.0"));

    for (Grant grant : grants) {
      assertNoSecret(grant.toString());
      assertNoSecret(grant.request(CLOCK).toString());
      assertNoSecret(grant.credentialKey());
      assertNoKeyMaterial(grant.toString(), pem);
    }
  }

  @Test
  void aTokenRequestNamesWhereItGoesButNotItsBody() {
    TokenRequest request = Grant.password(LOGIN, CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD, SECURITY_TOKEN)
        .request(CLOCK);

    assertThat(request.toString()).contains("https://login.salesforce.com/services/oauth2/token").contains("redacted");
    assertNoSecret(request.toString());
  }

  @Test
  void secretsAccessTokensAndTokenResponsesShowNoValue() {
    String accessToken = "00D5g000004ABCD!AQ8AQJ.x_verylongtokenvalue123";
    AccessToken token = AccessToken.of(accessToken, URI.create("https://na1.salesforce.com/"), NOW,
        GrantType.REFRESH_TOKEN).withIdleTimeout(Duration.ofHours(2)).withExpiresAt(NOW.plusSeconds(7200));
    TokenResponse response = new TokenResponse(token, Secret.of(ROTATED), "api refresh_token");

    assertThat(Secret.of(REFRESH_TOKEN).toString()).doesNotContain(REFRESH_TOKEN).contains("redacted");
    assertThat(token.toString()).doesNotContain(accessToken).doesNotContain("verylongtokenvalue")
        .contains(token.fingerprint());
    assertThat(response.toString()).doesNotContain(accessToken).doesNotContain(ROTATED).contains("rotated");
    assertThat(token.value()).isEqualTo(accessToken);
  }

  @Test
  void aFingerprintIsShortStableAndNotTheSecret() {
    Secret secret = Secret.of(REFRESH_TOKEN);

    assertThat(secret.fingerprint()).matches("[0-9a-f]{8}").isEqualTo(Secret.of(REFRESH_TOKEN).fingerprint())
        .isNotEqualTo(Secret.of(ROTATED).fingerprint());
    assertThat(REFRESH_TOKEN).doesNotContain(secret.fingerprint());
  }

  // ---- credential keys ----

  @Test
  void grantsForTheSameCredentialHaveEqualKeys() throws Exception {
    assertThat(Grant.refreshToken(LOGIN, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN).credentialKey())
        .isEqualTo(Grant.refreshToken(URI.create("https://LOGIN.salesforce.com/"), CLIENT_ID, CLIENT_SECRET,
            REFRESH_TOKEN).credentialKey());
    assertThat(Grant.jwtBearer(LOGIN, CLIENT_ID, USERNAME, RSA.getPrivate(), null).credentialKey())
        .isEqualTo(Grant.jwtBearer(LOGIN, CLIENT_ID, USERNAME, pkcs8Pem(RSA.getPrivate()), null).credentialKey());
    assertThat(Grant.clientCredentials(MY_DOMAIN, CLIENT_ID, CLIENT_SECRET).credentialKey())
        .isEqualTo(Grant.clientCredentials(URI.create("https://acme.my.salesforce.com:443"), CLIENT_ID, CLIENT_SECRET)
            .credentialKey());
    assertThat(Grant.password(LOGIN, CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD, null).credentialKey())
        .isEqualTo(Grant.password(LOGIN, CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD, null).credentialKey());
    assertThat(Grant.soapLogin(LOGIN, USERNAME, PASSWORD, null, "67.0").credentialKey())
        .isEqualTo(Grant.soapLogin(LOGIN, USERNAME, PASSWORD, null, "67.0").credentialKey());
  }

  @Test
  void grantsForDifferentCredentialsHaveDifferentKeys() {
    List<String> keys = List.of(
        Grant.refreshToken(LOGIN, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN).credentialKey(),
        Grant.refreshToken(URI.create("https://test.salesforce.com"), CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN)
            .credentialKey(),
        Grant.refreshToken(LOGIN, "OtherClient", CLIENT_SECRET, REFRESH_TOKEN).credentialKey(),
        Grant.jwtBearer(LOGIN, CLIENT_ID, USERNAME, RSA.getPrivate(), null).credentialKey(),
        Grant.jwtBearer(LOGIN, CLIENT_ID, "other@acme.example", RSA.getPrivate(), null).credentialKey(),
        Grant.clientCredentials(MY_DOMAIN, CLIENT_ID, CLIENT_SECRET).credentialKey(),
        Grant.password(LOGIN, CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD, null).credentialKey(),
        Grant.soapLogin(LOGIN, USERNAME, PASSWORD, null, "67.0").credentialKey());

    assertThat(keys).doesNotHaveDuplicates();
  }

  @Test
  void refreshTokensWhoseShortFingerprintsCollideStillHaveDifferentKeys() {
    String[] pair = collidingRefreshTokens();
    assertThat(Secret.of(pair[0]).fingerprint()).isEqualTo(Secret.of(pair[1]).fingerprint());

    Grant a = Grant.refreshToken(LOGIN, CLIENT_ID, CLIENT_SECRET, pair[0]);
    Grant b = Grant.refreshToken(LOGIN, CLIENT_ID, CLIENT_SECRET, pair[1]);

    assertThat(a.credentialKey()).isNotEqualTo(b.credentialKey());
    assertThat(a.withRefreshToken(Secret.of(ROTATED)).credentialKey()).isEqualTo(a.credentialKey());
  }

  @Test
  void aCredentialKeyIsAFullWidthDigestForEveryGrantType() throws Exception {
    List<Grant> grants = List.of(
        Grant.refreshToken(LOGIN, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN),
        Grant.jwtBearer(LOGIN, CLIENT_ID, USERNAME, RSA.getPrivate(), null),
        Grant.clientCredentials(MY_DOMAIN, CLIENT_ID, CLIENT_SECRET),
        Grant.password(LOGIN, CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD, null),
        Grant.soapLogin(LOGIN, USERNAME, PASSWORD, null, "67.0"));

    for (Grant grant : grants) {
      assertThat(grant.credentialKey()).matches("[a-z_]+:[0-9a-f]{64}");
    }
    // Consumer keys are case-sensitive: two apps differing only in case are two credentials.
    assertThat(Grant.clientCredentials(MY_DOMAIN, "AbC", CLIENT_SECRET).credentialKey())
        .isNotEqualTo(Grant.clientCredentials(MY_DOMAIN, "abc", CLIENT_SECRET).credentialKey());
  }

  /** Two refresh tokens whose 32-bit log fingerprints collide: a birthday search, about 2^16 tries. */
  static String[] collidingRefreshTokens() {
    Map<String, String> seen = new java.util.HashMap<>();
    for (int i = 0; ; i++) {
      String token = "5Aep861user" + i;
      String previous = seen.putIfAbsent(Secret.of(token).fingerprint(), token);
      if (previous != null) {
        return new String[] {previous, token};
      }
    }
  }

  @Test
  void aRotationKeepsTheCredentialKey() {
    RefreshTokenGrant grant = Grant.refreshToken(LOGIN, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN);

    Grant twiceRotated = grant.withRefreshToken(Secret.of(ROTATED)).withRefreshToken(Secret.of("5Aep861third"));

    assertThat(twiceRotated.credentialKey()).isEqualTo(grant.credentialKey());
  }

  // ---- validation at build ----

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t\n"})
  void aBlankClientIdIsRejectedWhenTheGrantIsBuilt(String clientId) {
    List<Runnable> builds = List.of(
        () -> Grant.refreshToken(LOGIN, clientId, CLIENT_SECRET, REFRESH_TOKEN),
        () -> Grant.jwtBearer(LOGIN, clientId, USERNAME, RSA.getPrivate(), null),
        () -> Grant.clientCredentials(MY_DOMAIN, clientId, CLIENT_SECRET),
        () -> Grant.password(LOGIN, clientId, CLIENT_SECRET, USERNAME, PASSWORD, null));

    for (Runnable build : builds) {
      assertThatThrownBy(build::run).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientId");
    }
  }

  @Test
  void aBlankUsernameIsRejectedWhenTheGrantIsBuilt() {
    assertThatThrownBy(() -> Grant.jwtBearer(LOGIN, CLIENT_ID, " ", RSA.getPrivate(), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("username");
    assertThatThrownBy(() -> Grant.password(LOGIN, CLIENT_ID, CLIENT_SECRET, "", PASSWORD, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("username");
    assertThatThrownBy(() -> Grant.soapLogin(LOGIN, "", PASSWORD, null, "67.0"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("username");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://login.salesforce.com", "login.salesforce.com", "/services/oauth2/token",
      "mailto:admin@acme.example", "file:///etc/passwd", "https://user:pw@login.salesforce.com", "https:///path"})
  void aLoginUrlThatIsNotAPlainHttpUrlIsRejectedWhenTheGrantIsBuilt(String url) {
    URI uri = URI.create(url);
    List<Runnable> builds = List.of(
        () -> Grant.refreshToken(uri, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN),
        () -> Grant.jwtBearer(uri, CLIENT_ID, USERNAME, RSA.getPrivate(), null),
        () -> Grant.password(uri, CLIENT_ID, CLIENT_SECRET, USERNAME, PASSWORD, null),
        () -> Grant.soapLogin(uri, USERNAME, PASSWORD, null, "67.0"));

    for (Runnable build : builds) {
      assertThatThrownBy(build::run).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loginUrl")
          .hasMessageNotContaining("pw@");
    }
    assertThatThrownBy(() -> Grant.clientCredentials(uri, CLIENT_ID, CLIENT_SECRET))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("myDomainUrl");
  }

  @Test
  void anEmptySecretIsRejectedWhenTheGrantIsBuilt() {
    assertThatThrownBy(() -> Grant.refreshToken(LOGIN, CLIENT_ID, CLIENT_SECRET, ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secret");
    assertThatThrownBy(() -> Grant.clientCredentials(MY_DOMAIN, CLIENT_ID, ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secret");
  }

  @Test
  void anHttpLoopbackLoginUrlIsAcceptedForAFakeOrg() {
    TokenRequest request = Grant.refreshToken(URI.create("http://127.0.0.1:8443"), CLIENT_ID, null, REFRESH_TOKEN)
        .request(CLOCK);

    assertThat(request.uri()).isEqualTo(URI.create("http://127.0.0.1:8443/services/oauth2/token"));
  }

  // ---- helpers ----

  private static void assertNoSecret(String text) {
    assertThat(text).doesNotContain(CLIENT_SECRET).doesNotContain(REFRESH_TOKEN).doesNotContain(ROTATED)
        .doesNotContain(PASSWORD).doesNotContain(SECURITY_TOKEN).doesNotContain("5Aep861TSESv");
  }

  /** No line of base64 from the PEM body (nor a 16-character piece of one) appears in the text. */
  private static void assertNoKeyMaterial(String text, String pem) {
    for (String line : pem.split("\\R")) {
      String trimmed = line.strip();
      if (trimmed.length() >= 16 && !trimmed.startsWith("-----")) {
        assertThat(text).doesNotContain(trimmed.substring(0, 16));
      }
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      assertThat(eq).as("form pair %s", pair).isPositive();
      String previous = fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      assertThat(previous).as("duplicate field in %s", pair).isNull();
    }
    return fields;
  }

  private static String decode(String base64url) {
    assertThat(base64url).doesNotContain("=").doesNotContain("+").doesNotContain("/");
    return new String(Base64.getUrlDecoder().decode(base64url), StandardCharsets.UTF_8);
  }

  private static JsonNode claims(TokenRequest request) {
    return JSON.readTree(decode(form(request.body()).get("assertion").split("\\.")[1]));
  }

  private static boolean verifies(PublicKey key, String signingInput, String signature)
      throws GeneralSecurityException {
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(key);
    verifier.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return verifier.verify(Base64.getUrlDecoder().decode(signature));
  }

  private static Document xml(String text) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String text(Document doc, String namespace, String localName) {
    assertThat(doc.getElementsByTagNameNS(namespace, localName).getLength()).as(localName).isEqualTo(1);
    return doc.getElementsByTagNameNS(namespace, localName).item(0).getTextContent();
  }

  private static KeyPair generateRsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static String pkcs8Pem(PrivateKey key) {
    assertThat(key.getFormat()).isEqualTo("PKCS#8");
    return pem("PRIVATE KEY", key.getEncoded());
  }

  /** The RSAPrivateKey (PKCS#1) inside the PrivateKeyInfo (PKCS#8) the JDK encodes. */
  private static String pkcs1Pem(PrivateKey key) {
    Der.Reader info = new Der.Reader(key.getEncoded()).enter(0x30);
    info.skip(0x02); // version
    info.skip(0x30); // algorithm
    return pem("RSA PRIVATE KEY", info.read(0x04));
  }

  /** A PKCS#12 keystore holding the test key under {@code alias}, with a self-signed certificate. */
  private static Path pkcs12(Path dir, String alias, char[] password) throws Exception {
    Certificate certificate = CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Der.selfSignedCertificate(RSA, "forceflux-test")));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(alias, RSA.getPrivate(), password, new Certificate[] {certificate});
    Path file = dir.resolve("jwt.p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password);
    }
    return file;
  }

  /** Just enough DER to read a PKCS#8 key and write a v1 self-signed X.509 certificate with the JDK alone. */
  static final class Der {
    private static final byte[] SHA256_WITH_RSA = {0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D,
        0x01, 0x01, 0x0B};
    private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};

    private Der() {}

    static byte[] selfSignedCertificate(KeyPair keys, String commonName) throws GeneralSecurityException {
      byte[] algorithm = tlv(0x30, SHA256_WITH_RSA, new byte[] {0x05, 0x00});
      byte[] name = tlv(0x30, tlv(0x31, tlv(0x30, COMMON_NAME,
          tlv(0x0C, commonName.getBytes(StandardCharsets.UTF_8)))));
      byte[] validity = tlv(0x30, tlv(0x17, "250101000000Z".getBytes(StandardCharsets.US_ASCII)),
          tlv(0x17, "491231235959Z".getBytes(StandardCharsets.US_ASCII)));
      byte[] tbs = tlv(0x30, tlv(0x02, new byte[] {0x01}), algorithm, name, validity, name,
          keys.getPublic().getEncoded());
      Signature signer = Signature.getInstance("SHA256withRSA");
      signer.initSign(keys.getPrivate());
      signer.update(tbs);
      byte[] signature = signer.sign();
      byte[] bits = new byte[signature.length + 1]; // leading 0: no unused bits
      System.arraycopy(signature, 0, bits, 1, signature.length);
      return tlv(0x30, tbs, algorithm, tlv(0x03, bits));
    }

    static byte[] tlv(int tag, byte[]... parts) {
      ByteArrayOutputStream content = new ByteArrayOutputStream();
      for (byte[] part : parts) {
        content.writeBytes(part);
      }
      int length = content.size();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(tag);
      if (length < 0x80) {
        out.write(length);
      } else if (length < 0x100) {
        out.write(0x81);
        out.write(length);
      } else if (length < 0x10000) {
        out.write(0x82);
        out.write(length >> 8);
        out.write(length & 0xFF);
      } else {
        out.write(0x83);
        out.write(length >> 16);
        out.write((length >> 8) & 0xFF);
        out.write(length & 0xFF);
      }
      out.writeBytes(content.toByteArray());
      return out.toByteArray();
    }

    /** Reads consecutive TLVs. */
    static final class Reader {
      private final byte[] der;
      private int pos;
      private final int end;

      Reader(byte[] der) {
        this(der, 0, der.length);
      }

      private Reader(byte[] der, int pos, int end) {
        this.der = der;
        this.pos = pos;
        this.end = end;
      }

      Reader enter(int tag) {
        int[] header = header(tag);
        Reader inner = new Reader(der, header[0], header[0] + header[1]);
        pos = header[0] + header[1];
        return inner;
      }

      void skip(int tag) {
        int[] header = header(tag);
        pos = header[0] + header[1];
      }

      byte[] read(int tag) {
        int[] header = header(tag);
        pos = header[0] + header[1];
        return Arrays.copyOfRange(der, header[0], header[0] + header[1]);
      }

      private int[] header(int tag) {
        assertThat(pos).isLessThan(end);
        assertThat(der[pos] & 0xFF).as("DER tag").isEqualTo(tag);
        int i = pos + 1;
        int length = der[i++] & 0xFF;
        if (length >= 0x80) {
          int bytes = length & 0x7F;
          length = 0;
          for (int b = 0; b < bytes; b++) {
            length = (length << 8) | (der[i++] & 0xFF);
          }
        }
        return new int[] {i, length};
      }
    }
  }
}
