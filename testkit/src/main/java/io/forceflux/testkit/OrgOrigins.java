package io.forceflux.testkit;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The origins one port serves: the login host ({@code 127.0.0.1}), the My Domain ({@code localhost}) and the
 * {@code instance_url} that token responses and SOAP login hand out, which a test can move.
 */
final class OrgOrigins {

  private volatile int port = -1;
  private volatile @Nullable String instanceUrl;

  void bound(int boundPort) {
    port = boundPort;
  }

  boolean started() {
    return port >= 0;
  }

  int port() {
    int p = port;
    if (p < 0) {
      throw new IllegalStateException("FakeOrg is not started");
    }
    return p;
  }

  String loginUrl() {
    return "http://127.0.0.1:" + port();
  }

  String myDomainHost() {
    return "localhost:" + port();
  }

  String myDomainUrl() {
    return "http://" + myDomainHost();
  }

  String instanceUrl() {
    String url = instanceUrl;
    return url != null ? url : myDomainUrl();
  }

  void moveInstance(String origin) {
    Objects.requireNonNull(origin, "origin");
    String trimmed = origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
    if (!trimmed.matches("https?://[^/?#\\s]+")) {
      throw new IllegalArgumentException("origin must be scheme://host[:port]: " + origin);
    }
    instanceUrl = trimmed;
  }
}
