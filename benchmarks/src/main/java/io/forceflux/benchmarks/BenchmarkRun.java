package io.forceflux.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One JMH result: a benchmark method or group with one set of parameters, as {@link JmhResults} reads it.
 *
 * @param benchmarkClass the simple name of the benchmark class
 * @param method the method or group name
 * @param secondary each secondary metric (JMH sums {@code EVENTS} counters over the iterations)
 * @param secondaryRaw each secondary metric per measured iteration, forks one after the other
 */
record BenchmarkRun(String benchmarkClass, String method, String mode, int threads, int forks, int warmupIterations,
    String warmupTime, int warmupBatch, int measurementIterations, String measurementTime, int measurementBatch,
    List<String> jvmArgs, Map<String, String> params, Estimate primary, List<Double> primaryRaw,
    Map<String, Estimate> secondary, Map<String, List<Double>> secondaryRaw, String jmhVersion, String vmName,
    String vmVersion) {

  Optional<Estimate> secondary(String name) {
    return Optional.ofNullable(secondary.get(name));
  }

  /** The method or group name without a {@code _2threads}-style suffix. */
  String contender() {
    int underscore = method.indexOf('_');
    return underscore < 0 ? method : method.substring(0, underscore);
  }

  String param(String name) {
    return params.getOrDefault(name, "");
  }

  /** A counter divided by another, per measured iteration; empty when either was not measured. */
  double[] perIteration(String counter, String divisor) {
    List<Double> values = secondaryRaw.getOrDefault(counter, List.of());
    List<Double> divisors = secondaryRaw.getOrDefault(divisor, List.of());
    if (values.isEmpty() || values.size() != divisors.size()) {
      return new double[0];
    }
    double[] per = new double[values.size()];
    for (int i = 0; i < per.length; i++) {
      per[i] = divisors.get(i) == 0 ? Double.NaN : values.get(i) / divisors.get(i);
    }
    return per;
  }

  String warmup() {
    return iterations(warmupIterations, warmupTime, warmupBatch);
  }

  String measurement() {
    return iterations(measurementIterations, measurementTime, measurementBatch);
  }

  boolean sameSettings(BenchmarkRun o) {
    return mode.equals(o.mode) && warmup().equals(o.warmup()) && measurement().equals(o.measurement())
        && forks == o.forks && jvmArgs.equals(o.jvmArgs);
  }

  private String iterations(int n, String time, int batch) {
    if (n == 0) {
      return "none";
    }
    return mode.equals("ss") ? n + " × " + batch + " invocation" + (batch == 1 ? "" : "s") : n + " × " + time;
  }
}
