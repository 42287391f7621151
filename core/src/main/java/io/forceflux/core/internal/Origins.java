package io.forceflux.core.internal;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/** Origin arithmetic (RFC 6454): scheme, host and port, with default ports made explicit. */
public final class Origins {
  private Origins() {}

  /**
   * The origin of {@code uri} as a URI with no path, query or fragment.
   *
   * @throws IllegalArgumentException if {@code uri} is not absolute http(s) with a host
   */
  public static URI origin(URI uri) {
    String scheme = scheme(uri);
    String host = host(uri);
    int port = uri.getPort();
    boolean defaultPort = port == -1 || port == defaultPort(scheme);
    return URI.create(scheme + "://" + host + (defaultPort ? "" : ":" + port));
  }

  /** Whether both URIs have the same scheme, host and effective port. False for anything malformed. */
  public static boolean sameOrigin(URI a, URI b) {
    try {
      return scheme(a).equals(scheme(b)) && host(a).equals(host(b)) && port(a) == port(b);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String scheme(URI uri) {
    String scheme = uri.getScheme();
    if (scheme == null) {
      throw new IllegalArgumentException("not an absolute URL");
    }
    scheme = scheme.toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException("not an http(s) URL");
    }
    return scheme;
  }

  private static String host(URI uri) {
    String host = uri.getHost();
    if (host == null || host.isEmpty() || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("URL has no plain host");
    }
    return host.toLowerCase(Locale.ROOT);
  }

  private static int port(URI uri) {
    int port = uri.getPort();
    return port == -1 ? defaultPort(scheme(uri)) : port;
  }

  private static int defaultPort(String scheme) {
    return Objects.equals(scheme, "https") ? 443 : 80;
  }
}
