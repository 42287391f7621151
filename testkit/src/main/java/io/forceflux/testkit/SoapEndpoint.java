package io.forceflux.testkit;

import io.forceflux.testkit.AuthState.Session;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/** {@code /services/Soap/u/NN.N} (partner) and {@code /services/Soap/c/NN.N} (enterprise). */
final class SoapEndpoint {

  private static final String ENVELOPE_NS = "http://schemas.xmlsoap.org/soap/envelope/";
  private static final String XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
  /** Hardened against XXE: no DOCTYPE at all, no external entities or DTDs, no XInclude. */
  private static final DocumentBuilderFactory FACTORY = hardenedFactory();
  private static final String INVALID_LOGIN_MESSAGE =
      "Invalid username, password, security token; or user locked out.";

  private final OrgOrigins origins;
  private final AuthState auth;
  private final ApiAllowance allowance;
  private final Counters counters;

  SoapEndpoint(OrgOrigins origins, AuthState auth, ApiAllowance allowance, Counters counters) {
    this.origins = origins;
    this.auth = auth;
    this.allowance = allowance;
    this.counters = counters;
  }

  Reply handle(Request r) {
    List<String> segments = r.segments();
    if (segments.size() < 5 || !(segments.get(3).equals("u") || segments.get(3).equals("c"))
        || !segments.get(4).matches("\\d{2,3}\\.0")) {
      return RestBodies.notFound();
    }
    boolean enterprise = segments.get(3).equals("c");
    String version = segments.get(4);
    if (!r.method.equals("POST")) {
      return clientFault(enterprise, "Only POST is supported");
    }
    Element operation = operation(r.body);
    if (operation == null) {
      return clientFault(enterprise, "Unable to parse the request envelope");
    }
    if ("login".equals(operation.getLocalName())) {
      return login(operation, enterprise, segments.get(3), version).markExecuted();
    }
    String sessionId = sessionId(operation.getOwnerDocument());
    Session session = auth.ipRestricted() || sessionId == null ? null : auth.authenticate(sessionId);
    if (session == null) {
      return invalidSession(enterprise, sessionId == null ? "" : sessionId);
    }
    if (allowance.tryCall() < 0) {
      return fault(enterprise, "sf:REQUEST_LIMIT_EXCEEDED", "REQUEST_LIMIT_EXCEEDED",
          "TotalRequests Limit exceeded.", "UnexpectedErrorFault");
    }
    counters.requestsExecuted.increment();
    String ns = enterprise ? "urn:enterprise.soap.sforce.com" : "urn:partner.soap.sforce.com";
    return switch (String.valueOf(operation.getLocalName())) {
      case "logout" -> {
        auth.expireSession(session.token);
        yield Reply.xml(200, envelope(ns, "<logoutResponse/>")).markExecuted();
      }
      case "getUserInfo" -> Reply.xml(200, envelope(ns, "<getUserInfoResponse><result>"
          + userInfo(Duration.between(auth.now(), session.expiresAt(auth.timeout)).getSeconds())
          + "</result></getUserInfoResponse>")).markExecuted();
      default -> clientFault(enterprise, "No operation available for request {" + ns + "}"
          + operation.getLocalName()).markExecuted();
    };
  }

  private Reply login(Element operation, boolean enterprise, String kind, String version) {
    String username = childText(operation, "username");
    String password = childText(operation, "password");
    if (!auth.passwordMatches(username, password) || !auth.userActive() || auth.ipRestricted()) {
      return fault(enterprise, "INVALID_LOGIN", "INVALID_LOGIN", INVALID_LOGIN_MESSAGE, "LoginFault");
    }
    Session session = auth.login("SOAP", "api");
    if (session == null) {
      return fault(enterprise, "LOGIN_RATE_EXCEEDED", "LOGIN_RATE_EXCEEDED", "login rate exceeded",
          "LoginFault");
    }
    counters.soapLogins.increment();
    String instance = origins.instanceUrl();
    String ns = enterprise ? "urn:enterprise.soap.sforce.com" : "urn:partner.soap.sforce.com";
    String result = "<loginResponse><result>"
        + "<metadataServerUrl>" + escape(instance + "/services/Soap/m/" + version + "/" + auth.orgId15)
        + "</metadataServerUrl>"
        + "<passwordExpired>false</passwordExpired>"
        + "<sandbox>false</sandbox>"
        + "<serverUrl>" + escape(instance + "/services/Soap/" + kind + "/" + version + "/" + auth.orgId15)
        + "</serverUrl>"
        + "<sessionId>" + escape(session.token) + "</sessionId>"
        + "<userId>" + auth.userId18 + "</userId>"
        + "<userInfo>" + userInfo(auth.timeout.getSeconds()) + "</userInfo>"
        + "</result></loginResponse>";
    return Reply.xml(200, envelope(ns, result));
  }

