package io.forceflux.testkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The org's one user, its connected app, and every session and refresh token. Lookups are lock-free; anything that
 * changes more than one token at once (issuing, rotating, revoking) holds this object's monitor briefly. Nothing in
 * here does I/O, so it is safe to call from an event loop.
 */
final class AuthState {

  static final int MAX_APPROVALS = 5;

  enum TokenState { LIVE, ROTATED, REVOKED }

  /** One access token: a session with a sliding inactivity timeout. */
  static final class Session {
    final String token;
    final String userId;
    final String clientId;
    final String scope;
    final @Nullable Family family;
    final Instant issuedAt;
    private Instant lastActivity;

    Session(String token, String userId, String clientId, String scope, @Nullable Family family, Instant now) {
      this.token = token;
      this.userId = userId;
      this.clientId = clientId;
      this.scope = scope;
      this.family = family;
      this.issuedAt = now;
      this.lastActivity = now;
    }

    synchronized boolean expired(Instant now, Duration timeout) {
      return Duration.between(lastActivity, now).compareTo(timeout) >= 0;
    }

    synchronized void touch(Instant now, Duration timeout, boolean halfTimeoutQuirk) {
      if (!halfTimeoutQuirk || Duration.between(lastActivity, now).compareTo(timeout.dividedBy(2)) >= 0) {
        lastActivity = now;
      }
    }

    synchronized Instant expiresAt(Duration timeout) {
      return lastActivity.plus(timeout);
    }

    @Override
    public String toString() {
      return "Session[issuedAt=" + issuedAt + "]";
    }
  }

  /** One OAuth approval: the refresh tokens that descend from it (several under rotation) and their sessions. */
  static final class Family {
    final long approval;
    final String clientId;
    final List<RefreshToken> tokens = new ArrayList<>();
    final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    volatile boolean revoked;

    Family(long approval, String clientId) {
      this.approval = approval;
      this.clientId = clientId;
    }
  }

  static final class RefreshToken {
    final String value;
    final Family family;
    final Instant issuedAt;
    final AtomicBoolean inFlight = new AtomicBoolean();
    volatile TokenState state = TokenState.LIVE;

    RefreshToken(String value, Family family, Instant issuedAt) {
      this.value = value;
      this.family = family;
      this.issuedAt = issuedAt;
    }

    @Override
    public String toString() {
      return "RefreshToken[issuedAt=" + issuedAt + "]";
    }
  }

  /** The result of a refresh: a new session, plus the next refresh token under rotation; or an error. */
  record Issued(@Nullable Session session, @Nullable String refreshToken, @Nullable TokenError error) {
    static Issued failed(TokenError error) {
      return new Issued(null, null, error);
    }
  }

  final Clock clock;
  final Duration timeout;
  final boolean halfTimeoutQuirk;
  final boolean rotation;
  final int loginsPerHour;
  final Counters counters;
  final String orgId15;
  final String orgId18;
  final String userId18;
  final String username;
  final String securityToken;

  volatile String password;
  volatile String clientId;
  volatile String clientSecret;
  volatile String initialRefreshToken;
  private volatile boolean ipRestricted;
  private volatile boolean restPolicyRestricted;
  private volatile boolean userActive = true;
  private volatile boolean jwtUserApproved = true;

  private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, RefreshToken> refreshTokens = new ConcurrentHashMap<>();
  private final List<Family> families = new ArrayList<>();
  private final ArrayDeque<Instant> logins = new ArrayDeque<>();
  private long approvals;
  private long created;

  AuthState(Clock clock, Duration timeout, boolean halfTimeoutQuirk, boolean rotation, int loginsPerHour,
      Counters counters) {
    this.clock = clock;
    this.timeout = timeout;
    this.halfTimeoutQuirk = halfTimeoutQuirk;
    this.rotation = rotation;
    this.loginsPerHour = loginsPerHour;
    this.counters = counters;
    this.orgId15 = "00D00000FakeOrg";
    this.orgId18 = Ids.to18(orgId15);
    this.userId18 = Ids.to18("00500000FakeUsr");
    this.username = "integration.user@fakeorg.forceflux.test";
    this.securityToken = Ids.randomBase62(24);
    this.password = "Pw-" + Ids.randomBase62(16);
    this.clientId = newClientId();
    this.clientSecret = Ids.randomDigits(19) + Ids.randomDigits(19) + Ids.randomDigits(26);
    this.initialRefreshToken = approve();
  }

