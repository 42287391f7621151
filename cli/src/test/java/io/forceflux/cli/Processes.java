package io.forceflux.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts the forceflux main class in a JVM of its own, on the test classpath. */
final class Processes {
  private Processes() {}

  static ProcessBuilder forceflux(List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ForceFlux.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  static File tempLog(String name) {
    try {
      File f = File.createTempFile("forceflux-" + name, ".log");
      f.deleteOnExit();
      return f;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
