package io.forceflux.core.auth;

import io.forceflux.core.internal.Origins;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

final class Forms {
  static final String FORM = "application/x-www-form-urlencoded";
  static final Map<String, String> JSON = Map.of("Accept", "application/json");

  private Forms() {}

  static String encode(String... pairs) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] == null) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  static URI tokenUri(URI base) {
    return resolve(base, "/services/oauth2/token");
  }

  static URI resolve(URI base, String path) {
    return URI.create(Origins.origin(base) + path);
  }

  /** Validates a login/token host: absolute http(s), no credentials in it. */
  static URI checkHost(URI url, String what) {
    Objects.requireNonNull(url, what);
    try {
      Origins.origin(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " must be an absolute http(s) URL: " + e.getMessage());
    }
    return url;
  }

  /** Salesforce usernames are case-insensitive: one user, one key whatever the spelling. */
  static String username(String username) {
    return username.toLowerCase(Locale.ROOT);
  }
}