  private static String newClientId() {
    return "3MVG9" + Ids.randomBase62(80);
  }

  Instant now() {
    return clock.instant();
  }

  // ---- sessions ----

  private Session newSession(String client, String scope, @Nullable Family family) {
    Session session = new Session(orgId15 + "!" + Ids.randomUrlSafe(72), userId18, client, scope, family, now());
    sessions.put(session.token, session);
    if (family != null) {
      family.sessions.add(session);
    }
    counters.sessionsCreated.increment();
    if (++created % 1024 == 0) {
      // Sessions that time out unused would otherwise pile up under clients that log in a lot.
      sweep();
    }
    return session;
  }

  /** Issues a session for a grant without a refresh token, counting the login; null if over the login rate. */
  synchronized @Nullable Session login(String client, String scope) {
    if (!countLogin()) {
      return null;
    }
    return newSession(client, scope, null);
  }

  /** The live session for {@code token}, its inactivity timer reset; null if unknown or dead. */
  @Nullable Session authenticate(String token) {
    Session session = peek(token);
    if (session != null) {
      session.touch(now(), timeout, halfTimeoutQuirk);
    }
    return session;
  }

  /** The live session for {@code token} without counting as activity; null if unknown or dead. */
  @Nullable Session peek(String token) {
    Session session = sessions.get(token);
    if (session == null) {
      return null;
    }
    if (session.expired(now(), timeout)) {
      kill(session);
      return null;
    }
    return session;
  }

  private boolean kill(Session session) {
    if (sessions.remove(session.token, session)) {
      if (session.family != null) {
        session.family.sessions.remove(session);
      }
      counters.sessionsExpired.increment();
      return true;
    }
    return false;
  }

  /** Counts sessions that timed out without being used again, so the counters see them. */
  void sweep() {
    Instant now = now();
    for (Session session : sessions.values()) {
      if (session.expired(now, timeout)) {
        kill(session);
      }
    }
  }

  int liveSessions() {
    sweep();
    return sessions.size();
  }

  boolean expireSession(String token) {
    Session session = sessions.get(token);
    return session != null && kill(session);
  }

  int expireAllSessions() {
    int killed = 0;
    for (Session session : sessions.values()) {
      if (kill(session)) {
        killed++;
      }
    }
    return killed;
  }

  // ---- approvals and refresh tokens ----

  /** A new OAuth approval for the current client; the sixth live one revokes the oldest. */
  synchronized String approve() {
    Family family = new Family(++approvals, clientId);
    families.add(family);
    RefreshToken token = newRefreshToken(family);
    List<Family> live = new ArrayList<>();
    for (Family f : families) {
      if (!f.revoked && f.clientId.equals(clientId)) {
        live.add(f);
      }
    }
    for (int i = 0; i < live.size() - MAX_APPROVALS; i++) {
      revoke(live.get(i));
    }
    families.removeIf(f -> f.revoked);
    return token.value;
  }

  private RefreshToken newRefreshToken(Family family) {
    RefreshToken token = new RefreshToken("5Aep861" + Ids.randomBase62(80), family, now());
    family.tokens.add(token);
    refreshTokens.put(token.value, token);
    return token;
  }

  private void revoke(Family family) {
    family.revoked = true;
    for (RefreshToken token : family.tokens) {
      token.state = TokenState.REVOKED;
    }
    for (Session session : family.sessions) {
      kill(session);
    }
  }

  @Nullable RefreshToken refreshToken(String value) {
    return refreshTokens.get(value);
  }

