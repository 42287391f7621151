package io.forceflux.cli;

import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.InstanceUrlPolicy;
import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import java.net.URI;
import java.util.Locale;
import java.util.function.Consumer;

/** Connections to an embedded {@link FakeOrg} on a free loopback port, for {@code --sim}. */
final class EmbeddedOrg {
  /** Sees every embedded org once it has started (tests read its credentials to prove none is printed). */
  static volatile Consumer<FakeOrg> observer = org -> { };

  private EmbeddedOrg() {}

  /** Which grant a {@code --sim} run uses against the fake org. */
  enum SimGrant {
    REFRESH_TOKEN, JWT, PASSWORD;

    String cliName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** Starts {@code builder}'s org and connects to it with {@code grant}; the connection closes the org. */
  static Connection start(FakeOrg.Builder builder, SimGrant grant) {
    FakeOrg org = builder.build().start();
    try {
      observer.accept(org);
      return connect(org, grant);
    } catch (RuntimeException e) {
      org.close();
      throw e;
    }
  }

  static Connection connect(FakeOrg org, SimGrant grant) {
    Credentials c = org.credentials();
    URI login = URI.create(org.loginUrl());
    InstanceUrlPolicy policy = InstanceUrlPolicy.allowing(org.loginUrl(), org.myDomainUrl());
    Grant g = switch (grant) {
      case REFRESH_TOKEN -> Grant.refreshToken(login, c.clientId(), c.clientSecret(), c.refreshToken());
      case JWT -> Grant.jwtBearer(login, c.clientId(), c.username(), c.privateKeyPem(), null);
      case PASSWORD -> Grant.password(login, c.clientId(), c.clientSecret(), c.username(), c.password(),
          c.securityToken());
    };
    String source = switch (grant) {
      case REFRESH_TOKEN -> "refresh_token grant";
      case JWT -> "JWT bearer grant";
      case PASSWORD -> "username-password grant";
    };
    return new Connection(g, policy, login, c.clientId(), c.clientSecret(), source + " (embedded fake org)", org);
  }
}
