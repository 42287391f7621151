package io.forceflux.reactor;

import org.jspecify.annotations.Nullable;

/**
 * A shared-store operation failed or timed out, or the lease holder took too long; never escapes
 * {@link SharedRefresher}.
 */
final class StoreFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final boolean waitExpired;

  StoreFailure(@Nullable Throwable cause, boolean waitExpired) {
    super(cause == null ? "lease holder took too long" : cause.getClass().getSimpleName(), cause, false, false);
    this.waitExpired = waitExpired;
  }
}
