package io.forceflux.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * One kind of misbehaviour the fake org can inject, created by the static factories below and registered with
 * {@link Faults}. Immutable. The {@link Phase} defaults to {@link Phase#BEFORE}; {@link #withPhase(Phase)} makes a
 * copy that strikes after the request ran.
 *
 * <pre>{@code
 * org.faults().next(3, FaultTarget.TOKEN, Fault.serverUnavailable());
 * org.faults().next(1, FaultTarget.API, Fault.connectionReset().withPhase(Phase.AFTER)); // write runs, reply lost
 * }</pre>
 */
public final class Fault {

  /** The 503 JSON body Salesforce sends when it is overloaded. */
  static final String SERVER_UNAVAILABLE_BODY =
      "[{\"message\":\"Server too busy\",\"errorCode\":\"SERVER_UNAVAILABLE\"}]";
  /** A maintenance/CDN page: Salesforce answers some 503s with HTML, not JSON. */
  static final String MAINTENANCE_HTML = "<!DOCTYPE html>\n<html><head><title>Service Not Available</title></head>"
      + "<body><h1>Service Not Available</h1><p>We are down for maintenance. This error originated from "
      + "Salesforce CDN partner.</p></body></html>\n";
  static final String UNKNOWN_EXCEPTION_BODY = "[{\"message\":\"An unexpected error occurred. Please include this "
      + "ErrorId if you contact support: 1234567890-12345 (-1234567890)\",\"errorCode\":\"UNKNOWN_EXCEPTION\"}]";
  static final String UNABLE_TO_LOCK_ROW_BODY = "[{\"message\":\"unable to obtain exclusive access to this record\","
      + "\"errorCode\":\"UNABLE_TO_LOCK_ROW\",\"fields\":[]}]";
  static final String JSON = "application/json;charset=UTF-8";
  static final String HTML = "text/html;charset=UTF-8";

  enum Kind { LATENCY, STATUS, CONNECTION_RESET, MALFORMED_JSON, TRUNCATED_BODY }

  private final Kind kind;
  private final Phase phase;
  private final Duration latency;
  private final int status;
  private final String body;
  private final String contentType;

  private Fault(Kind kind, Phase phase, Duration latency, int status, String body, String contentType) {
    this.kind = kind;
    this.phase = phase;
    this.latency = latency;
    this.status = status;
    this.body = body;
    this.contentType = contentType;
  }

  /**
   * Holds the request for {@code delay} of real time (a non-blocking timer), then processes it normally.
   *
   * @param delay zero or positive
   * @return the fault
   */
  public static Fault latency(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    return new Fault(Kind.LATENCY, Phase.BEFORE, delay, 0, "", "");
  }

  /**
   * Answers with a fixed status, body and content type.
   *
   * @param status an HTTP status, 100 to 599
   * @param body the body, sent as UTF-8
   * @param contentType the {@code Content-Type} header
   * @return the fault
   */
  public static Fault status(int status, String body, String contentType) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be 100..599: " + status);
    }
    return new Fault(Kind.STATUS, Phase.BEFORE, Duration.ZERO, status,
        Objects.requireNonNull(body, "body"), Objects.requireNonNull(contentType, "contentType"));
  }

  /**
   * {@code 503} with {@code [{"message":"Server too busy","errorCode":"SERVER_UNAVAILABLE"}]}.
   *
   * @return the fault
   */
  public static Fault serverUnavailable() {
    return status(503, SERVER_UNAVAILABLE_BODY, JSON);
  }

  /**
   * {@code 503} with an HTML maintenance page ({@code text/html}), as Salesforce's CDN sends during maintenance.
   *
   * @return the fault
   */
  public static Fault serverUnavailableHtml() {
    return status(503, MAINTENANCE_HTML, HTML);
  }

  /**
   * {@code 500} with {@code [{"message":"An unexpected error occurred. ...","errorCode":"UNKNOWN_EXCEPTION"}]}.
   *
   * @return the fault
   */
  public static Fault internalServerError() {
    return status(500, UNKNOWN_EXCEPTION_BODY, JSON);
  }

  /**
   * {@code 400} with {@code [{"message":"unable to obtain exclusive access to this record",
   * "errorCode":"UNABLE_TO_LOCK_ROW","fields":[]}]}.
   *
   * @return the fault
   */
  public static Fault unableToLockRow() {
    return status(400, UNABLE_TO_LOCK_ROW_BODY, JSON);
  }

  /**
   * Closes the connection with a TCP reset and no response at all.
   *
   * @return the fault
   */
  public static Fault connectionReset() {
    return new Fault(Kind.CONNECTION_RESET, Phase.BEFORE, Duration.ZERO, 0, "", "");
  }

  /**
   * {@code 200 application/json} whose body is cut off in the middle of a JSON value.
   *
   * @return the fault
   */
  public static Fault malformedJson() {
    return new Fault(Kind.MALFORMED_JSON, Phase.BEFORE, Duration.ZERO, 200,
        "{\"totalSize\":3,\"done\":true,\"records\":[{\"attributes\":{\"type\":\"Acc", JSON);
  }

  /**
   * {@code 200 application/json} announcing a {@code Content-Length} larger than what is sent; the connection is
   * then closed.
   *
   * @return the fault
   */
  public static Fault truncatedBody() {
    return new Fault(Kind.TRUNCATED_BODY, Phase.BEFORE, Duration.ZERO, 200,
        "{\"totalSize\":3,\"done\":true,\"records\":[", JSON);
  }

  /**
   * A copy of this fault that strikes in {@code phase}.
   *
   * @param phase {@link Phase#BEFORE} (the default) or {@link Phase#AFTER}
   * @return the copy
   */
  public Fault withPhase(Phase phase) {
    return new Fault(kind, Objects.requireNonNull(phase, "phase"), latency, status, body, contentType);
  }

  /**
   * When this fault strikes.
   *
   * @return the phase
   */
  public Phase phase() {
    return phase;
  }

  Kind kind() {
    return kind;
  }

  Duration latency() {
    return latency;
  }

  int status() {
    return status;
  }

  byte[] body() {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  String contentType() {
    return contentType;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case LATENCY -> "Fault[latency " + latency + ", " + phase + "]";
      case STATUS -> "Fault[status " + status + " " + contentType + ", " + phase + "]";
      default -> "Fault[" + kind + ", " + phase + "]";
    };
  }
}
