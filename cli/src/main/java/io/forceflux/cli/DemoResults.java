package io.forceflux.cli;

import io.forceflux.testkit.FakeOrgStats;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/** What the demo measured: the client's own counts and the org's counters, never made-up numbers. */
final class DemoResults {
  // stream
  long records;
  long outOfOrder;
  long pages;
  long streamMs;
  long streamReplays;
  String[] ids = new String[0];
  // load
  long requests;
  long failed;
  Map<String, AtomicLong> failures = Map.of();
  final Map<DemoCommand.Op, AtomicLong> ops = new java.util.EnumMap<>(DemoCommand.Op.class);
  final AtomicLong createsSucceeded = new AtomicLong();
  double p50Ms;
  double p99Ms;
  long loadMs;
  // chaos
  long waves;
  long wavesThatKilled;
  long revocations;
  long revocationsThatKilled;
  long killsThatWaited;
  long killedByWaves;
  // client
  long replays;
  long tokensIssued;
  long sessionsNoticed;
  // org
  long tokenRequests;
  long sessionsExpired;
  long unauthorized401;
  long recordsCreated;
  long recordsUpdated;
  long concurrentRefreshRejected;
  long familyRevocations;
  long apiRequests;
  long durationMs;

  DemoResults() {
    for (DemoCommand.Op op : DemoCommand.Op.values()) {
      ops.put(op, new AtomicLong());
    }
  }

  void count(DemoCommand.Op op) {
    ops.get(op).incrementAndGet();
  }

  void chaos(Chaos chaos) {
    waves = chaos.waves.get();
    wavesThatKilled = chaos.wavesThatKilled.get();
    revocations = chaos.revocations.get();
    revocationsThatKilled = chaos.revocationsThatKilled.get();
    killsThatWaited = chaos.deferred.get();
    killedByWaves = chaos.killedByWaves.get();
  }

  void org(FakeOrgStats stats, DemoCommand.Counting counting, DemoCommand.NoticingTokenSource tokens) {
    tokenRequests = stats.tokenRequests();
    sessionsExpired = stats.sessionsExpired();
    unauthorized401 = stats.unauthorized401();
    recordsCreated = stats.recordsCreated();
    recordsUpdated = stats.recordsUpdated();
    concurrentRefreshRejected = stats.concurrentRefreshRejected();
    familyRevocations = stats.familyRevocations();
    apiRequests = stats.apiRequests();
    replays = counting.replays.get();
    tokensIssued = counting.tokensIssued.get();
    sessionsNoticed = tokens.noticed();
  }

  /** A naive client refreshes once per rejected request (Camel's REST path, simple-salesforce). */
  long naiveTokenRequests() {
    return 1 + unauthorized401;
  }

  double naiveRatio() {
    return tokenRequests == 0 ? 0 : Math.round(10.0 * naiveTokenRequests() / tokenRequests) / 10.0;
  }

  /** ForceFlux's promise: one token request for the first token, then one per session that died under it. */
  long expectedTokenRequests() {
    return 1 + sessionsNoticed;
  }

  /** Why the run does not show what it claims, or null when it does. */
  @Nullable String problem(long accounts) {
    if (failed > 0) {
      return failed + " requests failed: " + new TreeMap<>(failures);
    }
    if (records != accounts || outOfOrder > 0) {
      return "streamed " + records + " records (" + outOfOrder + " out of Id order or repeated), expected "
          + accounts;
    }
    if (recordsCreated != createsSucceeded.get()) {
      return "the org created " + recordsCreated + " records for " + createsSucceeded.get() + " creates";
    }
    if (tokenRequests != expectedTokenRequests()) {
      return "token requests (" + tokenRequests + ") != 1 + sessions noticed (" + sessionsNoticed + ")";
    }
    return null;
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requests", requests);
    m.put("failed", failed);
    m.put("sessionsExpired", sessionsExpired);
    m.put("tokenRequests", tokenRequests);
    m.put("replays", replays);
    m.put("records", records);
    m.put("p50Ms", p50Ms);
    m.put("p99Ms", p99Ms);
    m.put("naiveTokenRequests", naiveTokenRequests());
    m.put("naiveRatio", naiveRatio());
    m.put("durationMs", durationMs);
    m.put("sessionsNoticed", sessionsNoticed);
    m.put("expectedTokenRequests", expectedTokenRequests());
    m.put("oneTokenRequestPerDeadSession", tokenRequests == expectedTokenRequests());
    m.put("expiryWaves", waves);
    m.put("expiryWavesThatKilled", wavesThatKilled);
    m.put("revocations", revocations);
    m.put("revocationsThatKilled", revocationsThatKilled);
    m.put("killsThatWaitedForReplays", killsThatWaited);
    m.put("sessionsKilledByWaves", killedByWaves);
    m.put("sessionsKilledByRevocation", revocationsThatKilled);
    m.put("sessionsTimedOut", timedOut());
    m.put("unauthorized401", unauthorized401);
    m.put("concurrentRefreshRejected", concurrentRefreshRejected);
    m.put("familyRevocations", familyRevocations);
    m.put("pages", pages);
    m.put("streamReplays", streamReplays);
    m.put("recordsOutOfOrder", outOfOrder);
    Map<String, Object> mix = new LinkedHashMap<>();
    ops.forEach((op, n) -> mix.put(op.name().toLowerCase(Locale.ROOT), n.get()));
    m.put("mix", mix);
    m.put("creates", createsSucceeded.get());
    m.put("recordsCreated", recordsCreated);
    m.put("recordsUpdated", recordsUpdated);
    m.put("apiRequests", apiRequests);
    m.put("streamMs", streamMs);
    m.put("loadMs", loadMs);
    return m;
  }

