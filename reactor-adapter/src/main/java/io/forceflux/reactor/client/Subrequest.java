package io.forceflux.reactor.client;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One subrequest as it will be sent.
 *
 * @param referenceId the name later subrequests use in {@code @{referenceId.field}}; letters, digits, {@code _}
 * @param method {@code GET}, {@code POST}, {@code PATCH}, {@code PUT} or {@code DELETE}
 * @param path the resource after {@code /services/data/vNN.N}, starting with {@code /}, e.g.
 *     {@code /sobjects/Account}; may hold references
 * @param body the JSON body, or null; may hold references in string values
 */
public record Subrequest(String referenceId, String method, String path, @Nullable JsonNode body) {
  /** Checks that no component but the body is null. */
  public Subrequest {
    Objects.requireNonNull(referenceId, "referenceId");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
  }

  /** Whether Salesforce counts it among the at most 5 query or sObject Collections subrequests. */
  public boolean isQueryOrCollection() {
    return path.startsWith("/query") || path.startsWith("/queryAll") || path.startsWith("/composite/sobjects");
  }
}
