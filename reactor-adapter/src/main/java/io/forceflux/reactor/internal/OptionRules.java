package io.forceflux.reactor.internal;

import io.forceflux.core.internal.Checks;

/** Option rules shared by builders in different packages, so that each is written once with one message. */
public final class OptionRules {
  private OptionRules() {}

  /** {@code freshRejectionLimit}: 1..10 rejections of tokens obtained after a request started. */
  public static int freshRejectionLimit(int limit) {
    return Checks.inRange(limit, 1, 10, "freshRejectionLimit");
  }
}
