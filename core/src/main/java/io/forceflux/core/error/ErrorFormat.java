package io.forceflux.core.error;

/** What kind of body an error arrived in. */
public enum ErrorFormat {
  /** REST JSON array {@code [{"message","errorCode","fields"}]} (or a single such object). */
  REST_JSON,
  /** REST XML {@code <Errors><Error><errorCode/><message/></Error></Errors>}. */
  REST_XML,
  /** OAuth {@code {"error","error_description"}}. */
  OAUTH,
  /** SOAP fault (faultcode, faultstring, detail). */
  SOAP_FAULT,
  /** Bulk API 1.0 {@code <error><exceptionCode/><exceptionMessage/></error>}. */
  BULK_XML,
  /** An HTML page (maintenance, CDN, proxy). */
  HTML,
  /** No body at all. */
  EMPTY,
  /** Anything else: garbled, truncated or of an unknown shape. */
  UNPARSEABLE
}
