package io.forceflux.benchmarks;

import static io.forceflux.benchmarks.SummaryMarkdown.find;
import static io.forceflux.benchmarks.SummaryMarkdown.num;
import static io.forceflux.benchmarks.SummaryMarkdown.perExpiry;
import static io.forceflux.benchmarks.SummaryMarkdown.require;
import static io.forceflux.benchmarks.SummaryMarkdown.sorted;
import static io.forceflux.benchmarks.SummaryMarkdown.values;

import io.forceflux.benchmarks.ExpiryStormBenchmark.StormCounters;
import io.forceflux.benchmarks.FleetTokenRequestsBenchmark.FleetCounters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The summary's sections on tokens and sessions: token reads, expiry storms, filter overhead, fleets. */
final class TokenSections {
  /** JMH's {@code -prof gc} allocation per operation. */
  static final String ALLOC_PER_OP = "gc.alloc.rate.norm";

  private TokenSections() {
  }

  static void tokenRead(SummaryMarkdown doc) {
    List<BenchmarkRun> all = doc.of(TokenReadBenchmark.class);
    if (all.isEmpty()) {
      return;
    }
    doc.heading("Token read, cache hit (`TokenReadBenchmark`)");
    doc.line("Each read subscribes a reusable subscriber that requests the token and consumes it into a Blackhole (how"
        + " the filter consumes it). Throughput is for all threads together; allocation is `gc.alloc.rate.norm`"
        + " (`-prof gc`), per read.");
    doc.line("");
    doc.line("| Contender | Threads | Reads/s | ns per read per thread | Allocated B/read |");
    doc.line("|---|---:|---:|---:|---:|");
    for (BenchmarkRun r : sorted(all)) {
      double nanos = r.threads() * 1e9 / r.primary().value();
      doc.line("| " + r.contender() + " | " + r.threads() + " | " + r.primary().format() + " | " + num(nanos) + " | "
          + r.secondary(ALLOC_PER_OP).map(Estimate::format).orElse("not measured") + " |");
    }
    String ff = TokenReadBenchmark.CACHING_TOKEN_SOURCE;
    List<String> peers = List.of(TokenReadBenchmark.VOLATILE_FLOOR, TokenReadBenchmark.MONO_CACHE,
        TokenReadBenchmark.SPRING_SECURITY);
    doc.line("");
    doc.line("Ratios of throughput, `" + ff + "` ÷ peer (above 1: ForceFlux reads faster):");
    doc.line("");
    doc.line("| Threads |" + peers.stream().map(p -> " ÷ `" + p + "` |").collect(Collectors.joining()));
    doc.line("|---:|" + "---:|".repeat(peers.size()));
    Set<Integer> threads = all.stream().map(BenchmarkRun::threads).collect(Collectors.toCollection(TreeSet::new));
    StringBuilder verdicts = new StringBuilder();
    for (int t : threads) {
      BenchmarkRun mine = require(all, "`" + ff + "` with " + t + " threads",
          r -> r.contender().equals(ff) && r.threads() == t);
      StringBuilder row = new StringBuilder("| " + t + " |");
      for (String peer : peers) {
        BenchmarkRun p = require(all, "`" + peer + "` with " + t + " threads",
            r -> r.contender().equals(peer) && r.threads() == t);
        row.append(' ').append(mine.primary().over(p.primary()).format()).append(" |");
      }
      doc.line(row.toString());
      BenchmarkRun floor = require(all, TokenReadBenchmark.VOLATILE_FLOOR,
          r -> r.contender().equals(TokenReadBenchmark.VOLATILE_FLOOR) && r.threads() == t);
      Estimate ratio = mine.primary().over(floor.primary());
      String alloc = mine.secondary(ALLOC_PER_OP).map(a -> num(a.value()) + " B").orElse("not measured");
      verdicts.append("- ").append(t).append(t == 1 ? " thread" : " threads").append(": ForceFlux reads at ")
          .append(ratio.format()).append("× the floor's rate (").append(num(1 / ratio.value()))
          .append("× slower), allocating ").append(alloc).append(" per read: ")
          .append(ratio.atLeast(0.5)).append(" on speed, ")
          .append(mine.secondary(ALLOC_PER_OP).map(a -> a.value() < 0.5 ? "met" : "not met").orElse("unknown"))
          .append(" on allocation.\n");
    }
    doc.line("");
    doc.line("Target: within 2× of the `volatile` floor (ratio ≥ 0.5) and 0 bytes allocated per hit.");
    doc.line("");
    doc.append(verdicts);
  }

