package io.forceflux.reactor.client;

import java.util.List;
import java.util.Map;

/**
 * The answer to an sObject Tree request ({@code POST /composite/tree/{type}}), which is all or nothing.
 *
 * @param ids when it succeeded, each record's reference id and the Id Salesforce gave it, in request order;
 *     empty when it failed (nothing was created)
 * @param errors when it failed, the errors of each failing record by reference id; empty on success
 */
public record TreeResult(Map<String, String> ids, Map<String, List<ApiError>> errors) {
  /** Copies the maps (keeping their order). */
  public TreeResult {
    ids = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ids));
    errors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(errors));
  }

  /** Whether every record was created. */
  public boolean success() {
    return errors.isEmpty();
  }
}
