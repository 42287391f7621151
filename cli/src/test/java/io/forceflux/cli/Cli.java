package io.forceflux.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    StringWriter err = new StringWriter();
    int code = ForceFlux.commandLine(new ForceFlux(env, false, stdout), out, new PrintWriter(err, true))
        .execute(args);
    out.flush();
    return new Run(code, stdout.toString(StandardCharsets.UTF_8), err.toString());
  }
}
