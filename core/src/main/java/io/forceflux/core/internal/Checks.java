package io.forceflux.core.internal;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The argument checks every ForceFlux builder runs in {@code build()} (and every factory when it is called), so
 * that one kind of mistake reads the same everywhere: {@code "<option> is out of range <min>..<max>: <value>"}.
 * Each throws {@link IllegalArgumentException} (or {@link NullPointerException} for a missing value) when the
 * chain is assembled, never inside it.
 */
public final class Checks {
  private Checks() {}

  /**
   * @throws IllegalArgumentException {@code "<option> is out of range: <value>"} unless {@code ok}
   */
  public static void check(boolean ok, String option, @Nullable Object value) {
    if (!ok) {
      throw new IllegalArgumentException(option + " is out of range: " + value);
    }
  }

  /**
   * @return {@code value}
   * @throws IllegalArgumentException {@code "<option> is out of range <min>..<max>: <value>"} unless
   *     {@code min <= value <= max}
   */
  public static int inRange(int value, int min, int max, String option) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(option + " is out of range " + min + ".." + max + ": " + value);
    }
    return value;
  }

  /**
   * @return {@code value}
   * @throws IllegalArgumentException {@code "<option> is out of range <min>..<max>: <value>"} unless
   *     {@code min <= value <= max}
   */
  public static long inRange(long value, long min, long max, String option) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(option + " is out of range " + min + ".." + max + ": " + value);
    }
    return value;
  }

  /**
   * @return {@code value}
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException {@code "<option> is out of range <min>..<max>: <value>"} unless
   *     {@code min <= value <= max}
   */
  public static Duration inRange(Duration value, Duration min, Duration max, String option) {
    Objects.requireNonNull(value, option);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(option + " is out of range " + min + ".." + max + ": " + value);
    }
    return value;
  }

  /**
   * @return {@code value}
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalArgumentException {@code "<what> must not be blank"} if it is empty or only whitespace
   */
  public static String requireText(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }
}
