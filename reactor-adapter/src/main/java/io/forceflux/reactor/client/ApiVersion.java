package io.forceflux.reactor.client;

import java.util.Objects;

/**
 * One entry of {@code GET /services/data/}.
 *
 * @param version e.g. {@code "67.0"}
 * @param label the release, e.g. {@code "Summer '26"}
 * @param url the host-relative resource path, e.g. {@code /services/data/v67.0}
 */
public record ApiVersion(String version, String label, String url) {
  /** No component may be null. */
  public ApiVersion {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(url, "url");
  }
}
