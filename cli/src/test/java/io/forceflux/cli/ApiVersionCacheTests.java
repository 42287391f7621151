package io.forceflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.testkit.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiVersionCacheTests {
  private static final URI LOGIN = URI.create("https://login.salesforce.com");

  @Test
  void remembersAVersionPerLoginUrlAndClientForADay(@TempDir Path dir) {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    ApiVersionCache cache = new ApiVersionCache(dir.resolve("forceflux/api-versions.properties"), clock);

    assertThat(cache.get(LOGIN, "app")).isNull();
    cache.put(LOGIN, "app", "66.0");
    assertThat(cache.get(LOGIN, "app")).isEqualTo("66.0");
    assertThat(cache.get(LOGIN, "other app")).isNull();
    assertThat(cache.get(URI.create("https://test.salesforce.com"), "app")).isNull();

    clock.advance(Duration.ofHours(23));
    assertThat(cache.get(LOGIN, "app")).isEqualTo("66.0");
    clock.advance(Duration.ofHours(1));
    assertThat(cache.get(LOGIN, "app")).as("a day old: asked again").isNull();
  }

  @Test
  void ignoresAGarbledOrUnwritableFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("api-versions.properties");
    Files.writeString(file, "\u0000garbage=\\u12\nabc=def\n");
    ApiVersionCache cache = new ApiVersionCache(file, new MutableClock(Instant.EPOCH));
    assertThat(cache.get(LOGIN, "app")).isNull();

    Path blocked = dir.resolve("a-file");
    Files.writeString(blocked, "not a folder");
    ApiVersionCache unwritable = new ApiVersionCache(blocked.resolve("api-versions.properties"),
        new MutableClock(Instant.EPOCH));
    unwritable.put(LOGIN, "app", "66.0");
    assertThat(unwritable.get(LOGIN, "app")).isNull();
  }

  @Test
  void livesInTheUserCacheFolder() {
    assertThat(ApiVersionCache.in(Map.of())).as("no HOME: no cache").isNull();
    assertThat(ApiVersionCache.in(Map.of("HOME", "/home/u")).file())
        .isEqualTo(Path.of("/home/u/.cache/forceflux/api-versions.properties"));
    assertThat(ApiVersionCache.in(Map.of("XDG_CACHE_HOME", "/c", "HOME", "/home/u")).file())
        .isEqualTo(Path.of("/c/forceflux/api-versions.properties"));
  }
}
