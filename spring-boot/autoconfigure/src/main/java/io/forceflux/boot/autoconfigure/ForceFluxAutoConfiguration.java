package io.forceflux.boot.autoconfigure;

import io.forceflux.core.auth.Grant;
import io.forceflux.core.event.SessionListener;
import io.forceflux.reactor.CachingTokenSource;
import io.forceflux.reactor.SessionRecoveryFilter;
import io.forceflux.reactor.TokenSource;
import io.forceflux.reactor.TokenStore;
import io.forceflux.reactor.client.SalesforceClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * ForceFlux from {@code forceflux.*} properties: a {@link Grant}, a {@link CachingTokenSource} (on the shared token
 * store when one is configured), a {@link SessionRecoveryFilter}, a {@link SalesforceClient} and a
 * {@link ForceFluxWebClient @ForceFluxWebClient} {@link WebClient}. Each bean backs off when the application defines
 * its own of the same type (the WebClient: of the same name, {@code forcefluxWebClient}). Session events go to the
 * log, to every {@link SessionListener} bean (Micrometer meters among them when there is a registry) and to the
 * health indicator.
 *
 * <p>The Salesforce WebClient starts from a fresh {@code WebClient.Builder} (Boot's customizers apply: codecs,
 * observation) and adds the session filter to that copy only: the application's other WebClients never carry it. It is
 * injected only where asked for with {@link ForceFluxWebClient @ForceFluxWebClient}, never into a plain
 * {@code WebClient} injection point.
 */
@AutoConfiguration(afterName = "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration")
@ConditionalOnClass({SalesforceClient.class, WebClient.class})
@ConditionalOnBooleanProperty(name = "forceflux.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ForceFluxProperties.class)
public class ForceFluxAutoConfiguration {

  /** Created by Spring. */
  public ForceFluxAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean
  ForceFluxSettings forcefluxSettings(ForceFluxProperties properties, ResourceLoader resources) {
    // The application's class loader, not this class's: it decides whether Lettuce is there.
    return ForceFluxSettings.of(properties, resources.getClassLoader());
  }

  @Bean
  @ConditionalOnMissingBean
  SessionState forcefluxSessionState() {
    return new SessionState();
  }

  @Bean
  @ConditionalOnMissingBean
  SalesforceHttp forcefluxHttp(ForceFluxSettings settings) {
    return new SalesforceHttp(settings.pool);
  }

  // Not needed, hence not required, when the application brings its own token source.
  @Bean
  @ConditionalOnMissingBean({Grant.class, TokenSource.class})
  Grant forcefluxGrant(ForceFluxSettings settings) {
    return settings.grant();
  }

  @Bean
  @ConditionalOnMissingBean(TokenSource.class)
  CachingTokenSource forcefluxTokenSource(ForceFluxSettings settings, Grant grant, SessionState state,
      ObjectProvider<SessionListener> listeners, ObjectProvider<TokenStore> store) {
    CachingTokenSource.Builder b = CachingTokenSource.builder(grant)
        .instanceUrlPolicy(settings.instanceUrlPolicy)
        .recoveryPolicy(settings.recoveryPolicy)
        .listener(listener(state, listeners));
    if (settings.sessionTimeout != null) {
      b.sessionTimeout(settings.sessionTimeout);
    }
    store.ifAvailable(b::tokenStore);
    return b.build();
  }

  @Bean
  @ConditionalOnMissingBean
  SessionRecoveryFilter forcefluxSessionRecoveryFilter(ForceFluxSettings settings, TokenSource tokens,
      SessionState state, ObjectProvider<SessionListener> listeners) {
    return SessionRecoveryFilter.builder(tokens)
        .recoveryPolicy(settings.recoveryPolicy)
        .freshRejectionLimit(settings.freshRejectionLimit)
        .listener(listener(state, listeners))
        .build();
  }

  // Not a default candidate: an unqualified WebClient injection point never receives the one that carries the token.
  @Bean(defaultCandidate = false)
  @ForceFluxWebClient
  @ConditionalOnMissingBean(name = "forcefluxWebClient")
  WebClient forcefluxWebClient(ObjectProvider<WebClient.Builder> builders, SalesforceHttp http,
      SessionRecoveryFilter filter, SessionState state) {
    // Boot's builder bean is a prototype, and it is cloned anyway: the filter never reaches another WebClient.
    return builders.getIfUnique(WebClient::builder).clone()
        .clientConnector(new ReactorClientHttpConnector(http.client()))
        .filter(state.usageRecorder())
        .filter(filter)
        .build();
  }

  @Bean
  @ConditionalOnMissingBean
  SalesforceClient salesforceClient(ForceFluxSettings settings, TokenSource tokens, SalesforceHttp http,
      SessionState state, ObjectProvider<WebClient.Builder> builders, ObjectProvider<SessionListener> listeners) {
    SalesforceClient.Builder b = SalesforceClient.builder()
        .tokenSource(tokens)
        .webClientBuilder(builders.getIfUnique(WebClient::builder).clone().filter(state.usageRecorder()))
        .httpClient(http.client())
        .recoveryPolicy(settings.recoveryPolicy)
        .freshRejectionLimit(settings.freshRejectionLimit)
        .listener(listener(state, listeners));
    if (settings.apiVersion != null) {
      b.apiVersion(settings.apiVersion);
    }
    if (settings.batchSize != null) {
      b.batchSize(settings.batchSize);
    }
    return b.build();
  }

  /** Logging, the health state, then every listener bean (meters, the application's own) in order. */
  private static SessionListener listener(SessionState state, ObjectProvider<SessionListener> listeners) {
    SessionListener combined = SessionListener.logging().andThen(state);
    for (SessionListener l : listeners.orderedStream().toList()) {
      combined = combined.andThen(l);
    }
    return combined;
  }
}
