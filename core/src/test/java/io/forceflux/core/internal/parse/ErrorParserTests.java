package io.forceflux.core.internal.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.forceflux.core.Fixtures;
import io.forceflux.core.error.ErrorFormat;
import io.forceflux.core.error.SalesforceError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorParserTests {
  private static final String SESSION_ID = "00D5g000004ABCD!AQ8AQJ.x_verylongtokenvalue123";
  private static final String REFRESH_TOKEN = "5Aep861abc";
  private static final String MAINTENANCE_PAGE = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
      + "<title>Salesforce - Down for Maintenance</title></head>"
      + "<body><h1>We are down for maintenance</h1><p>Please try again later.</p></body></html>";

  /** What each recorded error fixture must parse to. */
  record Expected(int status, ErrorFormat format, String errorCode, String message) {}

  private static final List<Arguments> RECORDED_ERRORS = List.of(
      recorded("oauth-token-400-invalid-client-id.json",
          400, ErrorFormat.OAUTH, "invalid_client_id", "client identifier invalid"),
      recorded("oauth-token-400-invalid-grant-audience-validation-failed.http",
          400, ErrorFormat.OAUTH, "invalid_grant", "Audience validation failed"),
      recorded("oauth-token-400-invalid-grant-authentication-failure-invalid-password.json",
          400, ErrorFormat.OAUTH, "invalid_grant", "authentication failure - Invalid Password"),
      recorded("oauth-token-400-invalid-grant-authentication-failure.json",
          400, ErrorFormat.OAUTH, "invalid_grant", "authentication failure"),
      recorded("oauth-token-400-invalid-grant-expired-authorization-code-concurrent-legacy.http",
          400, ErrorFormat.OAUTH, "invalid_grant", "expired authorization code"),
      recorded("oauth-token-400-invalid-grant-expired-refresh-token.json",
          400, ErrorFormat.OAUTH, "invalid_grant", "expired access/refresh token"),
      recorded("oauth-token-400-invalid-grant-login-rate-exceeded.json",
          400, ErrorFormat.OAUTH, "invalid_grant", "login rate exceeded"),
      recorded("oauth-token-400-invalid-grant-request-not-supported-on-this-domain.json",
          400, ErrorFormat.OAUTH, "invalid_grant", "request not supported on this domain"),
      recorded("oauth-token-400-invalid-grant-token-request-already-processed.http",
          400, ErrorFormat.OAUTH, "invalid_grant", "token request is already being processed"),
      recorded("oauth-token-400-invalid-grant-user-not-approved.json",
          400, ErrorFormat.OAUTH, "invalid_grant", "user hasn't approved this consumer"),
      recorded("oauth-token-400-unsupported-grant-type.json",
          400, ErrorFormat.OAUTH, "unsupported_grant_type", "grant type not supported"),
      recorded("rest-400-invalid-field.json",
          400, ErrorFormat.REST_JSON, "INVALID_FIELD", "No such column 'foo' on sobject of type Bar"),
      recorded("rest-401-invalid-auth-header-jwt-format-with-headers.http",
          401, ErrorFormat.REST_JSON, "INVALID_AUTH_HEADER", "INVALID_JWT_FORMAT"),
      recorded("rest-401-invalid-session-id-not-valid-for-rest-api-with-headers.http",
          401, ErrorFormat.REST_JSON, "INVALID_SESSION_ID", "This session is not valid for use with the REST API"),
      recorded("rest-401-invalid-session-id-post-with-headers.http",
          401, ErrorFormat.REST_JSON, "INVALID_SESSION_ID", "Session expired or invalid"),
      recorded("rest-401-invalid-session-id.json",
          401, ErrorFormat.REST_JSON, "INVALID_SESSION_ID", "Session expired or invalid"),
      recorded("rest-403-request-limit-exceeded.json",
          403, ErrorFormat.REST_JSON, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."),
      recorded("soap-fault-500-invalid-login-enterprise.xml",
          500, ErrorFormat.SOAP_FAULT, "INVALID_LOGIN",
          "INVALID_LOGIN: Invalid username, password, security token; or user locked out."),
      recorded("soap-fault-500-invalid-session-id-after-logout-enterprise.xml",
          500, ErrorFormat.SOAP_FAULT, "INVALID_SESSION_ID",
          "INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session. Session not found, "
              + "missing session hash: yNHBjIbNE79KEGtRRO+Qa/QH3oWryUWoKU2afYoBC0A=\n"
              + "This error usually occurs after a session expires or a user logs out."),
      recorded("soap-fault-invalid-session-id-partner-cumulusci.xml",
          500, ErrorFormat.SOAP_FAULT, "INVALID_SESSION_ID",
          "INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session"));

  private static Arguments recorded(String file, int status, ErrorFormat format, String code, String message) {
    return Arguments.of(Named.of(file, file), new Expected(status, format, code, message));
  }

  static Stream<Arguments> recordedErrors() {
    return RECORDED_ERRORS.stream();
  }

  private static boolean isErrorFixture(String name) {
    return name.contains("-400-") || name.contains("-401-") || name.contains("-403-") || name.startsWith("soap-fault-");
  }

  private static SalesforceError parse(int status, String contentType, String body) {
    return ErrorParser.parse(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  // ---- recorded fixtures ----

  @Test
  void expectsAResultForEveryRecordedErrorFixture() {
    List<String> covered = RECORDED_ERRORS.stream().map(a -> ((Named<?>) a.get()[0]).getName()).sorted().toList();

    assertThat(covered).isEqualTo(Fixtures.names().stream().filter(ErrorParserTests::isErrorFixture).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordedErrors")
  void parsesEveryRecordedErrorToItsFormatCodeAndMessage(String file, Expected expected) {
    Fixtures.Recorded r = Fixtures.load(file);

    SalesforceError error = ErrorParser.parse(r.status(), r.contentType(), r.body());

    assertThat(error.status()).isEqualTo(expected.status());
    assertThat(error.format()).isEqualTo(expected.format());
    assertThat(error.errorCode()).isEqualTo(expected.errorCode());
    assertThat(error.message()).isEqualTo(expected.message());
    assertThat(error.isInvalidSession()).isEqualTo(expected.errorCode().equals("INVALID_SESSION_ID"));
    assertThat(error.snippet()).isNotBlank().hasSizeLessThanOrEqualTo(ErrorParser.SNIPPET_LENGTH + 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordedErrors")
  void parsesEveryRecordedErrorTheSameWithoutAContentType(String file, Expected expected) {
    Fixtures.Recorded r = Fixtures.load(file);

    SalesforceError error = ErrorParser.parse(r.status(), null, r.body());

    assertThat(error.format()).isEqualTo(expected.format());
    assertThat(error.errorCode()).isEqualTo(expected.errorCode());
  }

  @Test
  void keepsTheFieldsOfARestError() {
    SalesforceError error = parse(400, "application/json",
        "[{\"message\":\"bad\",\"errorCode\":\"INVALID_FIELD\",\"fields\":[\"Name\",\"Phone\"]},"
            + "{\"message\":\"second\",\"errorCode\":\"OTHER\"}]");

    assertThat(error.errorCode()).isEqualTo("INVALID_FIELD");
    assertThat(error.message()).isEqualTo("bad");
    assertThat(error.fields()).containsExactly("Name", "Phone");
  }

  @Test
  void readsASingleRestErrorObjectAsWellAsAnArray() {
    SalesforceError error = parse(401, null, "{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}");

    assertThat(error.format()).isEqualTo(ErrorFormat.REST_JSON);
    assertThat(error.isInvalidSession()).isTrue();
  }

  // ---- other Salesforce formats ----

  @Test
  void readsABulkApiErrorAsBulkXmlAndAnInvalidSession() {
    SalesforceError error = parse(400, "application/xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><error xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\">"
            + "<exceptionCode>InvalidSessionId</exceptionCode><exceptionMessage>Invalid session id</exceptionMessage>"
            + "</error>");

    assertThat(error.status()).isEqualTo(400);
    assertThat(error.format()).isEqualTo(ErrorFormat.BULK_XML);
    assertThat(error.errorCode()).isEqualTo("InvalidSessionId");
    assertThat(error.message()).isEqualTo("Invalid session id");
    assertThat(error.isInvalidSession()).isTrue();
  }

  @Test
  void readsARestXmlErrorAsRestXml() {
    SalesforceError error = parse(401, "application/xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Errors><Error><errorCode>INVALID_SESSION_ID</errorCode>"
            + "<message>Session expired or invalid</message></Error></Errors>");

    assertThat(error.format()).isEqualTo(ErrorFormat.REST_XML);
    assertThat(error.errorCode()).isEqualTo("INVALID_SESSION_ID");
    assertThat(error.message()).isEqualTo("Session expired or invalid");
    assertThat(error.isInvalidSession()).isTrue();
  }

  // ---- hostile and odd inputs ----

  @Test
  void readsAnEmptyBodyAsEmptyWithTheStatusAsCode() {
    SalesforceError error = ErrorParser.parse(503, null, new byte[0]);

    assertThat(error.format()).isEqualTo(ErrorFormat.EMPTY);
    assertThat(error.errorCode()).isEqualTo("HTTP_503");
    assertThat(error.snippet()).isEmpty();
    assertThat(error.isInvalidSession()).isFalse();
  }

  @Test
  void readsAWhitespaceBodyAsEmpty() {
    SalesforceError error = parse(401, "application/json", " \r\n\t  \n");

    assertThat(error.format()).isEqualTo(ErrorFormat.EMPTY);
    assertThat(error.errorCode()).isEqualTo("HTTP_401");
  }

  @Test
  void readsAMaintenancePageAsHtmlAndNamesItsTitle() {
    SalesforceError error = parse(503, "text/html; charset=UTF-8", MAINTENANCE_PAGE);

    assertThat(error.format()).isEqualTo(ErrorFormat.HTML);
    assertThat(error.errorCode()).isEqualTo("HTTP_503");
    assertThat(error.message()).contains("Salesforce - Down for Maintenance");
    assertThat(error.snippet()).startsWith("<!DOCTYPE html>");
  }

  @Test
  void recognisesAMaintenancePageWithoutAnHtmlContentType() {
    for (String contentType : new String[] {null, "application/json;charset=UTF-8", "text/xml"}) {
      SalesforceError error = parse(503, contentType, MAINTENANCE_PAGE);

      assertThat(error.format()).as("content type %s", contentType).isEqualTo(ErrorFormat.HTML);
      assertThat(error.message()).as("content type %s", contentType).contains("Salesforce - Down for Maintenance");
    }
  }

  @Test
  void readsAnHtmlPageFromACdnThatStartsWithoutADoctype() {
    SalesforceError error = parse(503, null,
        "<HTML><HEAD>\n<TITLE>Service Not Available</TITLE>\n</HEAD><BODY>This error originated from Salesforce "
            + "CDN partner<BR></BODY></HTML>");

    assertThat(error.format()).isEqualTo(ErrorFormat.HTML);
    assertThat(error.message()).contains("Service Not Available");
  }

  @Test
  void readsAPlainTextBodyWithAnHtmlContentTypeAsHtml() {
    SalesforceError error = parse(502, "text/html", "Bad Gateway");

    assertThat(error.format()).isEqualTo(ErrorFormat.HTML);
    assertThat(error.snippet()).isEqualTo("Bad Gateway");
  }

  @Test
  void readsAnHtmlPageServedWithStatus200AsHtml() {
    SalesforceError error = parse(200, "text/html", "<html><head><title>Sign in</title></head><body/></html>");

    assertThat(error.status()).isEqualTo(200);
    assertThat(error.format()).isEqualTo(ErrorFormat.HTML);
    assertThat(error.message()).contains("Sign in");
  }

  @Test
  void readsTruncatedJsonAsUnparseableWithItsBeginningAsSnippet() {
    SalesforceError error = parse(401, "application/json", "[{\"message\":\"Session expired or inv");

    assertThat(error.format()).isEqualTo(ErrorFormat.UNPARSEABLE);
    assertThat(error.errorCode()).isEqualTo("HTTP_401");
    assertThat(error.isInvalidSession()).isFalse();
    assertThat(error.snippet()).isEqualTo("[{\"message\":\"Session expired or inv");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"Session expired\"", "42", "-1.5e300", "null", "true", "[]", "{}", "[null]", "[42]",
      "[[{\"errorCode\":\"X\"}]]", "{\"errorCode\":null,\"error\":null}", "{\"unexpected\":\"shape\"}"})
  void readsJsonOfAnotherShapeAsUnparseable(String body) {
    SalesforceError error = parse(400, "application/json", body);

    assertThat(error.format()).isEqualTo(ErrorFormat.UNPARSEABLE);
    assertThat(error.errorCode()).isEqualTo("HTTP_400");
    assertThat(error.snippet()).isEqualTo(body);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[{\"errorCode\":{\"nested\":1},\"message\":\"m\"}]",
      "[{\"errorCode\":\"X\",\"message\":[\"a\",\"b\"],\"fields\":{\"a\":1}}]",
      "{\"error\":[1],\"error_description\":{\"x\":null}}", "[{\"errorCode\":\"X\",\"fields\":[null,{},[]]}]"})
  void survivesJsonWhoseFieldsHaveTheWrongTypes(String body) {
    assertThatCode(() -> parse(400, "application/json", body)).doesNotThrowAnyException();
    assertThat(parse(400, "application/json", body).errorCode()).isNotNull();
  }

  @Test
  void survivesAHundredThousandNestedArrays() {
    SalesforceError error = parse(400, "application/json", "[".repeat(100_000));

    assertThat(error.format()).isEqualTo(ErrorFormat.UNPARSEABLE);
    assertThat(error.snippet()).hasSize(ErrorParser.SNIPPET_LENGTH + 1).endsWith("…");
  }

  @Test
  void survivesAHundredThousandNestedArraysThatAreClosed() {
    SalesforceError error = parse(400, null, "[".repeat(100_000) + "]".repeat(100_000));

    assertThat(error.format()).isEqualTo(ErrorFormat.UNPARSEABLE);
  }

  @Test
  void survivesDeeplyNestedXml() {
    SalesforceError error = parse(500, "text/xml", "<a>".repeat(100_000) + "</a>".repeat(100_000));

    assertThat(error.format()).isEqualTo(ErrorFormat.UNPARSEABLE);
  }

  @Test
  void decodesInvalidUtf8LossilyInsteadOfFailing() {
    byte[] body = {'[', '{', '"', 'm', 'e', 's', 's', 'a', 'g', 'e', '"', ':', '"', 'c', 'a', 'f', (byte) 0xC3, ' ',
        (byte) 0xFF, (byte) 0xFE, '"', ',', '"', 'e', 'r', 'r', 'o', 'r', 'C', 'o', 'd', 'e', '"', ':', '"', 'X', '"',
        '}', ']'};

    SalesforceError error = ErrorParser.parse(400, "application/json", body);

    assertThat(error.format()).isEqualTo(ErrorFormat.REST_JSON);
    assertThat(error.errorCode()).isEqualTo("X");
    assertThat(error.message()).startsWith("caf").contains("\uFFFD");
  }

  @Test
  void readsBytesThatAreNotUtf8AtAllAsUnparseable() {
    SalesforceError error = ErrorParser.parse(500, null, new byte[] {(byte) 0xC3, 0x28, (byte) 0xA0, (byte) 0xA1,
        (byte) 0xE2, 0x28, (byte) 0xA1, (byte) 0xF0, (byte) 0x90, 0x28, (byte) 0xBC, (byte) 0xFF});

    assertThat(error.format()).isEqualTo(ErrorFormat.UNPARSEABLE);
    assertThat(error.errorCode()).isEqualTo("HTTP_500");
  }

  @Test
  void readsBinaryGarbageAsUnparseableWithAPrintableOneLineSnippet() {
    byte[] garbage = new byte[64 * 1024];
    new Random(20240601L).nextBytes(garbage);
    garbage[0] = 0x1F; // not '<', '[' or '{': a gzip-like start

    SalesforceError error = ErrorParser.parse(500, "application/octet-stream", garbage);

    assertThat(error.format()).isEqualTo(ErrorFormat.UNPARSEABLE);
    assertThat(error.snippet()).hasSizeLessThanOrEqualTo(ErrorParser.SNIPPET_LENGTH + 1);
    assertThat(error.snippet().chars().filter(Character::isISOControl).count()).isZero();
  }

  @Test
  void readsXmlGarbageAfterAnAngleBracketAsUnparseable() {
    SalesforceError error = parse(500, "text/xml", "<soapenv:Envelope><soapenv:Body><faultcode>sf:INVALID");

    assertThat(error.format()).isEqualTo(ErrorFormat.UNPARSEABLE);
    assertThat(error.isInvalidSession()).isFalse();
  }

  static Stream<Arguments> fiveMegabyteBodies() {
    int size = 5 * 1024 * 1024;
    return Stream.of(
        body("plain text", () -> "a".repeat(size)),
        body("a REST error with a huge message",
            () -> "[{\"message\":\"" + "x".repeat(size) + "\",\"errorCode\":\"INVALID_FIELD\"}]"),
        body("a run of JWT-like prefixes", () -> "eyJ".repeat(size / 3)),
        body("a run of session-id-like prefixes", () -> "00D".repeat(size / 3)),
        body("a run of secret-looking keys", () -> "password=\"".repeat(size / 10)),
        body("an unterminated private key", () -> "-----BEGIN PRIVATE KEY-----\n" + "A".repeat(size)),
        body("an HTML page", () -> "<html><head><title>" + "t".repeat(size) + "</title></head></html>"),
        body("an XML document", () -> "<Errors>" + "<Error><errorCode>X</errorCode></Error>".repeat(size / 40)
            + "</Errors>"));
  }

  private static Arguments body(String name, Supplier<String> body) {
    return Arguments.of(Named.of(name, body));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fiveMegabyteBodies")
  void parsesAFiveMegabyteBodyQuicklyWithABoundedSnippet(Supplier<String> body) {
    byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
    assertThat(bytes.length).isGreaterThanOrEqualTo(5_000_000);

    SalesforceError error = assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> ErrorParser.parse(400, null, bytes));

    assertThat(error.snippet()).hasSizeLessThanOrEqualTo(ErrorParser.SNIPPET_LENGTH + 1);
  }

  // ---- XML attacks ----

  @Test
  void neverResolvesAnExternalEntity(@TempDir Path dir) throws IOException {
    String marker = "XXE-MARKER-7f3a9c";
    Path secret = Files.writeString(dir.resolve("secret.txt"), marker);
    String body = "<?xml version=\"1.0\"?>\n<!DOCTYPE Errors [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
        + "<Errors><Error><errorCode>&xxe;</errorCode><message>&xxe;</message></Error></Errors>";

    SalesforceError error = parse(400, "application/xml", body);

    assertThat(error.toString()).doesNotContain(marker);
    assertThat(error.errorCode() + error.message() + error.snippet() + error.fields()).doesNotContain(marker);
  }

  @Test
  void neverResolvesAnExternalEntityPointingAtEtcHostname() throws IOException {
    Path hostname = Path.of("/etc/hostname");
    assumeTrue(Files.isReadable(hostname), "no /etc/hostname here");
    String content = Files.readString(hostname).strip();
    // Brackets around the entity make even a two-letter hostname recognisable if it were expanded.
    String body = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]>"
        + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
        + "<soapenv:Fault><faultcode>[&xxe;]</faultcode><faultstring>[&xxe;]</faultstring></soapenv:Fault>"
        + "</soapenv:Body></soapenv:Envelope>";
    String expanded = "[" + content + "]";
    assumeTrue(!content.isEmpty() && !body.contains(expanded), "hostname cannot be told apart");

    SalesforceError error = parse(500, "text/xml", body);

    assertThat(error.errorCode() + error.message() + error.snippet()).doesNotContain(expanded);
  }

  @Test
  void neverExpandsAnEntityBomb() {
    StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol0 \"lol\">");
    for (int i = 1; i < 10; i++) {
      dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
    }
    String body = dtd + "]><Errors><Error><errorCode>X</errorCode><message>&lol9;</message></Error></Errors>";

    SalesforceError error = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> parse(400, "text/xml", body));

    assertThat(error.message()).doesNotContain("lollollol");
  }

  // ---- secrets ----

  @Test
  void keepsAnAccessTokenOutOfMessageAndSnippet() {
    SalesforceError error = parse(401, "application/json",
        "[{\"message\":\"Session " + SESSION_ID + " expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]");

    assertThat(error.errorCode()).isEqualTo("INVALID_SESSION_ID");
    assertThat(error.message()).doesNotContain(SESSION_ID).doesNotContain("verylongtokenvalue").contains("expired");
    assertThat(error.snippet()).doesNotContain(SESSION_ID).doesNotContain("verylongtokenvalue");
  }

  @Test
  void keepsARefreshTokenOutOfAnOauthSnippet() {
    SalesforceError error = parse(400, "application/json",
        "{\"error\":\"invalid_grant\",\"error_description\":\"expired access/refresh token\","
            + "\"refresh_token\":\"" + REFRESH_TOKEN + "\",\"access_token\":\"" + SESSION_ID + "\"}");

    assertThat(error.format()).isEqualTo(ErrorFormat.OAUTH);
    assertThat(error.message() + error.snippet()).doesNotContain(REFRESH_TOKEN).doesNotContain(SESSION_ID);
  }

  @Test
  void keepsASecretQuotedInsideAnErrorMessageOutOfMessageAndSnippet() {
    SalesforceError error = parse(400, "application/json",
        "[{\"message\":\"cannot read {\\\"refresh_token\\\":\\\"" + REFRESH_TOKEN + "\\\",\\\"access_token\\\":\\\""
            + SESSION_ID + "\\\"}\",\"errorCode\":\"JSON_PARSER_ERROR\"}]");

    assertThat(error.errorCode()).isEqualTo("JSON_PARSER_ERROR");
    assertThat(error.message()).doesNotContain(REFRESH_TOKEN).doesNotContain(SESSION_ID);
    assertThat(error.snippet()).doesNotContain(REFRESH_TOKEN).doesNotContain(SESSION_ID);
  }

  @Test
  void keepsSecretsOutOfTheSnippetOfAnUnparseableBody() {
    SalesforceError error = parse(502, "text/plain",
        "upstream said: Authorization: Bearer " + SESSION_ID + " &refresh_token=" + REFRESH_TOKEN + "&x=1");

    assertThat(error.format()).isEqualTo(ErrorFormat.UNPARSEABLE);
    assertThat(error.snippet()).doesNotContain(SESSION_ID).doesNotContain(REFRESH_TOKEN).contains("upstream said");
  }

  @Test
  void keepsASessionIdOutOfASoapFaultAndAnHtmlTitle() {
    SalesforceError soap = parse(500, "text/xml",
        "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><soapenv:Fault>"
            + "<faultcode>sf:INVALID_SESSION_ID</faultcode><faultstring>INVALID_SESSION_ID: " + SESSION_ID
            + "</faultstring><detail><sessionId>" + SESSION_ID + "</sessionId></detail></soapenv:Fault></soapenv:Body>"
            + "</soapenv:Envelope>");
    SalesforceError html = parse(503, "text/html", "<html><title>token=" + REFRESH_TOKEN + " " + SESSION_ID
        + "</title></html>");

    assertThat(soap.errorCode()).isEqualTo("INVALID_SESSION_ID");
    assertThat(soap.message() + soap.snippet()).doesNotContain(SESSION_ID);
    assertThat(html.format()).isEqualTo(ErrorFormat.HTML);
    assertThat(html.message() + html.snippet()).doesNotContain(SESSION_ID).doesNotContain(REFRESH_TOKEN);
  }

  @Test
  void redactsATokenNearTheSnippetBoundaryBeforeCuttingIt() {
    String body = "x".repeat(ErrorParser.SNIPPET_LENGTH - 20) + " " + SESSION_ID + " tail";

    SalesforceError error = parse(500, "text/plain", body);

    assertThat(error.snippet()).doesNotContain("00D5g000004ABCD!").doesNotContain("AQ8AQJ");
  }
}
