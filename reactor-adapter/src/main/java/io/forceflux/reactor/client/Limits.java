package io.forceflux.reactor.client;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The org's limits, as {@code GET /services/data/vNN.N/limits} reported them.
 *
 * @param dailyApiRequests the rolling 24-hour API allocation ({@code DailyApiRequests})
 * @param all every limit that has a {@code Max} and a {@code Remaining}, by Salesforce's name (e.g.
 *     {@code DataStorageMB}, {@code DailyBulkApiRequests}); unmodifiable, key order not significant
 */
public record Limits(Limit dailyApiRequests, Map<String, Limit> all) {
  /** Copies {@code all}. */
  public Limits {
    Objects.requireNonNull(dailyApiRequests, "dailyApiRequests");
    all = Map.copyOf(all);
  }

  /** The limit called {@code name}, if Salesforce reported it. */
  public Optional<Limit> limit(String name) {
    return Optional.ofNullable(all.get(name));
  }
}
