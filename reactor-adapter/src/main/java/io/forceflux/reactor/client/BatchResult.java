package io.forceflux.reactor.client;

import java.util.List;

/**
 * The answer to a {@link BatchRequest}, one result per subrequest in request order (reference ids are indexes).
 *
 * @param hasErrors whether Salesforce reported any subrequest failing
 * @param results the subrequests' results
 */
public record BatchResult(boolean hasErrors, List<SubrequestResult> results) {
  /** Copies {@code results}. */
  public BatchResult {
    results = List.copyOf(results);
  }
}
