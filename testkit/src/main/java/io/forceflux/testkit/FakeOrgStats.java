package io.forceflux.testkit;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of a {@link FakeOrg}'s counters since it was built or since {@link FakeOrg#resetStats()}. Also served
 * as JSON by {@code GET /__sim/stats} (same property names).
 *
 * <p>Grant keys of {@link #tokenRequestsByGrant()}: {@code refresh_token}, {@code jwt_bearer},
 * {@code client_credentials}, {@code password}, {@code unsupported}. Outcome keys of {@link #tokenOutcomes()}:
 * {@code success}, {@code expiredRefreshToken}, {@code authenticationFailure}, {@code ipRestricted},
 * {@code userNotApproved}, {@code inactiveUser}, {@code loginRateExceeded}, {@code concurrentRefreshRejected},
 * {@code invalidAssertion}, {@code audienceValidationFailed}, {@code requestNotSupportedOnThisDomain},
 * {@code invalidClientId}, {@code invalidClient}, {@code unsupportedGrantType}, {@code invalidRequest}.
 *
 * @param tokenRequests requests that reached {@code POST /services/oauth2/token}, faulted ones included
 * @param tokenRequestsByGrant those requests per {@code grant_type}
 * @param tokenOutcomes processed token requests per outcome (faulted-before requests have none)
 * @param concurrentRefreshRejected refreshes rejected with "token request is already being processed"
 * @param familyRevocations rotated refresh tokens presented again, which revoked their whole family
 * @param introspectRequests requests to {@code /services/oauth2/introspect}
 * @param revokeRequests requests to {@code /services/oauth2/revoke}
 * @param soapLogins successful SOAP {@code login} calls
 * @param apiRequests requests that reached {@code /services/data} or {@code /services/Soap}, faulted ones included
 * @param unauthorized401 401 responses sent
 * @param requestsExecuted authenticated API requests that ran (reads included)
 * @param recordsCreated records created
 * @param recordsUpdated record updates (including upserts that matched)
 * @param recordsDeleted records deleted
 * @param sessionsCreated sessions (access tokens) issued by the token endpoint or SOAP login
 * @param sessionsExpired sessions that died: by inactivity, by a control ({@code expireAllSessions}, revocation,
 *     password change, ...), by {@code /revoke} or by SOAP {@code logout}
 * @param faultsInjected faults that struck (latency faults included)
 * @param apiUsage the daily API usage ({@code Sforce-Limit-Info: api-usage=N/M}, the N); not reset by
 *     {@link FakeOrg#resetStats()}
 * @param dailyApiLimit the daily API allocation (the M)
 * @param bulkRequests authenticated requests to Bulk API 2.0 ({@code /jobs/ingest}, {@code /jobs/query})
 * @param bulkJobsCreated Bulk API 2.0 jobs created, ingest and query
 */
public record FakeOrgStats(long tokenRequests, Map<String, Long> tokenRequestsByGrant,
    Map<String, Long> tokenOutcomes, long concurrentRefreshRejected, long familyRevocations,
    long introspectRequests, long revokeRequests, long soapLogins, long apiRequests, long unauthorized401,
    long requestsExecuted, long recordsCreated, long recordsUpdated, long recordsDeleted, long sessionsCreated,
    long sessionsExpired, long faultsInjected, long apiUsage, long dailyApiLimit, long bulkRequests,
    long bulkJobsCreated) {

  /**
   * Copies the maps, sorted by key, so the snapshot cannot change.
   *
   * @param tokenRequests see the record description
   * @param tokenRequestsByGrant see the record description
   * @param tokenOutcomes see the record description
   * @param concurrentRefreshRejected see the record description
   * @param familyRevocations see the record description
   * @param introspectRequests see the record description
   * @param revokeRequests see the record description
   * @param soapLogins see the record description
   * @param apiRequests see the record description
   * @param unauthorized401 see the record description
   * @param requestsExecuted see the record description
   * @param recordsCreated see the record description
   * @param recordsUpdated see the record description
   * @param recordsDeleted see the record description
   * @param sessionsCreated see the record description
   * @param sessionsExpired see the record description
   * @param faultsInjected see the record description
   * @param apiUsage see the record description
   * @param dailyApiLimit see the record description
   * @param bulkRequests see the record description
   * @param bulkJobsCreated see the record description
   */
  public FakeOrgStats {
    tokenRequestsByGrant = Collections.unmodifiableMap(new TreeMap<>(tokenRequestsByGrant));
    tokenOutcomes = Collections.unmodifiableMap(new TreeMap<>(tokenOutcomes));
  }

  /**
   * Token requests with one grant type.
   *
   * @param grant a grant key such as {@code refresh_token}
   * @return the count, 0 if none
   */
  public long tokenRequests(String grant) {
    return tokenRequestsByGrant.getOrDefault(grant, 0L);
  }

  /**
   * Token requests with one outcome.
   *
   * @param outcome an outcome key such as {@code success} or {@code expiredRefreshToken}
   * @return the count, 0 if none
   */
  public long tokenOutcome(String outcome) {
    return tokenOutcomes.getOrDefault(outcome, 0L);
  }

  /**
   * Successful token requests.
   *
   * @return {@code tokenOutcome("success")}
   */
  public long tokenSuccesses() {
    return tokenOutcome("success");
  }
}
