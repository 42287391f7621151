package io.forceflux.testkit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** The {@code /__sim/} control endpoints (no authentication, never faulted; documented on {@link FakeOrg}). */
final class SimEndpoint {

  private final FakeOrg org;

  SimEndpoint(FakeOrg org) {
    this.org = org;
  }

  Reply handle(Request r) {
    String action = r.path.substring("/__sim/".length());
    try {
      if (r.method.equals("GET")) {
        return switch (action) {
          case "stats" -> Reply.json(200, FakeJson.bytes(org.stats()));
          case "credentials" -> Reply.json(200, FakeJson.bytes(credentials()));
          case "info" -> Reply.json(200, FakeJson.bytes(info()));
          default -> notFound(action);
        };
      }
      if (!r.method.equals("POST")) {
        return Reply.json(405, "{\"error\":\"use POST\"}");
      }
      Map<String, String> q = r.form();
      switch (action) {
        case "expire-sessions" -> org.expireAllSessions();
        case "expire-session" -> {
          return Reply.json(200, "{\"ok\":true,\"expired\":" + org.expireSession(required(q, "token"))
              + "}");
        }
        case "restart-instance" -> org.restartInstance();
        case "revoke" -> org.revokeRefreshTokens();
        case "change-password" -> org.changePassword(required(q, "password"));
        case "sandbox-refresh" -> org.sandboxRefresh();
        case "ip-restricted" -> org.ipRestricted(flag(q));
        case "rest-policy" -> org.restPolicyRestricted(flag(q));
        case "user-active" -> org.userActive(flag(q));
        case "jwt-approved" -> org.jwtUserApproved(flag(q));
        case "daily-limit" -> org.dailyApiLimit(Long.parseLong(required(q, "max")));
        case "api-usage" -> org.apiUsage(Long.parseLong(required(q, "used")));
        case "move-instance" -> org.moveInstance(required(q, "origin"));
        case "issue-refresh-token" -> {
          return Reply.json(200, "{\"refreshToken\":" + FakeJson.quote(org.issueRefreshToken()) + "}");
        }
        case "fault" -> {
          addFault(r);
          return Reply.json(200, "{\"ok\":true,\"activeFaults\":" + org.faults().active() + "}");
        }
        case "clear-faults" -> org.faults().clear();
        case "reset-controls" -> org.resetControls();
        case "reset-stats" -> org.resetStats();
        default -> {
          return notFound(action);
        }
      }
      return Reply.json(200, "{\"ok\":true}");
    } catch (IllegalArgumentException e) {
      return Reply.json(400, "{\"error\":" + FakeJson.quote(String.valueOf(e.getMessage())) + "}");
    }
  }

  private static Reply notFound(String action) {
    return Reply.json(404, "{\"error\":" + FakeJson.quote("no such control: " + action) + "}");
  }

  private static String required(Map<String, String> q, String name) {
    String value = q.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("missing parameter: " + name);
    }
    return value;
  }

  private static boolean flag(Map<String, String> q) {
    String on = q.getOrDefault("on", "true").toLowerCase(Locale.ROOT);
    return switch (on) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new IllegalArgumentException("on must be true or false: " + on);
    };
  }

  private Map<String, Object> credentials() {
    Credentials c = org.credentials();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("loginUrl", org.loginUrl());
    body.put("myDomainUrl", org.myDomainUrl());
    body.put("instanceUrl", org.instanceUrl());
    body.put("clientId", c.clientId());
    body.put("clientSecret", c.clientSecret());
    body.put("username", c.username());
    body.put("password", c.password());
    body.put("securityToken", c.securityToken());
    body.put("refreshToken", c.refreshToken());
    body.put("privateKeyPem", c.privateKeyPem());
    body.put("publicKeyPem", c.publicKeyPem());
    return body;
  }

  private Map<String, Object> info() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("loginUrl", org.loginUrl());
    body.put("myDomainUrl", org.myDomainUrl());
    body.put("instanceUrl", org.instanceUrl());
    body.put("apiVersion", org.apiVersion());
    body.put("orgId", org.orgId());
    body.put("userId", org.userId());
    return body;
  }

  private void addFault(Request r) {
    JsonNode spec = FakeJson.parse(r.body);
    if (spec == null || !spec.isObject()) {
      throw new IllegalArgumentException("the body must be a JSON object describing the fault");
    }
    Fault fault = fault(spec);
    String phase = FakeJson.text(spec, "phase");
    if (phase != null) {
      fault = fault.withPhase(Phase.valueOf(phase.toUpperCase(Locale.ROOT)));
    }
    String targetName = FakeJson.text(spec, "target");
    FaultTarget target = targetName == null ? FaultTarget.ANY
        : FaultTarget.valueOf(targetName.toUpperCase(Locale.ROOT));
    JsonNode fraction = spec.get("fraction");
    if (fraction != null && fraction.isNumber()) {
      JsonNode seed = spec.get("seed");
      org.faults().fraction(fraction.doubleValue(), seed != null && seed.isNumber() ? seed.longValue() : 0L,
          target, fault);
    } else {
      JsonNode count = spec.get("count");
      org.faults().next(count != null && count.isNumber() ? count.intValue() : 1, target, fault);
    }
  }

  private static Fault fault(JsonNode spec) {
    String type = FakeJson.text(spec, "type");
    if (type == null) {
      throw new IllegalArgumentException("missing \"type\"");
    }
    return switch (type) {
      case "status" -> Fault.status(number(spec, "status", 500), textOr(spec, "body", ""),
          textOr(spec, "contentType", "application/json;charset=UTF-8"));
      case "serverUnavailable" -> Fault.serverUnavailable();
      case "serverUnavailableHtml" -> Fault.serverUnavailableHtml();
      case "internalServerError" -> Fault.internalServerError();
      case "unableToLockRow" -> Fault.unableToLockRow();
      case "latency" -> Fault.latency(Duration.ofMillis(number(spec, "latencyMillis", 0)));
      case "connectionReset" -> Fault.connectionReset();
      case "malformedJson" -> Fault.malformedJson();
      case "truncatedBody" -> Fault.truncatedBody();
      default -> throw new IllegalArgumentException("unknown fault type: " + type);
    };
  }

  private static int number(JsonNode spec, String name, int fallback) {
    JsonNode value = spec.get(name);
    return value != null && value.isNumber() ? value.intValue() : fallback;
  }

  private static String textOr(JsonNode spec, String name, String fallback) {
    @Nullable String value = FakeJson.text(spec, name);
    return value != null ? value : fallback;
  }
}
