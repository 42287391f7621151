package io.forceflux.reactor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@link FleetReplica} in a child JVM, driven over its stdin/stdout; every wait is bounded. */
final class FleetChild implements AutoCloseable {
  private static final Pattern DONE = Pattern.compile("done (\\d+) failed=(\\d+)(.*)");

  private final Process process;
  private final PrintWriter stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Path stderr;
  /** The failure reasons of the last awaited round ("3x SalesforceException: ..."), empty when none failed. */
  volatile String lastReasons = "";

  private FleetChild(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        lines.add("eof " + e.getClass().getSimpleName());
      }
      lines.add("eof");
    }, "fleet-child-stdout-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code java -cp <this classpath> FleetReplica <settings>} and waits (bounded) for "ready". */
  static FleetChild start(FleetReplica.Settings settings) {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), FleetReplica.class.getName()));
    command.addAll(settings.args());
    try {
      Path err = Files.createTempFile("forceflux-fleet-child-", ".err");
      Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
      FleetChild child = new FleetChild(p, err);
      child.expect("ready", Duration.ofSeconds(30));
      return child;
    } catch (IOException e) {
      throw new AssertionError("could not start a child JVM", e);
    }
  }

  long pid() {
    return process.pid();
  }

  /** Tells it to run a round of {@code requests} concurrent requests; see {@link #awaitRound}. */
  void startRound(int round, int requests) {
    stdin.println("round " + round + " " + requests);
  }

  /** Waits (bounded) for the round's report; returns its failed count. */
  long awaitRound(int round, Duration bound) {
    String line = expect("done " + round + " ", bound);
    Matcher m = DONE.matcher(line);
    if (!m.matches()) {
      throw new AssertionError("unexpected report from child " + pid() + ": " + line);
    }
    long failed = Long.parseLong(m.group(2));
    lastReasons = m.group(3).strip();
    if (failed > 0) {
      System.err.println("child " + pid() + " round " + round + ":" + m.group(3));
    }
    return failed;
  }

  /** SIGKILL, as {@code kill -9}: no shutdown hooks, no lease release. */
  void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new AssertionError("child " + pid() + " survived SIGKILL for 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String expect(String prefix, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      String line;
      try {
        line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
      if (line == null) {
        throw new AssertionError("child " + pid() + " did not print '" + prefix + "…' within " + bound + "; stderr: "
            + stderrTail());
      }
      if (line.startsWith("eof")) {
        throw new AssertionError("child " + pid() + " exited before printing '" + prefix + "…'; stderr: "
            + stderrTail());
      }
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  private String stderrTail() {
    try {
      String text = Files.readString(stderr);
      return text.length() > 3_000 ? text.substring(text.length() - 3_000) : text;
    } catch (IOException e) {
      return "(unreadable)";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stdin.println("quit");
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