  /** The refresh-token grant, after client authentication. */
  synchronized Issued refresh(RefreshToken token, String client) {
    if (!token.family.clientId.equals(client)) {
      return Issued.failed(TokenError.EXPIRED_REFRESH_TOKEN);
    }
    if (token.state == TokenState.ROTATED && !token.family.revoked) {
      // Reuse of a rotated-out token: Salesforce revokes the current token and every session it issued.
      revoke(token.family);
      counters.familyRevocations.increment();
      return Issued.failed(TokenError.EXPIRED_REFRESH_TOKEN);
    }
    if (token.state != TokenState.LIVE || token.family.revoked) {
      return Issued.failed(TokenError.EXPIRED_REFRESH_TOKEN);
    }
    if (!countLogin()) {
      return Issued.failed(TokenError.LOGIN_RATE_EXCEEDED);
    }
    String next = null;
    if (rotation) {
      token.state = TokenState.ROTATED;
      next = newRefreshToken(token.family).value;
    }
    return new Issued(newSession(client, "api refresh_token", token.family), next, null);
  }

  /** Revokes every refresh token and the sessions they issued. */
  synchronized void revokeRefreshTokens() {
    for (Family family : families) {
      revoke(family);
    }
    families.clear();
  }

  /** {@code /services/oauth2/revoke}: an access token kills its session, a refresh token its whole approval. */
  synchronized boolean revokeToken(String value) {
    RefreshToken refresh = refreshTokens.get(value);
    if (refresh != null) {
      if (refresh.state == TokenState.LIVE && !refresh.family.revoked) {
        revoke(refresh.family);
        families.remove(refresh.family);
        return true;
      }
      return false;
    }
    Session session = peek(value);
    return session != null && kill(session);
  }

  synchronized void changePassword(String newPassword) {
    password = newPassword;
    revokeRefreshTokens();
  }

  synchronized void sandboxRefresh() {
    revokeRefreshTokens();
    refreshTokens.clear();
    expireAllSessions();
    clientId = newClientId();
    clientSecret = Ids.randomDigits(19) + Ids.randomDigits(19) + Ids.randomDigits(26);
    initialRefreshToken = approve();
  }

  void userActive(boolean active) {
    userActive = active;
    if (!active) {
      expireAllSessions();
    }
  }

  /**
   * Whether a password login names the user and carries the current password followed by the security token
   * (compared in constant time), as the password grant and SOAP login both require.
   */
  boolean passwordMatches(@Nullable String name, @Nullable String passwordAndToken) {
    return name != null && passwordAndToken != null && name.equalsIgnoreCase(username)
        && MessageDigest.isEqual(passwordAndToken.getBytes(StandardCharsets.UTF_8),
            (password + securityToken).getBytes(StandardCharsets.UTF_8));
  }

  boolean userActive() {
    return userActive;
  }

  /** Login IP restrictions: every login and API call is refused; sessions survive for when it is lifted. */
  void ipRestricted(boolean on) {
    ipRestricted = on;
  }

  boolean ipRestricted() {
    return ipRestricted;
  }

  /** A session-security policy that live sessions do not meet: REST refuses them. */
  void restPolicyRestricted(boolean on) {
    restPolicyRestricted = on;
  }

  boolean restPolicyRestricted() {
    return restPolicyRestricted;
  }

  /** Whether the user is pre-authorized for the JWT bearer flow. */
  void jwtUserApproved(boolean approved) {
    jwtUserApproved = approved;
  }

  boolean jwtUserApproved() {
    return jwtUserApproved;
  }

  /** Lifts every switch: no IP or REST-policy restriction, the user active and approved for JWT. */
  void resetSwitches() {
    ipRestricted = false;
    restPolicyRestricted = false;
    userActive = true;
    jwtUserApproved = true;
  }

  /** Records a login if the user is under the hourly login rate; false if over it. Caller holds the monitor. */
  private boolean countLogin() {
    Instant now = now();
    Instant windowStart = now.minus(Duration.ofHours(1));
    while (!logins.isEmpty() && !logins.peekFirst().isAfter(windowStart)) {
      logins.pollFirst();
    }
    if (logins.size() >= loginsPerHour) {
      return false;
    }
    logins.addLast(now);
    return true;
  }
}
