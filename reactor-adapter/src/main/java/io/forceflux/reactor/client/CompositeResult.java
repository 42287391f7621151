package io.forceflux.reactor.client;

import java.util.List;
import java.util.Optional;

/**
 * The answer to a {@link CompositeRequest}, one result per subrequest in request order.
 *
 * @param allOrNone whether the request asked for all or nothing
 * @param results the subrequests' results
 */
public record CompositeResult(boolean allOrNone, List<SubrequestResult> results) {
  /** Copies {@code results}. */
  public CompositeResult {
    results = List.copyOf(results);
  }

  /** Whether every subrequest succeeded. */
  public boolean success() {
    return results.stream().allMatch(SubrequestResult::success);
  }

  /**
   * Whether Salesforce rolled the whole request back: {@code allOrNone} and one subrequest failed. Then nothing
   * the request did remains, even for subrequests that had succeeded before the failure.
   */
  public boolean rolledBack() {
    return allOrNone && !success();
  }

  /** The subrequests that failed for a reason of their own (not halted because another failed). */
  public List<SubrequestResult> failures() {
    return results.stream().filter(r -> !r.success() && !r.halted()).toList();
  }

  /** The result of the subrequest with {@code referenceId}. */
  public Optional<SubrequestResult> result(String referenceId) {
    return results.stream().filter(r -> r.referenceId().equals(referenceId)).findFirst();
  }
}
