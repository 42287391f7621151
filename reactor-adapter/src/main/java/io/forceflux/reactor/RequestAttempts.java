package io.forceflux.reactor;

import io.forceflux.core.auth.AccessToken;
import org.jspecify.annotations.Nullable;

/**
 * One request's bookkeeping in {@link SessionRecoveryFilter}; a request's attempts run one after another, never
 * concurrently.
 */
final class RequestAttempts {
  int count;
  int sessionRejections;
  int freshRejections;
  int transientRetries;
  long startedMillis;
  long rejectionEpoch;
  boolean progress;
  @Nullable AccessToken firstToken;
  @Nullable AccessToken lastRejected;
}
