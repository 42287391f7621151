package io.forceflux.core.internal.parse;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.GrantType;
import io.forceflux.core.auth.InstanceUrlPolicy;
import io.forceflux.core.auth.Secret;
import io.forceflux.core.auth.TokenResponse;
import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceError;
import io.forceflux.core.error.SalesforceException;
import io.forceflux.core.internal.Origins;
import io.forceflux.core.internal.Xml;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads token-endpoint (and SOAP login) responses. A success becomes a {@link TokenResponse}; anything
 * else becomes a classified {@link SalesforceException}, thrown from {@link #parse} for the caller to
 * signal (e.g. {@code Mono.handle}). Nothing here trusts the body: missing fields, HTML, an untrusted
 * {@code instance_url} or a garbled body are typed errors.
 */
public final class TokenResponses {
  /**
   * A streaming parser, not a mapper: a token response is one flat object, and a mapper's set-up (some 70 ms on a
   * cold JVM) is then paid only when something needs one.
   */
  private static final JsonFactory JSON = new JsonFactory();

  private TokenResponses() {}

  /**
   * Parses a response to a grant's {@link TokenRequest}.
   *
   * @param grant which grant was sent
   * @param status HTTP status
   * @param contentType the response's {@code Content-Type}, if any
   * @param body the response body (bounded by the caller)
   * @param receivedAt when the response arrived, used when {@code issued_at} is absent or absurd
   * @param policy which instance URLs are trusted
   * @throws SalesforceException for every failure, classified
   */
  public static TokenResponse parse(
      GrantType grant, int status, @Nullable String contentType, byte[] body, Instant receivedAt,
      InstanceUrlPolicy policy) {
    if (status != 200) {
      throw SalesforceException.ofTokenError(ErrorParser.parse(status, contentType, body));
    }
    return grant == GrantType.SOAP_LOGIN
        ? soap(status, contentType, body, receivedAt, policy)
        : json(grant, status, contentType, body, receivedAt, policy);
  }

  private static TokenResponse json(
      GrantType grant, int status, @Nullable String contentType, byte[] body, Instant receivedAt,
      InstanceUrlPolicy policy) {
    Map<String, String> root;
    try {
      root = fields(body);
    } catch (JacksonException e) {
      throw malformed(status, contentType, body, "token response is not JSON");
    }
    if (root == null) {
      throw malformed(status, contentType, body, "token response is not a JSON object");
    }
    String accessToken = root.get("access_token");
    String instanceUrl = root.get("instance_url");
    if (accessToken == null || accessToken.isBlank()) {
      throw malformed(status, contentType, body, "token response has no access_token");
    }
    if (instanceUrl == null) {
      throw malformed(status, contentType, body, "token response has no instance_url");
    }
    URI instance = trusted(instanceUrl, policy);
    Instant issuedAt = issuedAt(root.get("issued_at"), receivedAt);
    AccessToken token = AccessToken.of(accessToken, instance, issuedAt, grant).withIdentityUrl(root.get("id"));
    String refresh = root.get("refresh_token");
    return new TokenResponse(token, refresh == null || refresh.isBlank() ? null : Secret.of(refresh), root.get("scope"));
  }

  private static TokenResponse soap(
      int status, @Nullable String contentType, byte[] body, Instant receivedAt, InstanceUrlPolicy policy) {
    Document doc = Xml.parse(body);
    if (doc == null) {
      throw malformed(status, contentType, body, "SOAP login response is not XML");
    }
    if (Xml.text(doc, "faultcode") != null) {
      throw SalesforceException.ofTokenError(ErrorParser.parse(status, contentType, body));
    }
    String sessionId = Xml.text(doc, "sessionId");
    String serverUrl = Xml.text(doc, "serverUrl");
    if (sessionId == null || sessionId.isBlank() || serverUrl == null) {
      throw malformed(status, contentType, body, "SOAP login response has no sessionId or serverUrl");
    }
    if ("true".equals(Xml.text(doc, "passwordExpired"))) {
      throw SalesforceException.of(FailureCause.EXPIRED_PASSWORD, "SOAP login: password expired");
    }
    URI instance = trusted(serverUrl.strip(), policy);
    AccessToken token = AccessToken.of(sessionId.strip(), instance, receivedAt, GrantType.SOAP_LOGIN);
    String seconds = Xml.text(doc, "sessionSecondsValid");
    if (seconds != null) {
      try {
        long s = Long.parseLong(seconds.strip());
        if (s > 0) {
          token = token.withIdleTimeout(Duration.ofSeconds(s));
        }
      } catch (NumberFormatException ignored) {
        // A missing timeout is the normal case on Salesforce; the token is valid until rejected.
      }
    }
    String userId = Xml.text(doc, "userId");
    String orgId = Xml.text(doc, "organizationId");
    if (userId != null && orgId != null) {
      // On the instance origin: serverUrl carries the SOAP endpoint path, which is no base for /id/.
      token = token.withIdentityUrl(token.instanceUrl() + "/id/" + orgId.strip() + "/" + userId.strip());
    }
    return new TokenResponse(token, null, null);
  }

  private static URI trusted(String url, InstanceUrlPolicy policy) {
    URI uri;
    try {
      uri = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      throw SalesforceException.of(FailureCause.UNTRUSTED_URL, "instance_url is not a URL");
    }
    if (!policy.allows(uri)) {
      String origin = describe(uri);
      throw SalesforceException.of(FailureCause.UNTRUSTED_URL, "instance_url " + origin + " is not trusted by "
          + policy + "; if that origin is really yours (a fake org, a proxy), allow it on the builder: "
          + ".instanceUrlPolicy(InstanceUrlPolicy.allowing(\"" + origin + "\"))");
    }
    return uri;
  }

  private static String describe(URI uri) {
    try {
      return Origins.origin(uri).toString();
    } catch (IllegalArgumentException e) {
      return "(malformed)";
    }
  }

  private static Instant issuedAt(@Nullable String issuedAt, Instant receivedAt) {
    if (issuedAt == null) {
      return receivedAt;
    }
    try {
      long ms = Long.parseLong(issuedAt.strip());
      Instant at = Instant.ofEpochMilli(ms);
      // Old docs say seconds; a 10-digit value means seconds.
      if (issuedAt.strip().length() <= 10) {
        at = Instant.ofEpochSecond(ms);
      }
      // A clock far off from ours is not trusted for expiry arithmetic.
      return Duration.between(at, receivedAt).abs().compareTo(Duration.ofHours(1)) > 0 ? receivedAt : at;
    } catch (NumberFormatException e) {
      return receivedAt;
    }
  }

  /**
   * The top-level scalar fields of a JSON object as text (numbers and booleans as written; nested values and
   * nulls left out; the last of repeated names wins), or null if the body is not one JSON object.
   */
  private static @Nullable Map<String, String> fields(byte[] body) {
    try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Map<String, String> fields = new HashMap<>();
      String name;
      while ((name = p.nextName()) != null) {
        JsonToken value = p.nextToken();
        if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
          fields.put(name, p.getString());
        } else {
          fields.remove(name);
          p.skipChildren();
        }
      }
      return p.nextToken() == null ? fields : null;
    }
  }

  private static SalesforceException malformed(int status, @Nullable String contentType, byte[] body, String what) {
    SalesforceError parsed = ErrorParser.parse(status, contentType, body);
    // A 200 from the token endpoint may carry secrets in fields we could not read: keep no snippet.
    SalesforceError error = new SalesforceError(status, parsed.format(), parsed.errorCode(), what, List.of(), "");
    return SalesforceException.of(FailureCause.MALFORMED_RESPONSE, what, error);
  }
}
