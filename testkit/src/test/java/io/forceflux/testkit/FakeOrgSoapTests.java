package io.forceflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

class FakeOrgSoapTests extends ClockedOrgTests {

  private static final String INVALID_LOGIN = "soap-fault-500-invalid-login-enterprise.xml";
  private static final String INVALID_SESSION = "soap-fault-500-invalid-session-id-after-logout-enterprise.xml";

  private FakeOrg start(UnaryOperator<FakeOrg.Builder> options) {
    return startOrg(b -> options.apply(b.accounts(10)));
  }

  private String soapUrl(String kind) {
    return org.loginUrl() + "/services/Soap/" + kind + "/67.0";
  }

  private Http.Response login(String kind, String username, String password) {
    return Http.soap(soapUrl(kind), "<soapenv:Envelope "
        + "xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        + "xmlns:urn=\"urn:partner.soap.sforce.com\"><soapenv:Header/><soapenv:Body><urn:login>"
        + "<urn:username>" + username + "</urn:username><urn:password>" + password + "</urn:password>"
        + "</urn:login></soapenv:Body></soapenv:Envelope>");
  }

  private Http.Response call(String operation, String sessionId) {
    return Http.soap(soapUrl("u"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope "
        + "xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        + "xmlns:urn=\"urn:partner.soap.sforce.com\">"
        + "<soapenv:Header><urn:SessionHeader><urn:sessionId>" + sessionId + "</urn:sessionId>"
        + "</urn:SessionHeader></soapenv:Header><soapenv:Body><urn:" + operation + "/></soapenv:Body>"
        + "</soapenv:Envelope>");
  }

  private static List<String> childNames(Element parent) {
    List<String> names = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        names.add(e.getLocalName());
      }
    }
    return names;
  }

  private static Element first(Document doc, String localName) {
    return (Element) doc.getElementsByTagNameNS("*", localName).item(0);
  }

  @Test
  void loginAnswersWithTheRecordedEnvelopeShapeAndAUsableSession() {
    start(b -> b);
    Credentials c = org.credentials();

    Http.Response response = login("c", c.username(), c.passwordWithSecurityToken());

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("text/xml");
    Document ours = Fixtures.xml(response.body());
    Document recorded = Fixtures.xml(Fixtures.text("soap-login-200-success-enterprise.xml"));
    assertThat(childNames(first(ours, "result"))).isEqualTo(childNames(first(recorded, "result")));
    assertThat(childNames(first(ours, "userInfo"))).isEqualTo(childNames(first(recorded, "userInfo")));
    assertThat(ours.getDocumentElement().getNamespaceURI())
        .isEqualTo(recorded.getDocumentElement().getNamespaceURI());
    assertThat(first(ours, "loginResponse").getNamespaceURI()).isEqualTo("urn:enterprise.soap.sforce.com");
    String sessionId = Fixtures.xmlText(response.body(), "sessionId");
    assertThat(Fixtures.xmlText(response.body(), "serverUrl"))
        .isEqualTo(org.instanceUrl() + "/services/Soap/c/67.0/" + org.orgId().substring(0, 15));
    assertThat(Fixtures.xmlText(response.body(), "sessionSecondsValid")).isEqualTo("7200");
    assertThat(Fixtures.xmlText(response.body(), "passwordExpired")).isEqualTo("false");
    assertThat(Fixtures.xmlText(response.body(), "sandbox")).isEqualTo("false");
    assertThat(Fixtures.xmlText(response.body(), "userId")).isEqualTo(org.userId());
    assertThat(Http.get(org.instanceUrl() + "/services/data/v67.0/limits", sessionId).status())
        .as("a SOAP session id is a REST bearer token").isEqualTo(200);
    assertThat(org.stats().soapLogins()).isEqualTo(1);
  }

  @Test
  void aBadPasswordGetsTheRecordedInvalidLoginFaultByteForByte() {
    start(b -> b);
    Credentials c = org.credentials();

    Http.Response wrong = login("c", c.username(), c.password());

    assertThat(wrong.status()).isEqualTo(500);
    assertThat(wrong.body()).isEqualTo(Fixtures.text(INVALID_LOGIN));
    Http.Response partner = login("u", "nobody@example.com", "x");
    assertThat(Fixtures.xmlText(partner.body(), "faultcode"))
        .isEqualTo(Fixtures.xmlText(Fixtures.text(INVALID_LOGIN), "faultcode"));
    assertThat(Fixtures.xmlText(partner.body(), "faultstring"))
        .isEqualTo(Fixtures.xmlText(Fixtures.text(INVALID_LOGIN), "faultstring"));
  }

  @Test
  void inactiveOrRestrictedUsersCannotLogIn() {
    start(b -> b);
    Credentials c = org.credentials();
    org.userActive(false);
    assertThat(login("u", c.username(), c.passwordWithSecurityToken()).status()).isEqualTo(500);
    org.userActive(true);
    org.ipRestricted(true);
    assertThat(login("u", c.username(), c.passwordWithSecurityToken()).status()).isEqualTo(500);
    org.ipRestricted(false);
    assertThat(login("u", c.username(), c.passwordWithSecurityToken()).status()).isEqualTo(200);
  }

  @Test
  void afterLogoutTheSessionGetsTheRecordedInvalidSessionFault() {
    start(b -> b);
    Credentials c = org.credentials();
    String sessionId = Fixtures.xmlText(login("u", c.username(), c.passwordWithSecurityToken()).body(),
        "sessionId");

    Http.Response logout = call("logout", sessionId);
    Http.Response after = call("getUserInfo", sessionId);

    assertThat(logout.status()).isEqualTo(200);
    assertThat(logout.body()).contains("<logoutResponse/>");
    assertThat(after.status()).isEqualTo(500);
    String recorded = Fixtures.text(INVALID_SESSION);
    assertThat(Fixtures.xmlText(after.body(), "faultcode")).isEqualTo(Fixtures.xmlText(recorded, "faultcode"));
    assertThat(maskHash(Fixtures.xmlText(after.body(), "faultstring")))
        .isEqualTo(maskHash(Fixtures.xmlText(recorded, "faultstring")));
    assertThat(maskHash(Fixtures.xmlText(after.body(), "exceptionMessage")))
        .isEqualTo(maskHash(Fixtures.xmlText(recorded, "exceptionMessage")));
    assertThat(Fixtures.xmlText(after.body(), "exceptionCode")).isEqualTo("INVALID_SESSION_ID");
    assertThat(Http.get(org.instanceUrl() + "/services/data/v67.0/limits", sessionId).status()).isEqualTo(401);
  }

  private static String maskHash(String text) {
    return text.replaceAll("session hash: \\S+", "session hash: <hash>");
  }

  @Test
  void getUserInfoWorksWithAnOAuthSessionAndFailsOnceItTimesOut() {
    start(b -> b.sessionTimeout(Duration.ofMinutes(30)));
    String token = OAuth.accessToken(org);
    clock.advance(Duration.ofMinutes(10));

    Http.Response info = call("getUserInfo", token);

    assertThat(info.status()).isEqualTo(200);
    assertThat(Fixtures.xmlText(info.body(), "userName")).isEqualTo(org.credentials().username());
    assertThat(Fixtures.xmlText(info.body(), "organizationId")).isEqualTo(org.orgId());
    assertThat(Fixtures.xmlText(info.body(), "sessionSecondsValid")).isEqualTo("1800");
    clock.advance(Duration.ofMinutes(30));
    Http.Response expired = call("getUserInfo", token);
    assertThat(expired.status()).isEqualTo(500);
    assertThat(Fixtures.xmlText(expired.body(), "faultcode")).isEqualTo("sf:INVALID_SESSION_ID");
  }

  @Test
  void soapLoginsCountTowardTheLoginRate() {
    start(b -> b.loginsPerHour(2));
    Credentials c = org.credentials();
    assertThat(login("u", c.username(), c.passwordWithSecurityToken()).status()).isEqualTo(200);
    assertThat(OAuth.refresh(org, c.refreshToken()).status()).isEqualTo(200);

    Http.Response refused = OAuth.refresh(org, c.refreshToken());
    Http.Response soapRefused = login("u", c.username(), c.passwordWithSecurityToken());

    assertThat(refused.json()).isEqualTo(Fixtures.json("oauth-token-400-invalid-grant-login-rate-exceeded.json"));
    assertThat(soapRefused.status()).isEqualTo(500);
    assertThat(Fixtures.xmlText(soapRefused.body(), "faultcode")).isEqualTo("LOGIN_RATE_EXCEEDED");
  }

  @Test
  void externalEntitiesAreNeverResolved() {
    start(b -> b);
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
        + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body>"
        + "<login><username>&xxe;</username><password>x</password></login></soapenv:Body>"
        + "</soapenv:Envelope>";

    Http.Response response = Http.soap(soapUrl("u"), xxe);

    assertThat(response.status()).isEqualTo(500);
    assertThat(Fixtures.xmlText(response.body(), "faultcode")).isEqualTo("soapenv:Client");
    assertThat(response.body()).doesNotContain("root:");
  }

  @Test
  void anUnknownOperationWithALiveSessionIsAClientFault() {
    start(b -> b);
    String token = OAuth.accessToken(org);

    Http.Response response = call("describeEverything", token);

    assertThat(response.status()).isEqualTo(500);
    assertThat(Fixtures.xmlText(response.body(), "faultstring")).contains("describeEverything");
  }
}
