package io.forceflux.boot.autoconfigure;

import io.forceflux.testkit.Credentials;
import io.forceflux.testkit.FakeOrg;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

/** Context runners with ForceFlux's auto-configurations, as an application gets them. */
final class Contexts {
  private Contexts() {}

  static ApplicationContextRunner runner() {
    return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
        WebClientAutoConfiguration.class,
        ForceFluxAutoConfiguration.class,
        ForceFluxRedisAutoConfiguration.class,
        ForceFluxMetricsAutoConfiguration.class,
        ForceFluxHealthAutoConfiguration.class));
  }

  /** {@code forceflux.*} for the refresh-token grant against {@code org}. */
  static String[] refreshToken(FakeOrg org) {
    Credentials c = org.credentials();
    return new String[] {
        "forceflux.login-url=" + org.loginUrl(),
        "forceflux.allowed-instance-origins=" + org.loginUrl() + "," + org.myDomainUrl(),
        "forceflux.api-version=" + org.apiVersion(),
        "forceflux.grant.type=refresh-token",
        "forceflux.grant.client-id=" + c.clientId(),
        "forceflux.grant.client-secret=" + c.clientSecret(),
        "forceflux.grant.refresh-token=" + c.refreshToken()};
  }
}
