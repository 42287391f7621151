package io.forceflux.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes {@code SUMMARY.md} from the JMH JSON files in a results directory: one table per benchmark, each
 * ForceFlux-versus-peer ratio computed from the same run with its error, the JMH settings, the JDK and the machine.
 *
 * <p>Usage: {@code Summary <results-dir> [--mode quick|full] [--note TEXT] [--failed NAME]...}. Reads every
 * {@code *.json} in the directory (several files of one benchmark are merged), and {@code jdk.txt} and
 * {@code machine.txt} when present (run.sh writes them). {@link JmhResults} reads the files, {@link Estimate}
 * does the ratio arithmetic and {@link SummaryMarkdown} writes the document; it fails (exit status 1) when a
 * benchmark's results lack a contender the summary compares, as after a rename.
 */
public final class Summary {

  private Summary() {
  }

  /**
   * Entry point.
   *
   * @param args the results directory, then optionally {@code --mode quick|full}, {@code --note TEXT} and
   *     {@code --failed NAME} (repeatable: benchmarks that threw)
   * @throws IOException if the directory or a file cannot be read, or SUMMARY.md cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: Summary <results-dir> [--mode quick|full] [--note TEXT] [--failed NAME]...");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    String mode = "";
    String note = "";
    List<String> failed = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--mode") && i + 1 < args.length) {
        mode = args[++i];
      } else if (args[i].equals("--note") && i + 1 < args.length) {
        note = args[++i];
      } else if (args[i].equals("--failed") && i + 1 < args.length) {
        failed.add(args[++i]);
      } else {
        System.err.println("unknown argument: " + args[i]);
        System.exit(2);
      }
    }
    List<Path> files = JmhResults.files(dir);
    List<BenchmarkRun> runs = new ArrayList<>();
    for (Path file : files) {
      runs.addAll(JmhResults.read(file));
    }
    SummaryMarkdown.Header header = new SummaryMarkdown.Header(ZonedDateTime.now(ZoneOffset.UTC), mode, note, failed,
        files.stream().map(f -> f.getFileName().toString()).toList(), text(dir.resolve("jdk.txt")),
        text(dir.resolve("machine.txt")));
    String markdown;
    try {
      markdown = new SummaryMarkdown(runs).write(header);
    } catch (SummaryMarkdown.MissingResultException e) {
      System.err.println("no summary written: " + e.getMessage());
      System.exit(1);
      return;
    }
    Path target = dir.resolve("SUMMARY.md");
    Files.writeString(target, markdown, StandardCharsets.UTF_8);
    System.out.println("wrote " + target + " from " + runs.size() + " results in " + files.size() + " files");
  }

  private static @Nullable String text(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
  }
}
