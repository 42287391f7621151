package io.forceflux.cli;

/** How secrets and identifiers appear in output: never whole. */
final class Masking {
  private Masking() {}

  /**
   * At most the first three and the last four characters, e.g. {@code 00D…abcd}; short values show nothing of
   * themselves ({@code …}).
   */
  static String mask(String value) {
    if (value.length() < 16) {
      return "…";
    }
    return value.substring(0, 3) + "…" + value.substring(value.length() - 4);
  }
}
