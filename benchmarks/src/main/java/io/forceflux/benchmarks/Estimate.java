package io.forceflux.benchmarks;

import java.util.Locale;

/**
 * A score with its error and unit, and the arithmetic the summary does on scores: ratios whose relative errors
 * add, and verdicts against a target that take the error into account.
 *
 * <p>Errors are JMH's 99.9% confidence half-widths ({@code scoreError}); {@code NaN} when JMH had fewer than three
 * iterations to estimate one.
 */
record Estimate(double value, double error, String unit) {

  /** This ÷ that; relative errors add. */
  Estimate over(Estimate that) {
    double ratio = value / that.value;
    double relative = Math.abs(error / value) + Math.abs(that.error / that.value);
    return new Estimate(ratio, Math.abs(ratio) * relative, "");
  }

  /** Whether this is at least {@code target}, given its error. */
  String atLeast(double target) {
    if (Double.isNaN(error)) {
      return value >= target ? "met (no error estimate)" : "not met (no error estimate)";
    }
    if (value - error >= target) {
      return "**met**";
    }
    if (value + error < target) {
      return "**not met**";
    }
    return "inconclusive at this precision (the interval spans " + num(target) + ")";
  }

  String format() {
    String unit = this.unit.isEmpty() ? "" : " " + this.unit;
    return num(value) + " ± " + num(error) + unit;
  }

  /** Three significant digits, thousands separated; 0 for values below 1e-3 of a unit; {@code n/a} for NaN. */
  static String num(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a < 1e-3) {
      return "0";
    }
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    int decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
