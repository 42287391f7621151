package io.forceflux.reactor.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Paths#isTrusted} is a hand-written one-pass scan (it runs for every record of every page); this pins it to
 * the plain definition: the prefix, 1 to 2,000 safe characters, no "//", no dot segment.
 */
class PathsTrustPropertyTests {
  private static final Pattern SAFE_PATH = Pattern.compile("/services/data/[A-Za-z0-9._~\\-/]{1,2000}");

  private static boolean reference(String url) {
    if (!SAFE_PATH.matcher(url).matches() || url.contains("//")) {
      return false;
    }
    for (String segment : url.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  @Property(tries = 20_000)
  void agreesWithTheDefinition(@ForAll("urls") String url) {
    assertThat(Paths.isTrusted(url)).as(url).isEqualTo(reference(url));
    char[] padded = ("xx" + url + "yy").toCharArray();
    assertThat(Paths.isTrusted(padded, 2, url.length())).as("in a buffer: " + url).isEqualTo(reference(url));
  }

  @Provide
  Arbitrary<String> urls() {
    Arbitrary<String> tail = Arbitraries.strings().withChars("aZ09._~-/%?#@:\\ ").ofMinLength(0).ofMaxLength(12);
    Arbitrary<String> prefix = Arbitraries.of("/services/data/", "/services/data", "/services/dat/", "//services/data/",
        "https://evil/services/data/", "");
    return Combinators.combine(prefix, tail).as(String::concat);
  }

  @Example
  void lengthBoundsAndDotSegments() {
    String base = "/services/data/";
    assertThat(Paths.isTrusted(base)).isFalse();
    assertThat(Paths.isTrusted(base + "a".repeat(2_000))).isTrue();
    assertThat(Paths.isTrusted(base + "a".repeat(2_001))).isFalse();
    assertThat(Paths.isTrusted(base + "v67.0/query/0r8-2000")).isTrue();
    assertThat(Paths.isTrusted(base + "v67.0/../../x")).isFalse();
    assertThat(Paths.isTrusted(base + "v67.0/.")).isFalse();
    assertThat(Paths.isTrusted(base + "v67.0/")).isTrue();
    assertThat(Paths.isTrusted(base + "/evil.com/x")).isFalse();
  }
}
