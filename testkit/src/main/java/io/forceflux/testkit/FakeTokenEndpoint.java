package io.forceflux.testkit;

import io.forceflux.testkit.AuthState.Issued;
import io.forceflux.testkit.AuthState.RefreshToken;
import io.forceflux.testkit.AuthState.Session;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/** {@code /services/oauth2/token}, {@code /introspect} and {@code /revoke}. */
final class FakeTokenEndpoint {

  static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  private static final Duration MAX_ASSERTION_LIFETIME = Duration.ofMinutes(5);

  private final OrgOrigins origins;
  private final AuthState auth;
  private final Counters counters;
  private final Duration tokenLatency;

  FakeTokenEndpoint(OrgOrigins origins, AuthState auth, Counters counters, Duration tokenLatency) {
    this.origins = origins;
    this.auth = auth;
    this.counters = counters;
    this.tokenLatency = tokenLatency;
  }

  private record Client(@Nullable String id, @Nullable String secret) {
  }

  /** Counts a request on arrival, before any fault can swallow it. */
  void countArrival(Request r) {
    switch (r.path) {
      case "/services/oauth2/token" -> counters.grant(grantKey(r.form().get("grant_type")));
      case "/services/oauth2/introspect" -> counters.introspectRequests.increment();
      case "/services/oauth2/revoke" -> counters.revokeRequests.increment();
      default -> { }
    }
  }

  static String grantKey(@Nullable String grantType) {
    if (grantType == null) {
      return "unsupported";
    }
    return switch (grantType) {
      case "refresh_token" -> "refresh_token";
      case JWT_BEARER -> "jwt_bearer";
      case "client_credentials" -> "client_credentials";
      case "password" -> "password";
      default -> "unsupported";
    };
  }

  Mono<Reply> handle(Request r) {
    return switch (r.path) {
      case "/services/oauth2/token" -> token(r);
      case "/services/oauth2/introspect" -> Mono.fromSupplier(() -> introspect(r));
      case "/services/oauth2/revoke" -> Mono.fromSupplier(() -> revoke(r));
      default -> r.path.startsWith("/id/") ? Mono.fromSupplier(() -> identity(r))
          : Mono.just(RestBodies.notFound());
    };
  }

  // ---- token ----

  private Mono<Reply> token(Request r) {
    if (!r.method.equals("POST")) {
      return Mono.just(error(TokenError.MUST_USE_POST));
    }
    Map<String, String> form = r.form();
    if ("refresh_token".equals(form.get("grant_type"))) {
      String value = form.get("refresh_token");
      RefreshToken token = value == null ? null : auth.refreshToken(value);
      if (token != null) {
        // Salesforce serializes token requests per refresh token: a second one in flight is refused.
        if (!token.inFlight.compareAndSet(false, true)) {
          return Mono.just(error(TokenError.CONCURRENT_REFRESH));
        }
        return held(() -> refreshGrant(r, token)).doFinally(signal -> token.inFlight.set(false));
      }
      return held(() -> refreshGrant(r, null));
    }
    return held(() -> process(r, form));
  }

  /** Holds the request for the configured token latency (real time, non-blocking), then answers. */
  private Mono<Reply> held(Supplier<Reply> work) {
    Mono<Reply> answer = Mono.fromSupplier(work);
    return tokenLatency.isZero() ? answer : Mono.delay(tokenLatency).then(answer);
  }

  private Reply process(Request r, Map<String, String> form) {
    String grant = form.get("grant_type");
    if (grant == null) {
      return error(TokenError.UNSUPPORTED_GRANT_TYPE);
    }
    return switch (grant) {
      case "password" -> passwordGrant(r, form);
      case "client_credentials" -> clientCredentialsGrant(r);
      case JWT_BEARER -> jwtGrant(form);
      default -> error(TokenError.UNSUPPORTED_GRANT_TYPE);
    };
  }

  private Reply refreshGrant(Request r, @Nullable RefreshToken token) {
    Client client = client(r);
    TokenError problem = checkClient(client, false);
    if (problem == null) {
      problem = userProblem();
    }
    if (problem != null) {
      return error(problem);
    }
    if (token == null) {
      return error(TokenError.EXPIRED_REFRESH_TOKEN);
    }
    Issued issued = auth.refresh(token, String.valueOf(client.id()));
    if (issued.error() != null || issued.session() == null) {
      return error(issued.error() == null ? TokenError.EXPIRED_REFRESH_TOKEN : issued.error());
    }
    return success(issued.session(), issued.refreshToken(), false);
  }

