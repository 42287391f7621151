package io.forceflux.core.error;


/**
 * Why a Salesforce call failed, with whether ForceFlux itself can recover (by refreshing or retrying)
 * and a runbook line that tells an operator what to do when it cannot.
 *
 * <p>Every session death surfaces as {@code INVALID_SESSION_ID}; the token endpoint's
 * {@code error_description} and the 401's message carry the real cause. A cause that no refresh can fix
 * is never retried blindly. See {@code src/docs/salesforce-sessions.md} §5 (how a dead session is reported)
 * and {@code src/docs/oauth.md} §4 (token errors and which are recoverable).
 */
public enum FailureCause {
  SESSION_EXPIRED(Remedy.REFRESH,
      "The session timed out or was ended (logout, revoke, instance restart). ForceFlux refreshes and replays "
          + "automatically. If this happens every few minutes, check the session timeout: connected app "
          + "Session Policies first, then the profile, then Setup > Session Settings."),
  SESSION_POLICY(Remedy.NONE,
      "\"This session is not valid for use with the REST API\": a session-security policy (High Assurance), "
          + "'Lock sessions to the IP address from which they originated', or API Client Control rejects this "
          + "session. A refresh cannot fix it. Check the connected app's Session Policies and IP Relaxation "
          + "(Setup > Connected Apps > Manage > Edit Policies) and Setup > Session Settings."),
  REFRESH_TOKEN_REVOKED(Remedy.NONE,
      "The refresh token is expired or revoked: the app was revoked for the user, the Refresh Token Policy "
          + "expired it ('Immediately expire', 'Expire after n', 30-day idle TTL), a sixth approval evicted it "
          + "(5 per user per app), a rotated refresh token was reused (RTR revokes the family), or the password "
          + "changed. Re-authorize the connected app to get a new refresh token and check its OAuth Policies."),
  AUTHENTICATION_FAILURE(Remedy.NONE,
      "Authentication failed: wrong username, password or security token, a changed password, a locked or "
          + "frozen user, or the username-password flow is blocked (default for orgs since Summer '23). Check "
          + "the user's Login History; prefer the JWT bearer or client-credentials flow."),
  INACTIVE_USER(Remedy.NONE,
      "The integration user is inactive. Reactivate it (Setup > Users) or configure an active user."),
  INACTIVE_ORG(Remedy.NONE,
      "The org is inactive or locked (trial expired, sandbox deleted). Check the org's status with its admin."),
  IP_RESTRICTED(Remedy.NONE,
      "Login refused by IP or login-hours restrictions. Add this host's egress IP to the profile's Login IP "
          + "Ranges or the org's trusted ranges, or set the connected app's IP Relaxation to 'Relax IP "
          + "restrictions' (or 'Enforce IP restrictions, but relax for refresh tokens')."),
  USER_NOT_APPROVED(Remedy.NONE,
      "The user has not approved this connected app. For JWT bearer: set Permitted Users to 'Admin approved "
          + "users are pre-authorized' and grant the user's profile or a permission set access to the app."),
  INVALID_ASSERTION(Remedy.NONE,
      "The JWT assertion was rejected. Check aud (https://login.salesforce.com, https://test.salesforce.com "
          + "or the site URL), that the certificate on the connected app matches the private key, that sub is "
          + "the username, and that this host's clock is in sync (exp must be within 3 minutes)."),
  UNKNOWN_CLIENT(Remedy.NONE,
      "The consumer key is unknown here: wrong key, wrong login host (login vs test vs My Domain), a deleted "
          + "connected app, or a refreshed sandbox (apps get new keys). Check the consumer key and login URL."),
  INVALID_CLIENT_CREDENTIALS(Remedy.NONE,
      "The consumer secret is wrong or was rotated. Copy the current secret from the connected app."),
  WRONG_DOMAIN(Remedy.NONE,
      "This grant is not supported on this host: the client-credentials flow must be sent to the org's My "
          + "Domain (https://<domain>.my.salesforce.com), not login or test.salesforce.com."),
  UNSUPPORTED_GRANT(Remedy.NONE,
      "The connected app does not allow this grant type. Enable the flow in the app's OAuth settings."),
  CONCURRENT_REFRESH(Remedy.RETRY,
      "Salesforce refused a refresh because another request with the same refresh token was in flight "
          + "(\"token request is already being processed\"). ForceFlux waits and retries. If it persists, several "
          + "processes share one refresh token without sharing tokens: configure the Redis TokenStore."),
  LOGIN_RATE_EXCEEDED(Remedy.NONE,
      "More than 3,600 logins per user per hour. Something logs in per request: share one CachingTokenSource "
          + "per credential in each process and the Redis TokenStore across replicas, then wait for the hour "
          + "to drain (Login History shows LOGIN_RATE_EXCEEDED)."),
  EXPIRED_PASSWORD(Remedy.NONE,
      "The user's password has expired, so only setPassword() is allowed. Reset the password, or give the "
          + "integration user's profile 'Password never expires'."),
  INVALID_AUTH_HEADER(Remedy.NONE,
      "Salesforce could not read the Authorization header (malformed, or a JWT-based token where it is not "
          + "accepted). Check for a proxy rewriting headers."),
  API_LIMIT_EXCEEDED(Remedy.NONE,
      "The org's API allocation is exhausted (rolling 24 h), or too many long-running requests run at once. "
          + "Refreshing will not help. Check Sforce-Limit-Info or /limits, reduce call volume, or raise the limit."),
  API_DISABLED(Remedy.NONE,
      "The API is not enabled for this org or user ('API Enabled' permission, or the edition lacks API access)."),
  SERVER_UNAVAILABLE(Remedy.RETRY,
      "Salesforce or its CDN is unavailable (maintenance, busy instance). Idempotent requests are retried with "
          + "backoff. Check trust.salesforce.com for the instance."),
  TRANSPORT(Remedy.RETRY,
      "The connection failed or timed out. Idempotent requests are retried; writes are not replayed after a "
          + "transport failure because they may have run. Use upsert by external id to make writes idempotent."),
  MALFORMED_RESPONSE(Remedy.NONE,
      "The response could not be understood (HTML page, truncated or garbled body, wrong content type). Often "
          + "a proxy, captive portal or maintenance page: check the instance URL and anything in between."),
  RESPONSE_TOO_LARGE(Remedy.NONE,
      "The response was larger than the configured limit and was not buffered. Raise the limit if this is "
          + "expected."),
  UNTRUSTED_URL(Remedy.NONE,
      "A URL pointed outside the trusted Salesforce instance (an http:// instance_url, a foreign host, or a "
          + "nextRecordsUrl on another origin). ForceFlux never sends a token there. Allow-list the origin only "
          + "if it is really yours: instanceUrlPolicy(InstanceUrlPolicy.allowing(\"http://127.0.0.1:PORT\")) on the "
          + "SalesforceClient or CachingTokenSource builder."),
  QUERY_LOCATOR_INVALID(Remedy.NONE,
      "The query cursor expired or belongs to a session that died. Build the query as resumable (ORDER BY Id) "
          + "so ForceFlux can continue after the last record it emitted."),
  ROW_LOCKED(Remedy.NONE,
      "UNABLE_TO_LOCK_ROW: another transaction holds the record. Retry later at the application level or "
          + "reduce concurrent updates to the same records."),
  API_ERROR(Remedy.NONE,
      "Salesforce rejected the request itself (see errorCode and message). Fix the request."),
  TOKEN_STORE_UNAVAILABLE(Remedy.RETRY,
      "The shared token store (Redis) is unreachable, or this process lost its refresh lease, and the refresh "
          + "token rotates or whether it rotates is not known yet: refreshing without the store could present a "
          + "refresh token another process already rotated out, which revokes the whole family. ForceFlux keeps "
          + "trying the store and fails these calls until it answers. Restore Redis connectivity; if the connected "
          + "app does not rotate refresh tokens, configure refreshTokenRotation(STATIC) to refresh without it."),
  TOKEN_STORE_UNREADABLE(Remedy.NONE,
      "The shared token store holds an entry this process cannot read: another encryption key (a key rolled out "
          + "to some processes first) or a corrupted value. ForceFlux never falls back to the configured refresh "
          + "token, which may be rotated out. Give every process the same encryption key; if the value is "
          + "corrupted, delete the credential's key in Redis and re-authorize the connected app."),
  REFRESH_OUTCOME_UNKNOWN(Remedy.NONE,
      "A token request presenting a rotating refresh token (or one whose rotation is not known yet) was sent, but "
          + "its answer was lost (timeout, connection reset, cut-off body). Salesforce may have rotated the refresh "
          + "token already; presenting it again would revoke the whole family, every session of this authorization "
          + "included, so ForceFlux does not retry with it. Tokens already issued keep working until they expire. "
          + "Check the network path to the login host, then re-authorize the connected app and configure the new "
          + "refresh token. If the app does not rotate refresh tokens, configure refreshTokenRotation(STATIC): such "
          + "requests are then retried."),
  UNKNOWN(Remedy.NONE,
      "An unrecognised failure. The error code and snippet say more; run 'forceflux diagnose'.");

