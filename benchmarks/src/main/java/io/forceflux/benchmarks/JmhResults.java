package io.forceflux.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the JSON files JMH writes with {@code -rf json} into {@link BenchmarkRun}s. */
final class JmhResults {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PACKAGE = JmhResults.class.getPackageName() + ".";

  private JmhResults() {
  }

  /** The {@code *.json} files of a directory, in name order. */
  static List<Path> files(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> json = Files.newDirectoryStream(dir, "*.json")) {
      json.forEach(files::add);
    }
    files.sort(null);
    return files;
  }

  /** Every result of one file; none (with a note on stderr) when the file is not a JMH result array. */
  static List<BenchmarkRun> read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    }
  }

  static List<BenchmarkRun> read(InputStream in, String name) {
    JsonNode root = JSON.readTree(in);
    List<BenchmarkRun> list = new ArrayList<>();
    if (root == null || !root.isArray()) {
      System.err.println("skipping " + name + ": not a JMH JSON result array");
      return list;
    }
    for (JsonNode n : root) {
      list.add(run(n));
    }
    return list;
  }

  private static BenchmarkRun run(JsonNode n) {
    String benchmark = n.path("benchmark").asString();
    String simple = benchmark.startsWith(PACKAGE) ? benchmark.substring(PACKAGE.length()) : benchmark;
    int dot = simple.lastIndexOf('.');
    Map<String, String> params = new TreeMap<>();
    n.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asString()));
    Map<String, Estimate> secondary = new LinkedHashMap<>();
    Map<String, List<Double>> secondaryRaw = new LinkedHashMap<>();
    n.path("secondaryMetrics").properties().forEach(e -> {
      secondary.put(e.getKey(), estimate(e.getValue()));
      secondaryRaw.put(e.getKey(), flatten(e.getValue().path("rawData")));
    });
    List<String> jvmArgs = new ArrayList<>();
    n.path("jvmArgs").forEach(a -> jvmArgs.add(a.asString()));
    JsonNode primary = n.path("primaryMetric");
    return new BenchmarkRun(simple.substring(0, Math.max(dot, 0)), simple.substring(dot + 1),
        n.path("mode").asString(), n.path("threads").asInt(1), n.path("forks").asInt(),
        n.path("warmupIterations").asInt(), n.path("warmupTime").asString(), n.path("warmupBatchSize").asInt(1),
        n.path("measurementIterations").asInt(), n.path("measurementTime").asString(),
        n.path("measurementBatchSize").asInt(1), jvmArgs, params, estimate(primary),
        flatten(primary.path("rawData")), secondary, secondaryRaw, n.path("jmhVersion").asString(),
        n.path("vmName").asString(), n.path("vmVersion").asString());
  }

  private static Estimate estimate(JsonNode metric) {
    return new Estimate(number(metric.path("score")), number(metric.path("scoreError")),
        metric.path("scoreUnit").asString());
  }

  private static List<Double> flatten(JsonNode raw) {
    List<Double> values = new ArrayList<>();
    raw.forEach(fork -> fork.forEach(v -> values.add(number(v))));
    return values;
  }

  /** JMH writes {@code "NaN"} as a string where it has no estimate. */
  private static double number(JsonNode node) {
    if (node.isNumber()) {
      return node.asDouble();
    }
    try {
      return Double.parseDouble(node.asString());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