  private Reply passwordGrant(Request r, Map<String, String> form) {
    Client client = client(r);
    TokenError problem = checkClient(client, true);
    if (problem == null) {
      problem = userProblem();
    }
    if (problem != null) {
      return error(problem);
    }
    String username = form.get("username");
    String password = form.get("password");
    if (!auth.passwordMatches(username, password)) {
      return error(TokenError.AUTHENTICATION_FAILURE);
    }
    return login(String.valueOf(client.id()), "api", false);
  }

  private Reply clientCredentialsGrant(Request r) {
    if (!r.host().equals(origins.myDomainHost())) {
      return error(TokenError.WRONG_DOMAIN);
    }
    Client client = client(r);
    TokenError problem = checkClient(client, true);
    if (problem == null) {
      problem = userProblem();
    }
    return problem != null ? error(problem) : login(String.valueOf(client.id()), "api", true);
  }

  private Reply jwtGrant(Map<String, String> form) {
    JwtAssertion jwt = JwtAssertion.parse(form.get("assertion"));
    if (jwt == null) {
      return error(TokenError.INVALID_ASSERTION);
    }
    String issuer = jwt.issuer();
    if (issuer == null || !issuer.equals(auth.clientId)) {
      return error(TokenError.INVALID_CLIENT_ID);
    }
    TokenError problem = userProblem();
    if (problem != null) {
      return error(problem);
    }
    if (!jwt.signedBy(KeyMaterial.shared().publicKey)) {
      return error(TokenError.INVALID_ASSERTION);
    }
    List<String> audiences = jwt.audiences();
    if (audiences.stream().map(FakeTokenEndpoint::stripSlash).noneMatch(this::acceptedAudience)) {
      return error(TokenError.AUDIENCE_VALIDATION_FAILED);
    }
    Long exp = jwt.expiry();
    long now = auth.now().getEpochSecond();
    if (exp == null || exp < now || exp > now + MAX_ASSERTION_LIFETIME.getSeconds()) {
      return error(TokenError.INVALID_ASSERTION);
    }
    String subject = jwt.subject();
    if (subject == null || !subject.equalsIgnoreCase(auth.username)) {
      return error(TokenError.INVALID_ASSERTION);
    }
    if (!auth.jwtUserApproved()) {
      return error(TokenError.USER_NOT_APPROVED);
    }
    return login(issuer, "api", false);
  }

