package io.forceflux.cli;

import io.forceflux.core.auth.Grant;
import io.forceflux.reactor.testing.FakeOrgClients;
import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import java.net.URI;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Connections to an embedded {@link FakeOrg} on a free loopback port, for {@code --sim} and {@code demo}; the
 * grants and the instance-URL policy come from {@link FakeOrgClients}.
 */
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
    Grant g = FakeOrgClients.grant(org, switch (grant) {
      case REFRESH_TOKEN -> FakeOrgClients.GrantType.REFRESH_TOKEN;
      case JWT -> FakeOrgClients.GrantType.JWT_BEARER;
      case PASSWORD -> FakeOrgClients.GrantType.PASSWORD;
    });
    String source = switch (grant) {
      case REFRESH_TOKEN -> "refresh_token grant";
      case JWT -> "JWT bearer grant";
      case PASSWORD -> "username-password grant";
    };
    Credentials c = org.credentials();
    return new Connection(g, FakeOrgClients.instanceUrlPolicy(org), URI.create(org.loginUrl()), c.clientId(),
        c.clientSecret(), source + " (embedded fake org)", org);
  }
}