  static void expiryStorm(SummaryMarkdown doc) {
    List<BenchmarkRun> all = doc.of(ExpiryStormBenchmark.class);
    if (all.isEmpty()) {
      return;
    }
    String client = ExpiryStormBenchmark.CLIENT_PARAM;
    String inFlight = ExpiryStormBenchmark.IN_FLIGHT_PARAM;
    String ff = ExpiryStormBenchmark.FORCEFLUX;
    require(all, "client `" + ff + "`", r -> r.param(client).equals(ff));
    doc.heading("Expiry storm (`ExpiryStormBenchmark`)");
    doc.line("One wave: every session expires and N `GET /limits` are in flight (`in-flight`: sent, each holding its"
        + " token, then the sessions die; `before-wave`: the sessions die, then the N are sent). Time: until all N"
        + " complete. Token requests, failed requests, 401s and refused concurrent refreshes are per expiry (one"
        + " wave), mean over the measured waves with the range across waves.");
    for (String expiry : values(all, ExpiryStormBenchmark.EXPIRY_PARAM)) {
      List<BenchmarkRun> mode = all.stream().filter(r -> expiry.equals(r.param(ExpiryStormBenchmark.EXPIRY_PARAM)))
          .toList();
      doc.line("");
      doc.line("**Expiry `" + expiry + "`**");
      doc.line("");
      doc.line("| In flight | Client | Wave time | Token requests / expiry | Failed requests / expiry | 401s / expiry"
          + " | Refused concurrent refreshes / expiry |");
      doc.line("|---:|---|---:|---:|---:|---:|---:|");
      Comparator<BenchmarkRun> order = Comparator.comparingLong(r -> Long.parseLong(r.param(inFlight)));
      for (BenchmarkRun r : mode.stream().sorted(order.thenComparing(r -> !r.param(client).equals(ff))
          .thenComparing(r -> r.param(client))).toList()) {
        doc.line("| " + r.param(inFlight) + " | " + r.param(client) + " | " + r.primary().format() + " | "
            + perWave(r, StormCounters.TOKEN_REQUESTS) + " | " + perWave(r, StormCounters.FAILED_REQUESTS) + " | "
            + perWave(r, StormCounters.UNAUTHORIZED_401) + " | "
            + perWave(r, StormCounters.CONCURRENT_REFRESH_REJECTED) + " |");
      }
      List<String> peers = new ArrayList<>(values(mode, client));
      peers.remove(ff);
      if (peers.isEmpty()) {
        continue;
      }
      doc.line("");
      doc.line("Speed ratio, peer wave time ÷ ForceFlux wave time (above 1: ForceFlux finishes sooner). A client that"
          + " gives up on requests finishes its wave sooner: read the ratio together with the failures above.");
      doc.line("");
      doc.line("| In flight | " + peers.stream().map(p -> "vs " + p).collect(Collectors.joining(" | ")) + " |");
      doc.line("|---:|" + "---:|".repeat(peers.size()));
      for (String n : values(mode, inFlight)) {
        BenchmarkRun mine = find(mode, r -> n.equals(r.param(inFlight)) && ff.equals(r.param(client)));
        if (mine == null) {
          continue;
        }
        StringBuilder row = new StringBuilder("| " + n + " |");
        for (String peer : peers) {
          // Quick mode runs some peers at one size only: an absent parameter combination is "not run".
          BenchmarkRun p = find(mode, r -> n.equals(r.param(inFlight)) && peer.equals(r.param(client)));
          row.append(' ').append(p == null ? "not run" : p.primary().over(mine.primary()).format()).append(" |");
        }
        doc.line(row.toString());
      }
    }
    doc.line("");
    StringBuilder verdict = new StringBuilder();
    boolean allOne = true;
    for (BenchmarkRun r : all) {
      if (!ff.equals(r.param(client))) {
        continue;
      }
      double[] range = r.perIteration(StormCounters.TOKEN_REQUESTS, StormCounters.EXPIRIES);
      boolean one = range.length > 0 && Arrays.stream(range).allMatch(v -> v == 1.0);
      allOne &= one;
      verdict.append(" ").append(r.param(ExpiryStormBenchmark.EXPIRY_PARAM)).append("/").append(r.param(inFlight))
          .append(": ").append(one ? "1" : Arrays.toString(range)).append(';');
    }
    doc.line("Target: exactly 1 token request per expiry for ForceFlux at any concurrency: **"
        + (allOne ? "met" : "not met") + "** (per wave:" + verdict + " every ForceFlux request succeeded, or the"
        + " run would have failed).");
  }

  private static String perWave(BenchmarkRun r, String counter) {
    return perExpiry(r, counter, StormCounters.EXPIRIES);
  }

  static void filterOverhead(SummaryMarkdown doc) {
    List<BenchmarkRun> all = doc.of(FilterOverheadBenchmark.class);
    if (all.isEmpty()) {
      return;
    }
    BenchmarkRun filter = require(all, FilterOverheadBenchmark.SESSION_RECOVERY_FILTER);
    BenchmarkRun raw = require(all, FilterOverheadBenchmark.FIXED_HEADER);
    doc.heading("Filter overhead (`FilterOverheadBenchmark`)");
    doc.line("256 requests in flight against the loopback fake org: WebClient + `SessionRecoveryFilter` (token"
        + " cached) versus the same WebClient with a fixed `Authorization` header and no filter.");
    doc.line("");
    doc.line("| Client | Requests/s |");
    doc.line("|---|---:|");
    for (BenchmarkRun r : sorted(all)) {
      doc.line("| " + r.contender() + " | " + r.primary().format() + " |");
    }
    Estimate ratio = filter.primary().over(raw.primary());
    doc.line("");
    doc.line("Ratio filter ÷ raw: **" + ratio.format() + "**. Target ≥ 0.95: " + ratio.atLeast(0.95) + ".");
  }

