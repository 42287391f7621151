package io.forceflux.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.tngtech.archunit.core.domain.JavaClass;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins each library module's public API in a checked-in file, {@code <module>/api/<artifactId>.txt}: a change to
 * the public surface fails here until the file is updated, so it shows in review. Update the files with
 * {@code ./mvnw -B -q -pl architecture-tests -am verify -Dforceflux.api.update=true -Dtest=PublicApiTests
 * -Dsurefire.failIfNoSpecifiedTests=false} and commit them with the change.
 */
class PublicApiTests {
  private static final String UPDATE = "forceflux.api.update";

  static Stream<Arguments> modules() {
    return Stream.of(
        Arguments.of("core", "forceflux-core", "io.forceflux.core"),
        Arguments.of("reactor-adapter", "forceflux-reactor", "io.forceflux.reactor"),
        Arguments.of("testkit", "forceflux-testkit", "io.forceflux.testkit"),
        Arguments.of("spring-boot/autoconfigure", "forceflux-spring-boot-autoconfigure",
            "io.forceflux.boot.autoconfigure"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("modules")
  void matchesTheCheckedInApiFile(String module, String artifactId, String rootPackage) throws IOException {
    List<JavaClass> types = new ArrayList<>();
    ForceFluxClasses.MAIN.stream()
        .filter(c -> c.getPackageName().equals(rootPackage) || c.getPackageName().startsWith(rootPackage + "."))
        .forEach(types::add);
    String actual = ApiSignatures.describe(types);
    Path file = root().resolve(module).resolve("api").resolve(artifactId + ".txt");

    if (Boolean.getBoolean(UPDATE)) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    assertThat(file).as("the API file of %s is missing", artifactId).exists();
    String expected = Files.readString(file, StandardCharsets.UTF_8);
    if (!actual.equals(expected)) {
      fail(String.format("The public API of %s changed. If that is intended, rewrite %s with%n"
          + "  ./mvnw -B -q -pl architecture-tests -am verify -D%s=true -Dtest=PublicApiTests "
          + "-Dsurefire.failIfNoSpecifiedTests=false%nand commit it with the change. What changed (- removed, "
          + "+ added):%n%s", artifactId, file, UPDATE, diff(expected, actual)));
    }
  }

  @Test
  void saysWhichMembersWereRemovedAndAdded() {
    String before = "public final class a.B\n  public int size()\n  public void clear()\n";
    String after = "public final class a.B\n  public long size()\n  public void clear()\n";

    assertThat(diff(before, after).lines()).containsExactly(
        "- public int size()    (in public final class a.B)", "+ public long size()    (in public final class a.B)");
  }

  /** The lines only in {@code expected} (-) and only in {@code actual} (+), each under the type it belongs to. */
  static String diff(String expected, String actual) {
    List<String> before = expected.lines().toList();
    List<String> after = actual.lines().toList();
    Set<String> kept = new HashSet<>(before);
    kept.retainAll(after);
    StringBuilder sb = new StringBuilder();
    appendChanges(sb, before, kept, '-');
    appendChanges(sb, after, kept, '+');
    return sb.toString();
  }

  private static void appendChanges(StringBuilder sb, List<String> lines, Set<String> kept, char mark) {
    String type = "";
    for (String line : lines) {
      if (!line.startsWith(" ")) {
        type = line;
      }
      if (!kept.contains(line)) {
        sb.append(mark).append(' ').append(line.startsWith(" ") ? line.strip() + "    (in " + type + ")" : line)
            .append(System.lineSeparator());
      }
    }
  }

  private static Path root() {
    String root = System.getProperty("forceflux.root");
    // Run from an IDE without Maven's property: the working directory is the module's.
    return (root == null ? Path.of("..") : Path.of(root)).toAbsolutePath().normalize();
  }
}
