package io.forceflux.testkit;

/** Which requests a {@link Fault} may hit. The {@code /__sim/} control endpoints are never faulted. */
public enum FaultTarget {
  /**
   * The OAuth endpoints: {@code /services/oauth2/*} (token, introspect, revoke) and the identity URLs
   * {@code /id/*}.
   */
  TOKEN,
  /** The APIs: {@code /services/data/*} (REST) and {@code /services/Soap/*} (SOAP, including SOAP login). */
  API,
  /** Both of the above. */
  ANY
}