  static void fleetTokenRequests(SummaryMarkdown doc) {
    List<BenchmarkRun> all = doc.of(FleetTokenRequestsBenchmark.class);
    if (all.isEmpty()) {
      return;
    }
    String replicas = FleetTokenRequestsBenchmark.REPLICAS_PARAM;
    String store = FleetTokenRequestsBenchmark.STORE_PARAM;
    doc.heading("Fleet token requests per expiry (`FleetTokenRequestsBenchmark`)");
    doc.line("N replicas share one credential, each with its own `CachingTokenSource`, WebClient,"
        + " `SessionRecoveryFilter` and connection pool. One expiry: every session expires, then 200 `GET /limits`"
        + " per replica at once; expiry time is until all complete. Store `none`: each replica refreshes on its own"
        + " (the org refuses a concurrent refresh with the same refresh token; the refused ones are retried)."
        + " `redis`: a real `redis-server`, each replica with its own `RedisTokenStore` connections, as separate"
        + " processes would have. `in-memory`: one `TokenStore.inMemory()`. Counts are per expiry, mean over the"
        + " measured expiries with the range across them.");
    doc.line("");
    doc.line("| Replicas | Store | Expiry time | Token requests / expiry | Tokens issued / expiry"
        + " | Refused concurrent refreshes / expiry |");
    doc.line("|---:|---|---:|---:|---:|---:|");
    List<String> stores = List.of(FleetTokenRequestsBenchmark.NO_STORE, FleetTokenRequestsBenchmark.IN_MEMORY_STORE,
        FleetTokenRequestsBenchmark.REDIS_STORE);
    Comparator<BenchmarkRun> byStore = Comparator.comparingInt(r -> {
      int i = stores.indexOf(r.param(store));
      return i < 0 ? stores.size() : i;
    });
    List<BenchmarkRun> ordered = all.stream().sorted(Comparator.<BenchmarkRun>comparingLong(
        r -> Long.parseLong(r.param(replicas))).thenComparing(byStore).thenComparing(r -> r.param(store))).toList();
    for (BenchmarkRun r : ordered) {
      doc.line("| " + r.param(replicas) + " | " + r.param(store) + " | " + r.primary().format() + " | "
          + perFleetExpiry(r, FleetCounters.TOKEN_REQUESTS) + " | " + perFleetExpiry(r, FleetCounters.TOKENS_ISSUED)
          + " | " + perFleetExpiry(r, FleetCounters.CONCURRENT_REFRESH_REJECTED) + " |");
    }
    doc.line("");
    List<BenchmarkRun> redis = ordered.stream()
        .filter(r -> FleetTokenRequestsBenchmark.REDIS_STORE.equals(r.param(store))).toList();
    if (redis.isEmpty()) {
      doc.line("Target: exactly 1 token request per expiry with the shared Redis store at every fleet size: **not"
          + " measured** (no `store=redis` results).");
    } else {
      StringBuilder verdict = new StringBuilder();
      boolean allOne = true;
      for (BenchmarkRun r : redis) {
        double[] per = r.perIteration(FleetCounters.TOKEN_REQUESTS, FleetCounters.EXPIRIES);
        boolean one = per.length > 0 && Arrays.stream(per).allMatch(v -> v == 1.0);
        allOne &= one;
        verdict.append(" ").append(r.param(replicas)).append(": ")
            .append(one ? "1" : per.length == 0 ? "not measured" : Arrays.toString(per)).append(';');
      }
      doc.line("Target: exactly 1 token request per expiry with the shared Redis store at every fleet size: **"
          + (allOne ? "met" : "not met") + "** (per expiry, by replicas:" + verdict + " every request succeeded,"
          + " or the run would have failed).");
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    StringBuilder each = new StringBuilder();
    for (BenchmarkRun r : ordered) {
      if (!FleetTokenRequestsBenchmark.NO_STORE.equals(r.param(store))) {
        continue;
      }
      double[] per = r.perIteration(FleetCounters.TOKEN_REQUESTS, FleetCounters.EXPIRIES);
      if (per.length == 0) {
        continue;
      }
      double lo = Arrays.stream(per).min().orElse(Double.NaN);
      double hi = Arrays.stream(per).max().orElse(Double.NaN);
      min = Math.min(min, lo);
      max = Math.max(max, hi);
      each.append(each.length() == 0 ? "" : ", ").append(r.param(replicas)).append(" replica")
          .append("1".equals(r.param(replicas)) ? "" : "s").append(": ")
          .append(lo == hi ? num(lo) : num(lo) + "–" + num(hi));
    }
    if (each.length() > 0) {
      doc.line("");
      doc.line("Without a shared store (`none`), " + (min == max ? num(min) : "from " + num(min) + " to " + num(max))
          + " token requests per expiry (" + each + ").");
    }
  }

  private static String perFleetExpiry(BenchmarkRun r, String counter) {
    return perExpiry(r, counter, FleetCounters.EXPIRIES);
  }
}
