package io.forceflux.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The API version an org named, remembered for {@link #TTL} so that the next {@code forceflux query} skips
 * {@code GET /services/data/} (one round trip before the first page). Kept in
 * {@code $XDG_CACHE_HOME/forceflux/api-versions.properties} (default {@code ~/.cache}); keys are hashes of the login
 * URL and consumer key, values the version and when it was learnt. No secret is stored. Every failure to read or
 * write the file is ignored: the command then asks the org as before.
 */
final class ApiVersionCache {
  /**
   * How long an answer is used. Salesforce adds a version three times a year and keeps old ones for years, so a
   * day-old answer is at worst one release behind and still served.
   */
  static final Duration TTL = Duration.ofDays(1);

  private final Path file;
  private final Clock clock;

  ApiVersionCache(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /** The cache for this environment, or null when it names no home or cache folder. */
  static @Nullable ApiVersionCache in(Map<String, String> env) {
    String xdg = env.get("XDG_CACHE_HOME");
    String home = env.get("HOME");
    Path dir;
    try {
      if (xdg != null && !xdg.isBlank()) {
        dir = Path.of(xdg, "forceflux");
      } else if (home != null && !home.isBlank()) {
        dir = Path.of(home, ".cache", "forceflux");
      } else {
        return null;
      }
    } catch (RuntimeException e) {
      return null;
    }
    return new ApiVersionCache(dir.resolve("api-versions.properties"), Clock.systemUTC());
  }

  Path file() {
    return file;
  }

  /** The version remembered for this login URL and consumer key, if learnt within {@link #TTL}. */
  @Nullable String get(URI loginUrl, String clientId) {
    String entry = load().getProperty(key(loginUrl, clientId));
    if (entry == null) {
      return null;
    }
    String[] parts = entry.split(" ");
    try {
      Instant learnt = Instant.ofEpochSecond(Long.parseLong(parts[1]));
      Instant now = clock.instant();
      boolean fresh = !learnt.isAfter(now) && Duration.between(learnt, now).compareTo(TTL) < 0;
      return fresh && parts[0].matches("\\d{1,3}\\.\\d") ? parts[0] : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Remembers {@code version}; written to a temporary file and moved into place, so readers never see half. */
  void put(URI loginUrl, String clientId, String version) {
    Properties p = load();
    p.setProperty(key(loginUrl, clientId), version + " " + clock.instant().getEpochSecond());
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), "api-versions", ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        p.store(out, "forceflux: API version per org (login URL and consumer key, hashed)");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      // Read-only home, full disk: the next run asks the org again.
    }
  }

  private Properties load() {
    Properties p = new Properties();
    if (Files.isRegularFile(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (IOException | RuntimeException e) {
        return new Properties();
      }
    }
    return p;
  }

  private static String key(URI loginUrl, String clientId) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] hash = sha.digest((loginUrl + "\n" + clientId).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
