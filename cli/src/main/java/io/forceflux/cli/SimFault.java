package io.forceflux.cli;

import io.forceflux.testkit.FakeOrg;
import io.forceflux.testkit.Fault;
import io.forceflux.testkit.FaultTarget;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A failure {@code diagnose --sim} provokes in the fake org, so every branch of the runbook can be seen. */
enum SimFault {
  NONE("nothing is wrong"),
  IP_RESTRICTED("login IP restrictions refuse this host"),
  REVOKED("every refresh token was revoked"),
  INACTIVE_USER("the integration user was deactivated"),
  REST_POLICY("a session-security policy (High Assurance) refuses REST"),
  PASSWORD_CHANGED("the user's password was changed (refresh tokens revoked with it)"),
  LOGIN_RATE("the user is over the hourly login limit"),
  SANDBOX_REFRESH("the sandbox was refreshed: the connected app has a new consumer key and secret"),
  SERVER_UNAVAILABLE("the token endpoint answers 503 SERVER_UNAVAILABLE");

  private final String description;

  SimFault(String description) {
    this.description = description;
  }

  String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  String description() {
    return description;
  }

  /** Options for the org before it starts (only the login rate needs one). */
  FakeOrg.Builder configure(FakeOrg.Builder builder) {
    return this == LOGIN_RATE ? builder.loginsPerHour(1) : builder;
  }

  /**
   * Applies the fault to a running org whose credentials the client already holds. {@code useUpLogin} spends the
   * org's one allowed login for {@link #LOGIN_RATE}.
   */
  void apply(FakeOrg org, Runnable useUpLogin) {
    switch (this) {
      case NONE -> { }
      case IP_RESTRICTED -> org.ipRestricted(true);
      case REVOKED -> org.revokeRefreshTokens();
      case INACTIVE_USER -> org.userActive(false);
      case REST_POLICY -> org.restPolicyRestricted(true);
      case PASSWORD_CHANGED -> org.changePassword("Changed-" + Long.toHexString(System.nanoTime()));
      case LOGIN_RATE -> useUpLogin.run();
      case SANDBOX_REFRESH -> org.sandboxRefresh();
      case SERVER_UNAVAILABLE -> org.faults().fraction(1.0, 0L, FaultTarget.TOKEN, Fault.serverUnavailable());
      default -> throw new IllegalStateException(name());
    }
  }

  /** Accepts {@code ip-restricted} and {@code IP_RESTRICTED} alike. */
  static final class Converter implements ITypeConverter<SimFault> {
    @Override
    public SimFault convert(String value) {
      String key = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
      for (SimFault f : values()) {
        if (f.name().equals(key)) {
          return f;
        }
      }
      throw new TypeConversionException("'" + value + "' is not one of " + String.join(", ", new Names()));
    }
  }

  /** The names for help and completion. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      List<String> names = new ArrayList<>();
      for (SimFault f : values()) {
        names.add(f.cliName());
      }
      return names.iterator();
    }
  }
}
