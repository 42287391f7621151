package io.forceflux.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README shows the example that the build compiles and runs, character for character. */
class ReadmeExampleTests {

  private static final Path ROOT = Path.of(System.getProperty("user.dir"), "..", "..").normalize();

  @Test
  void theReadmeShowsTheExampleThatTheBuildRuns() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String example = Files.readString(
        Path.of("src", "it", "readme-example", "src", "main", "java", "com", "example", "FirstQuery.java"));

    assertThat(readme).contains("```java\n" + example + "```\n");
  }

  @Test
  void theReadmeShowsTheExamplesDependencies() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));

    assertThat(readme).contains("<artifactId>forceflux-bom</artifactId>", "<artifactId>forceflux-reactor</artifactId>",
        "implementation(platform(\"io.forceflux:forceflux-bom:", "implementation(\"io.forceflux:forceflux-reactor\")");
  }
}