  void printTable(PrintWriter out, int concurrency, long accounts, String expireEvery, String revokeEvery) {
    out.println();
    out.printf(Locale.ROOT, "ForceFlux demo: %,d Accounts streamed, then %,d mixed requests with %,d in flight, on an%n",
        accounts, requests, concurrency);
    out.printf(Locale.ROOT, "embedded fake org with refresh-token rotation, while sessions died:%n");
    if (!expireEvery.equals("0ms")) {
      out.printf(Locale.ROOT, "  - all of them every %s (or once the requests replaying after the previous kill were done)%n",
          expireEvery);
    }
    if (!revokeEvery.equals("0ms")) {
      out.printf(Locale.ROOT, "  - the token in use, revoked at random moments (about every %s)%n", revokeEvery);
    }
    if (expireEvery.equals("0ms") && revokeEvery.equals("0ms")) {
      out.printf(Locale.ROOT, "  - only by their inactivity timeout (no kills: --expire-every and --revoke-every are 0)%n");
    }
    out.println();
    out.printf(Locale.ROOT, "  %-28s %12s   %s%n", "", "ForceFlux", "naive client");
    row(out, "requests", fmt(requests), "");
    row(out, "failed", fmt(failed), "");
    row(out, "records streamed", fmt(records), "");
    row(out, "sessions expired (org)", fmt(sessionsExpired), "");
    row(out, "token requests (org)", fmt(tokenRequests),
        String.format(Locale.ROOT, "%,12d   (%.1fx more)", naiveTokenRequests(), naiveRatio()));
    row(out, "replays", fmt(replays), "");
    row(out, "latency p50 (ms)", String.format(Locale.ROOT, "%.1f", p50Ms), "");
    row(out, "latency p99 (ms)", String.format(Locale.ROOT, "%.1f", p99Ms), "");
    out.println();
    boolean match = tokenRequests == expectedTokenRequests();
    out.printf(Locale.ROOT, "  %s token requests = 1 initial + sessions the client saw die: %,d = 1 + %,d%n",
        match ? "✓" : "✗", tokenRequests, sessionsNoticed);
    out.printf(Locale.ROOT, "    %s%n", match
        ? "one token request per dead session, however many requests were in flight when it died"
        : "expected " + expectedTokenRequests() + ": some refreshes were not caused by a dead session");
    long unnoticed = sessionsExpired - sessionsNoticed;
    out.printf(Locale.ROOT, "  sessions expired: %,d killed by %,d of %,d expiry waves and %,d of %,d revocations%s%n",
        sessionsExpired, wavesThatKilled, waves, revocationsThatKilled, revocations,
        timedOut() > 0 ? ", " + timedOut() + " timed out" : "");
    if (unnoticed > 0) {
      out.printf(Locale.ROOT, "    (%,d of them died after the last request used %s, and cost nothing)%n", unnoticed,
          unnoticed == 1 ? "it" : "them");
    }
    out.printf(Locale.ROOT, "  naive client: one token request per 401 the org sent (%,d), plus the first, as Camel's REST%n",
        unauthorized401);
    out.printf(Locale.ROOT, "    path and simple-salesforce refresh; with rotation on, those would also collide%n");
    out.printf(Locale.ROOT, "  replays: %s; concurrent refreshes refused: %d; token families revoked: %d%n",
        replays == unauthorized401 ? "every 401 was replayed once after the shared refresh"
            : String.format(Locale.ROOT, "%,d for %,d 401s", replays, unauthorized401),
        concurrentRefreshRejected, familyRevocations);
    out.printf(Locale.ROOT, "  stream: %,d %s in %.1f s (%,d records/s), in Id order, none twice%n", pages,
        pages == 1 ? "page" : "pages", streamMs / 1000.0, streamMs == 0 ? 0 : records * 1000 / streamMs);
    StringBuilder mix = new StringBuilder();
    ops.forEach((op, n) -> mix.append(mix.length() == 0 ? "" : ", ").append(fmt(n.get())).append(' ')
        .append(op.name().toLowerCase(Locale.ROOT).replace('_', ' ')));
    out.printf(Locale.ROOT, "  load: %s%n    in %.1f s (%,d requests/s)%n", mix, loadMs / 1000.0,
        loadMs == 0 ? 0 : requests * 1000 / loadMs);
    out.printf(Locale.ROOT, "  writes: the org created %,d records for %,d creates: none lost, none twice%n",
        recordsCreated, createsSucceeded.get());
    out.println();
    out.printf(Locale.ROOT, "done in %.1f s%n", durationMs / 1000.0);
  }

  long timedOut() {
    return Math.max(0, sessionsExpired - killedByWaves - revocationsThatKilled);
  }

  private static void row(PrintWriter out, String name, String value, String naive) {
    out.println(String.format(Locale.ROOT, "  %-28s %12s   %s", name, value, naive).stripTrailing());
  }

  private static String fmt(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