  /** What ForceFlux can do about a cause by itself. */
  public enum Remedy {
    /** Obtain a new token and replay the request. */
    REFRESH,
    /** Try again later (backoff); the token is fine. */
    RETRY,
    /** Nothing: an operator has to act. */
    NONE
  }

  private final Remedy remedy;
  private final String runbook;

  FailureCause(Remedy remedy, String runbook) {
    this.remedy = remedy;
    this.runbook = runbook;
  }

  /**
   * The cause an error response of a REST, SOAP, Bulk or Composite call means. Pure and total: every error has a
   * cause ({@link #UNKNOWN} when nothing else fits).
   */
  public static FailureCause ofApiError(SalesforceError error) {
    return FailureClassifier.classifyApiError(error);
  }

  /**
   * The cause an error response of the token endpoint ({@code /services/oauth2/token}) or SOAP {@code login()}
   * means. Pure and total: every error has a cause.
   */
  public static FailureCause ofTokenError(SalesforceError error) {
    return FailureClassifier.classifyTokenError(error);
  }

  /** Whether ForceFlux can recover by itself, by refreshing or retrying. */
  public boolean recoverable() {
    return remedy != Remedy.NONE;
  }

  /** What ForceFlux does about it. */
  public Remedy remedy() {
    return remedy;
  }

  /** What an operator should do. */
  public String runbook() {
    return runbook;
  }
}
