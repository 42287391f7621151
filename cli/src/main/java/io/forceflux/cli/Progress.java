package io.forceflux.cli;

import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jspecify.annotations.Nullable;

/**
 * A progress bar on stderr (me.tongfei progressbar), or nothing: shown when stderr is a terminal or when forced
 * with {@code --progress}; {@code --no-progress} hides it.
 */
final class Progress implements AutoCloseable {
  private static final int WIDTH = 120;

  private final @Nullable ProgressBar bar;

  private Progress(@Nullable ProgressBar bar) {
    this.bar = bar;
  }

  /**
   * @param forced {@code --progress} (true), {@code --no-progress} (false) or neither (null: only on a terminal)
   * @param max the expected count, or -1 when unknown
   */
  static Progress on(PrintWriter err, @Nullable Boolean forced, boolean terminal, String task, long max, String unit) {
    boolean show = forced != null ? forced : terminal;
    if (!show) {
      return new Progress(null);
    }
    ProgressBar bar = new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(max)
        .setStyle(terminal ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
        .setUnit(unit, 1)
        .showSpeed()
        .setSpeedUnit(ChronoUnit.SECONDS)
        .setUpdateIntervalMillis(200)
        .setConsumer(new StderrConsumer(err))
        .build();
    return new Progress(bar);
  }

  /** Makes progress bars with the same settings. */
  @FunctionalInterface
  interface Factory {
    Progress start(String task, long max, String unit);
  }

  static Factory factory(PrintWriter err, @Nullable Boolean forced, boolean terminal) {
    return (task, max, unit) -> on(err, forced, terminal, task, max, unit);
  }

  boolean shown() {
    return bar != null;
  }

  void stepBy(long n) {
    if (bar != null) {
      bar.stepBy(n);
    }
  }

  void extra(String message) {
    if (bar != null) {
      bar.setExtraMessage(" " + message);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }

  /** Renders the library's line on our stderr writer (so captured stderr in tests sees it too). */
  private static final class StderrConsumer implements ProgressBarConsumer {
    private final PrintWriter err;

    StderrConsumer(PrintWriter err) {
      this.err = err;
    }

    @Override
    public int getMaxRenderedLength() {
      return WIDTH;
    }

    @Override
    public void accept(String rendered) {
      err.print('\r');
      err.print(rendered);
      err.flush();
    }

    @Override
    public void close() {
      err.println();
      err.flush();
    }
  }
}
