package io.forceflux.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Which {@code redis-server} {@link RedisServer} runs: the one on the {@code PATH}, else the binary for this
 * operating system and architecture inside the {@code embedded-redis} jar, copied once into the temporary
 * directory (by a write to a private file and an atomic rename, so parallel test JVMs never run a half-written
 * copy).
 */
final class RedisBinary {

  private static final String EMBEDDED_VERSION = "6.2.6-v5";

  private static volatile @Nullable String resolved;

  private RedisBinary() {
  }

  /** The binary's path; resolved, and announced with its version, on first use. */
  static String path() {
    String found = resolved;
    if (found == null) {
      synchronized (RedisBinary.class) {
        found = resolved;
        if (found == null) {
          found = resolve();
          System.out.println("RedisServer: " + found + " (" + version(found) + ")");
          resolved = found;
        }
      }
    }
    return found;
  }

  private static String resolve() {
    String onPath = onPath("redis-server");
    if (onPath != null) {
      return onPath;
    }
    String resource = resourceName();
    try (InputStream in = RedisBinary.class.getResourceAsStream("/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("no redis-server on the PATH and no " + resource + " on the "
            + "classpath: add com.github.codemonstur:embedded-redis (test scope), or install Redis");
      }
      Path dir = Path.of(System.getProperty("java.io.tmpdir"), "forceflux-redis");
      Files.createDirectories(dir);
      Path target = dir.resolve(resource);
      if (Files.isExecutable(target)) {
        return target.toString();
      }
      Path partial = Files.createTempFile(dir, resource, ".part");
      Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
      try {
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
        Files.deleteIfExists(partial); // another JVM put the same bytes there first
      }
      return target.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("could not extract " + resource, e);
    }
  }

  private static String resourceName() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    boolean arm = arch.equals("aarch64") || arch.equals("arm64");
    if (os.contains("linux")) {
      return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-" + EMBEDDED_VERSION + "-linux-amd64";
    }
    if (os.contains("mac")) {
      return "redis-server-" + EMBEDDED_VERSION + (arm ? "-darwin-arm64" : "-darwin-amd64");
    }
    throw new IllegalStateException("no embedded redis-server for " + os + "/" + arch + ": install Redis");
  }

  private static @Nullable String onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  private static String version(String binary) {
    try {
      Process p = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.waitFor(10, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      return "version unknown: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "version unknown";
    }
  }
}
