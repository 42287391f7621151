package io.forceflux.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The recorded Salesforce bodies, {@code src/test-fixtures/salesforce-recorded} in the repository, which the
 * build puts on every module's test classpath under {@code salesforce-recorded/}.
 */
public final class Fixtures {
  private static final String RESOURCE = "/salesforce-recorded/SOURCES.md";
  private static final Pattern STATUS_IN_NAME = Pattern.compile("-(\\d{3})-");
  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/\\d(?:\\.\\d)?\\s+(\\d{3}).*");
  private static final Pattern HEADER = Pattern.compile("([A-Za-z0-9-]+):\\s?(.*)");

  private static volatile Path dir;

  private Fixtures() {}

  /**
   * A recorded response.
   *
   * @param name the file name
   * @param status the status line's code for {@code .http} files; else the {@code -NNN-} in the name (SOAP
   *     faults without one are 500, as Salesforce sends them)
   * @param contentType the {@code Content-Type} header, or one implied by the file extension
   * @param headers the recorded headers, names lower-cased (empty unless {@code .http})
   * @param body the body bytes
   */
  public record Recorded(String name, int status, String contentType, Map<String, String> headers, byte[] body) {
    /** The body as UTF-8 text. */
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** The fixture directory. */
  public static Path dir() {
    Path found = dir;
    if (found == null) {
      found = locate();
      dir = found;
    }
    return found;
  }

  /** The names of every fixture file (not SOURCES.md), sorted. */
  public static List<String> names() {
    try (Stream<Path> files = Files.list(dir())) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals("SOURCES.md"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixture's raw bytes. */
  public static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(dir().resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixture as a response: {@code .http} files are split into status, headers and body. */
  public static Recorded load(String name) {
    byte[] raw = bytes(name);
    if (name.endsWith(".http")) {
      return splitHttp(name, new String(raw, StandardCharsets.UTF_8));
    }
    return new Recorded(name, statusFromName(name), contentTypeFor(name), Map.of(), raw);
  }

  /**
   * Splits a recorded HTTP response: a status line, headers, a blank line (missing in some recordings, where
   * the body starts at the first line that is not a header), then the body.
   */
  static Recorded splitHttp(String name, String text) {
    String[] lines = text.split("\r?\n", -1);
    Matcher status = STATUS_LINE.matcher(lines[0].strip());
    if (!status.matches()) {
      throw new IllegalArgumentException(name + ": no HTTP status line: " + lines[0]);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    int i = 1;
    while (i < lines.length) {
      String line = lines[i];
      if (line.isBlank()) {
        i++;
        break;
      }
      Matcher header = HEADER.matcher(line);
      if (!header.matches()) {
        break; // no blank line: the body starts here
      }
      headers.put(header.group(1).toLowerCase(Locale.ROOT), header.group(2).strip());
      i++;
    }
    String body = String.join("\n", List.of(lines).subList(i, lines.length));
    String contentType = headers.getOrDefault("content-type", contentTypeFor(name));
    return new Recorded(name, Integer.parseInt(status.group(1)), contentType, Map.copyOf(headers),
        body.getBytes(StandardCharsets.UTF_8));
  }

  private static int statusFromName(String name) {
    Matcher m = STATUS_IN_NAME.matcher(name);
    if (m.find()) {
      return Integer.parseInt(m.group(1));
    }
    if (name.startsWith("soap-fault-")) {
      return 500;
    }
    throw new IllegalArgumentException(name + ": no status in the file name");
  }

  private static String contentTypeFor(String name) {
    if (name.endsWith(".xml")) {
      return "text/xml;charset=UTF-8";
    }
    if (name.endsWith(".json") || name.endsWith(".http")) {
      return "application/json;charset=UTF-8";
    }
    return "text/plain";
  }

  private static Path locate() {
    URL sources = Fixtures.class.getResource(RESOURCE);
    if (sources == null) {
      throw new IllegalStateException("no " + RESOURCE + " on the test classpath: the build copies "
          + "src/test-fixtures into every module's test resources");
    }
    try {
      URI uri = sources.toURI();
      if ("jar".equals(uri.getScheme())) {
        try {
          FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException alreadyOpen) {
          // another fixture reader opened the jar first; Path.of finds its file system
        }
      }
      return Path.of(uri).getParent();
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot read the fixtures at " + sources, e);
    }
  }
}
