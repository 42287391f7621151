package io.forceflux.testkit;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link FakeOrgStats}. */
final class Counters {

  final LongAdder tokenRequests = new LongAdder();
  final ConcurrentHashMap<String, LongAdder> byGrant = new ConcurrentHashMap<>();
  final ConcurrentHashMap<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  final LongAdder familyRevocations = new LongAdder();
  final LongAdder introspectRequests = new LongAdder();
  final LongAdder revokeRequests = new LongAdder();
  final LongAdder soapLogins = new LongAdder();
  final LongAdder apiRequests = new LongAdder();
  final LongAdder unauthorized401 = new LongAdder();
  final LongAdder requestsExecuted = new LongAdder();
  final LongAdder recordsCreated = new LongAdder();
  final LongAdder recordsUpdated = new LongAdder();
  final LongAdder recordsDeleted = new LongAdder();
  final LongAdder sessionsCreated = new LongAdder();
  final LongAdder sessionsExpired = new LongAdder();
  final LongAdder faultsInjected = new LongAdder();
  final LongAdder bulkRequests = new LongAdder();
  final LongAdder bulkJobsCreated = new LongAdder();
  final LongAdder notModified = new LongAdder();

  void grant(String grant) {
    tokenRequests.increment();
    byGrant.computeIfAbsent(grant, k -> new LongAdder()).increment();
  }

  void outcome(String outcome) {
    outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
  }

  FakeOrgStats snapshot(long apiUsage, long dailyApiLimit) {
    return new FakeOrgStats(tokenRequests.sum(), sums(byGrant), sums(outcomes),
        outcomes.getOrDefault("concurrentRefreshRejected", new LongAdder()).sum(), familyRevocations.sum(),
        introspectRequests.sum(), revokeRequests.sum(), soapLogins.sum(), apiRequests.sum(),
        unauthorized401.sum(), requestsExecuted.sum(), recordsCreated.sum(), recordsUpdated.sum(),
        recordsDeleted.sum(), sessionsCreated.sum(), sessionsExpired.sum(), faultsInjected.sum(), apiUsage,
        dailyApiLimit, bulkRequests.sum(), bulkJobsCreated.sum());
  }

  private static Map<String, Long> sums(Map<String, LongAdder> adders) {
    Map<String, Long> result = new TreeMap<>();
    adders.forEach((k, v) -> result.put(k, v.sum()));
    return result;
  }

  void reset() {
    tokenRequests.reset();
    byGrant.clear();
    outcomes.clear();
    for (LongAdder adder : new LongAdder[] {familyRevocations, introspectRequests, revokeRequests, soapLogins,
        apiRequests, unauthorized401, requestsExecuted, recordsCreated, recordsUpdated, recordsDeleted,
        sessionsCreated, sessionsExpired, faultsInjected, bulkRequests, bulkJobsCreated, notModified}) {
      adder.reset();
    }
  }
}