  private boolean acceptedAudience(String audience) {
    return audience.equals(origins.loginUrl()) || audience.equals("https://login.salesforce.com")
        || audience.equals("https://test.salesforce.com");
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private Reply login(String clientId, String scope, boolean apiInstanceUrl) {
    Session session = auth.login(clientId, scope);
    return session == null ? error(TokenError.LOGIN_RATE_EXCEEDED) : success(session, null, apiInstanceUrl);
  }

  private @Nullable TokenError userProblem() {
    if (auth.ipRestricted()) {
      return TokenError.IP_RESTRICTED;
    }
    return auth.userActive() ? null : TokenError.INACTIVE_USER;
  }

  private Reply success(Session session, @Nullable String refreshToken, boolean apiInstanceUrl) {
    counters.outcome("success");
    String issuedAt = Long.toString(session.issuedAt.toEpochMilli());
    String id = identityUrl();
    Map<String, String> body = new LinkedHashMap<>();
    body.put("access_token", session.token);
    if (refreshToken != null) {
      body.put("refresh_token", refreshToken);
    }
    body.put("signature", signature(id + issuedAt));
    body.put("scope", session.scope);
    body.put("instance_url", origins.instanceUrl());
    body.put("id", id);
    body.put("token_type", "Bearer");
    body.put("issued_at", issuedAt);
    if (apiInstanceUrl) {
      body.put("api_instance_url", origins.instanceUrl());
    }
    return Reply.json(200, FakeJson.bytes(body)).header("Cache-Control", "no-store").markExecuted();
  }

  String identityUrl() {
    return origins.loginUrl() + "/id/" + auth.orgId18 + "/" + auth.userId18;
  }

  private String signature(String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(auth.clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private Reply error(TokenError error) {
    counters.outcome(error.outcome);
    return Reply.json(400, error.body()).header("Cache-Control", "no-store").markExecuted();
  }

  // ---- client authentication ----

  private static Client client(Request r) {
    String header = r.header("Authorization");
    if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
            StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        if (colon >= 0) {
          return new Client(Request.percentDecode(decoded.substring(0, colon)),
              Request.percentDecode(decoded.substring(colon + 1)));
        }
      } catch (IllegalArgumentException e) {
        return new Client(null, null);
      }
    }
    Map<String, String> form = r.form();
    return new Client(form.get("client_id"), form.get("client_secret"));
  }

  private @Nullable TokenError checkClient(Client client, boolean secretRequired) {
    if (client.id() == null || !client.id().equals(auth.clientId)) {
      return TokenError.INVALID_CLIENT_ID;
    }
    if (client.secret() == null) {
      return secretRequired ? TokenError.INVALID_CLIENT : null;
    }
    return constantTimeEquals(client.secret(), auth.clientSecret) ? null : TokenError.INVALID_CLIENT;
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  // ---- introspect and revoke ----

  private Reply introspect(Request r) {
    Client client = client(r);
    TokenError problem = checkClient(client, true);
    if (problem != null) {
      return Reply.json(400, problem.body()).markExecuted();
    }
    String token = r.form().get("token");
    Map<String, Object> body = new LinkedHashMap<>();
    Session session = token == null ? null : auth.peek(token);
    RefreshToken refresh = token == null ? null : auth.refreshToken(token);
    if (session != null && session.clientId.equals(client.id())) {
      long iat = session.issuedAt.getEpochSecond();
      body.put("active", true);
      body.put("scope", session.scope);
      body.put("client_id", session.clientId);
      body.put("username", auth.username);
      body.put("sub", identityUrl());
      body.put("token_type", "access_token");
      body.put("exp", session.expiresAt(auth.timeout).getEpochSecond());
      body.put("iat", iat);
      body.put("nbf", iat);
    } else if (refresh != null && refresh.state == AuthState.TokenState.LIVE && !refresh.family.revoked
        && refresh.family.clientId.equals(client.id())) {
      Instant issued = refresh.issuedAt;
      body.put("active", true);
      body.put("scope", "api refresh_token");
      body.put("client_id", refresh.family.clientId);
      body.put("username", auth.username);
      body.put("sub", identityUrl());
      body.put("token_type", "refresh_token");
      body.put("iat", issued.getEpochSecond());
      body.put("nbf", issued.getEpochSecond());
    } else {
      body.put("active", false);
    }
    return Reply.json(200, FakeJson.bytes(body)).markExecuted();
  }

  /**
   * The identity URL ({@code id} of a token response). A dead token gets 403 with a one-line plain-text body,
   * as reported for Salesforce since v28 ({@code src/docs/salesforce-sessions.md} §5.4).
   */
  private Reply identity(Request r) {
    if (!r.path.equals("/id/" + auth.orgId18 + "/" + auth.userId18)) {
      return RestBodies.notFound();
    }
    String header = r.header("Authorization");
    String token = header == null ? r.form().get("oauth_token")
        : header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    Session session = token == null || auth.ipRestricted() ? null : auth.authenticate(token);
    if (session == null) {
      return Reply.of(403, "text/plain;charset=UTF-8", "Bad_OAuth_Token".getBytes(StandardCharsets.UTF_8))
          .markExecuted();
    }
    String rest = origins.instanceUrl() + "/services/data/v{version}/";
    Map<String, Object> urls = new LinkedHashMap<>();
    urls.put("rest", rest);
    urls.put("sobjects", rest + "sobjects/");
    urls.put("query", rest + "query/");
    urls.put("limits", rest + "limits/");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", identityUrl());
    body.put("asserted_user", true);
    body.put("user_id", auth.userId18);
    body.put("organization_id", auth.orgId18);
    body.put("username", auth.username);
    body.put("display_name", "Integration User");
    body.put("active", auth.userActive());
    body.put("user_type", "STANDARD");
    body.put("urls", urls);
    return Reply.json(200, FakeJson.bytes(body)).markExecuted();
  }

  private Reply revoke(Request r) {
    String token = r.form().get("token");
    if (token == null || !auth.revokeToken(token)) {
      return Reply.json(400, "{\"error\":\"invalid_token\",\"error_description\":\"invalid token\"}")
          .markExecuted();
    }
    return Reply.of(200, "", new byte[0]).markExecuted();
  }
}