  private String userInfo(long sessionSecondsValid) {
    return "<accessibilityMode>false</accessibilityMode>"
        + "<currencySymbol>$</currencySymbol>"
        + "<orgAttachmentFileSizeLimit>5242880</orgAttachmentFileSizeLimit>"
        + "<orgDefaultCurrencyIsoCode>USD</orgDefaultCurrencyIsoCode>"
        + "<orgDisallowHtmlAttachments>false</orgDisallowHtmlAttachments>"
        + "<orgHasPersonAccounts>false</orgHasPersonAccounts>"
        + "<organizationId>" + auth.orgId18 + "</organizationId>"
        + "<organizationMultiCurrency>false</organizationMultiCurrency>"
        + "<organizationName>ForceFlux FakeOrg</organizationName>"
        + "<profileId>" + Ids.to18("00e00000FakePrf") + "</profileId>"
        + "<roleId xsi:nil=\"true\"/>"
        + "<sessionSecondsValid>" + Math.max(0, sessionSecondsValid) + "</sessionSecondsValid>"
        + "<userDefaultCurrencyIsoCode xsi:nil=\"true\"/>"
        + "<userEmail>" + escape(auth.username) + "</userEmail>"
        + "<userFullName>Integration User</userFullName>"
        + "<userId>" + auth.userId18 + "</userId>"
        + "<userLanguage>en_US</userLanguage>"
        + "<userLocale>en_US</userLocale>"
        + "<userName>" + escape(auth.username) + "</userName>"
        + "<userTimeZone>America/Los_Angeles</userTimeZone>"
        + "<userType>Standard</userType>"
        + "<userUiSkin>Theme3</userUiSkin>";
  }

  private static String envelope(String ns, String body) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"" + ENVELOPE_NS
        + "\" xmlns=\"" + ns + "\" xmlns:xsi=\"" + XSI_NS + "\"><soapenv:Body>" + body
        + "</soapenv:Body></soapenv:Envelope>";
  }

  private static Reply invalidSession(boolean enterprise, String sessionId) {
    String message = "Invalid Session ID found in SessionHeader: Illegal Session. Session not found, missing "
        + "session hash: " + sessionHash(sessionId)
        + "\nThis error usually occurs after a session expires or a user logs out. ";
    return fault(enterprise, "sf:INVALID_SESSION_ID", "INVALID_SESSION_ID", message, "UnexpectedErrorFault");
  }

  private static String sessionHash(String sessionId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** A SOAP fault, HTTP 500, laid out byte for byte like the recorded Salesforce faults. */
  static Reply fault(boolean enterprise, String faultCode, String exceptionCode, String message,
      String faultType) {
    String faultNs = enterprise ? "urn:fault.enterprise.soap.sforce.com" : "urn:fault.partner.soap.sforce.com";
    String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"" + ENVELOPE_NS
        + "\" xmlns:sf=\"" + faultNs + "\" xmlns:xsi=\"" + XSI_NS + "\"><soapenv:Body><soapenv:Fault>"
        + "<faultcode>" + faultCode + "</faultcode>"
        + "<faultstring>" + escape(exceptionCode + ": " + message) + "</faultstring>"
        + "<detail><sf:" + faultType + " xsi:type=\"sf:" + faultType + "\">"
        + "<sf:exceptionCode>" + exceptionCode + "</sf:exceptionCode>"
        + "<sf:exceptionMessage>" + escape(message) + "</sf:exceptionMessage>"
        + "</sf:" + faultType + "></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>";
    return Reply.xml(500, xml);
  }

  private static Reply clientFault(boolean enterprise, String message) {
    String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"" + ENVELOPE_NS
        + "\"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>"
        + escape(message) + "</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>";
    return Reply.xml(500, xml);
  }

  // ---- parsing ----

  /** The first element inside the SOAP Body, or null if the envelope does not parse. */
  private static @Nullable Element operation(byte[] body) {
    Document doc = parse(body);
    if (doc == null) {
      return null;
    }
    Element envelope = doc.getDocumentElement();
    Element soapBody = child(envelope, "Body");
    return soapBody == null ? null : firstElement(soapBody);
  }

  private static @Nullable String sessionId(Document doc) {
    Element header = child(doc.getDocumentElement(), "Header");
    Element sessionHeader = header == null ? null : child(header, "SessionHeader");
    return sessionHeader == null ? null : childText(sessionHeader, "sessionId");
  }

  /** Parses with the hardened JDK parser; null if the bytes are not well-formed XML. */
  static @Nullable Document parse(byte[] body) {
    try {
      DocumentBuilder builder;
      synchronized (FACTORY) {
        builder = FACTORY.newDocumentBuilder();
      }
      builder.setErrorHandler(new DefaultHandler());
      return builder.parse(new ByteArrayInputStream(body));
    } catch (ParserConfigurationException | SAXException | IOException e) {
      return null;
    }
  }

  private static DocumentBuilderFactory hardenedFactory() {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
      factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      factory.setXIncludeAware(false);
      factory.setExpandEntityReferences(false);
      // Parse once now so that the JDK reads its configuration files here, not on an event loop.
      factory.newDocumentBuilder()
          .parse(new ByteArrayInputStream("<warm-up/>".getBytes(StandardCharsets.UTF_8)));
      return factory;
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new IllegalStateException("the JDK XML parser cannot be hardened", e);
    }
  }

  private static @Nullable Element child(Element parent, String localName) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && localName.equals(e.getLocalName())) {
        return e;
      }
    }
    return null;
  }

  private static @Nullable Element firstElement(Element parent) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        return e;
      }
    }
    return null;
  }

  private static @Nullable String childText(Element parent, String localName) {
    Element e = child(parent, localName);
    return e == null ? null : e.getTextContent().trim();
  }

  static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
