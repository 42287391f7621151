package io.forceflux.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs the forceflux command in-process with captured stdout and stderr. */
final class Cli {
  private Cli() {}

  record Run(int exitCode, String out, String err) {
    String all() {
      return out + "\n" + err;
    }
  }

  static Run run(String... args) {
    return run(Map.of(), args);
  }

  static Run run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ForceFlux.commandLine(new ForceFlux(env, false), new PrintWriter(out, true), new PrintWriter(err, true))
        .execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
