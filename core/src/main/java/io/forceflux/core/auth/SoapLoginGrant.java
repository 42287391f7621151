package io.forceflux.core.auth;

import io.forceflux.core.internal.ApiVersions;
import io.forceflux.core.internal.Checks;
import io.forceflux.core.internal.Origins;
import io.forceflux.core.internal.Xml;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/** SOAP {@code login()} against the partner endpoint; the session id is a bearer token for REST. */
public final class SoapLoginGrant implements Grant {

  private final URI loginUrl;
  private final String username;
  private final Secret passwordAndToken;
  private final String apiVersion;

  SoapLoginGrant(URI loginUrl, String username, Secret passwordAndToken, String apiVersion) {
    this.loginUrl = Forms.checkHost(loginUrl, "loginUrl");
    this.username = Checks.requireText(username, "username");
    this.passwordAndToken = passwordAndToken;
    this.apiVersion = ApiVersions.requireValid(apiVersion);
  }

  @Override
  public GrantType type() {
    return GrantType.SOAP_LOGIN;
  }

  @Override
  public TokenRequest request(Clock clock) {
    String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
        + " xmlns:urn=\"urn:partner.soap.sforce.com\"><soapenv:Header/><soapenv:Body><urn:login>"
        + "<urn:username>" + Xml.escape(username) + "</urn:username>"
        + "<urn:password>" + Xml.escape(passwordAndToken.reveal()) + "</urn:password>"
        + "</urn:login></soapenv:Body></soapenv:Envelope>";
    return new TokenRequest(
        Forms.resolve(loginUrl, "/services/Soap/u/" + apiVersion),
        "text/xml; charset=UTF-8",
        Map.of("SOAPAction", "login"),
        body);
  }

  @Override
  public String credentialKey() {
    return Fingerprints.key("soap", Origins.origin(loginUrl).toString(), Forms.username(username));
  }

  @Override
  public String toString() {
    return "SoapLoginGrant[" + loginUrl + ", username=" + username + ", v" + apiVersion + "]";
  }
}
