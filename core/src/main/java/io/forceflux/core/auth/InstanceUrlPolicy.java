package io.forceflux.core.auth;

import io.forceflux.core.internal.Origins;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which {@code instance_url} values a token may be sent to. By default only {@code https} URLs on
 * Salesforce's own domains are trusted; anything else in a token response (an {@code http://} URL, a
 * foreign host) is refused with {@code UNTRUSTED_URL}, so a tampered or misrouted response cannot
 * collect a token. Tests and the fake org allow-list their loopback origins explicitly.
 */
public final class InstanceUrlPolicy {
  private static final List<String> SALESFORCE_SUFFIXES = List.of(
      ".salesforce.com", ".force.com", ".salesforce.mil", ".cloudforce.com", ".database.com",
      ".salesforce-setup.com", ".site.com", ".sfcrmproducts.cn", ".sfcrmapps.cn", ".salesforce-sites.com",
      ".my.salesforce-sites.com", ".visualforce.com", ".lightning.force.com");

  private static final InstanceUrlPolicy STANDARD = new InstanceUrlPolicy(Set.of());

  private final Set<URI> allowedOrigins;

  private InstanceUrlPolicy(Set<URI> allowedOrigins) {
    this.allowedOrigins = allowedOrigins;
  }

  /** https on Salesforce domains only. */
  public static InstanceUrlPolicy standard() {
    return STANDARD;
  }

  /** The standard policy plus these exact origins (e.g. {@code http://127.0.0.1:8443} for a fake org). */
  public static InstanceUrlPolicy allowing(String... origins) {
    return STANDARD.and(origins);
  }

  /** This policy plus these exact origins. */
  public InstanceUrlPolicy and(String... origins) {
    Set<URI> all = new java.util.HashSet<>(allowedOrigins);
    for (String o : origins) {
      all.add(Origins.origin(URI.create(o)));
    }
    return new InstanceUrlPolicy(Set.copyOf(all));
  }

  /** Whether a token may be sent to {@code url}'s origin. False for anything malformed. */
  public boolean allows(URI url) {
    URI origin;
    try {
      origin = Origins.origin(url);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (allowedOrigins.contains(origin)) {
      return true;
    }
    if (!"https".equals(origin.getScheme())) {
      return false;
    }
    String host = origin.getHost().toLowerCase(Locale.ROOT);
    return SALESFORCE_SUFFIXES.stream().anyMatch(host::endsWith);
  }

  @Override
  public String toString() {
    return "InstanceUrlPolicy[https on Salesforce domains"
        + (allowedOrigins.isEmpty() ? "" : " + " + allowedOrigins.stream().map(URI::toString).sorted()
            .collect(Collectors.joining(", ")))
        + "]";
  }
}
