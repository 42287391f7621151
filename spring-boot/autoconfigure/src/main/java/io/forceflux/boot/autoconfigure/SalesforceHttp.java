package io.forceflux.boot.autoconfigure;

import io.forceflux.reactor.ConnectionPools;
import org.springframework.beans.factory.DisposableBean;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** The connection pool and Reactor Netty client of Salesforce API calls, disposed with the context. */
final class SalesforceHttp implements DisposableBean {
  private final ConnectionProvider pool;
  private final HttpClient client;

  SalesforceHttp(ForceFluxProperties.Pool settings) {
    // Queue beyond the pool instead of refusing: a burst waits for a connection, bounded by the timeout.
    this.pool = ConnectionPools.queueing("forceflux-boot", settings.getMaxConnections(),
        settings.getPendingAcquireTimeout(), settings.getMaxIdleTime());
    this.client = HttpClient.create(pool).responseTimeout(settings.getResponseTimeout()).compress(true)
        .followRedirect(false);
  }

  HttpClient client() {
    return client;
  }

  @Override
  public void destroy() {
    pool.disposeLater().subscribe(v -> { }, e -> { });
  }
}
