package io.forceflux.testkit;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response the fake org is about to send, or a transport-level fault to act out instead. */
final class Reply {

  enum Kind { NORMAL, CONNECTION_RESET, TRUNCATED }

  static final String JSON = "application/json;charset=UTF-8";
  static final String XML = "text/xml;charset=UTF-8";

  final Kind kind;
  final int status;
  final Map<String, String> headers = new LinkedHashMap<>();
  final byte[] body;
  /** Whether the request ran (passed authentication and limits), which arms {@link Phase#AFTER} faults. */
  boolean executed;

  private Reply(Kind kind, int status, byte[] body) {
    this.kind = kind;
    this.status = status;
    this.body = body;
  }

  static Reply of(int status, String contentType, byte[] body) {
    Reply reply = new Reply(Kind.NORMAL, status, body);
    if (!contentType.isEmpty()) {
      reply.headers.put("Content-Type", contentType);
    }
    return reply;
  }

  static Reply json(int status, String body) {
    return of(status, JSON, body.getBytes(StandardCharsets.UTF_8));
  }

  static Reply json(int status, byte[] body) {
    return of(status, JSON, body);
  }

  static Reply xml(int status, String body) {
    return of(status, XML, body.getBytes(StandardCharsets.UTF_8));
  }

  static Reply noContent() {
    return new Reply(Kind.NORMAL, 204, new byte[0]);
  }

  /** A REST error array with one entry, fields in the order Salesforce sends them. */
  static Reply restError(int status, String errorCode, String message) {
    return json(status, "[{\"message\":" + FakeJson.quote(message) + ",\"errorCode\":" + FakeJson.quote(errorCode)
        + "}]");
  }

  static Reply fault(Fault fault) {
    return switch (fault.kind()) {
      case CONNECTION_RESET -> new Reply(Kind.CONNECTION_RESET, 0, new byte[0]);
      case TRUNCATED_BODY -> {
        Reply reply = new Reply(Kind.TRUNCATED, fault.status(), fault.body());
        reply.headers.put("Content-Type", fault.contentType());
        yield reply;
      }
      default -> of(fault.status(), fault.contentType(), fault.body());
    };
  }

  Reply header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  Reply markExecuted() {
    executed = true;
    return this;
  }
}
