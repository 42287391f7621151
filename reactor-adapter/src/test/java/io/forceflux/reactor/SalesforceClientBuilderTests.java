package io.forceflux.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.InstanceUrlPolicy;
import io.forceflux.reactor.client.Query;
import io.forceflux.reactor.client.SalesforceClient;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** Options are checked when set or built, never inside a stream. */
class SalesforceClientBuilderTests {
  private static final Grant GRANT = Grant.refreshToken(URI.create("https://login.salesforce.com"), "id", "secret",
      "refresh");
  private static final TokenSource TOKENS = new TokenSource() {
    @Override
    public Mono<AccessToken> token() {
      return Mono.never();
    }

    @Override
    public void invalidate(AccessToken rejected) {
    }
  };

  @Test
  void needsExactlyOneCredential() {
    assertThatThrownBy(() -> SalesforceClient.builder().build()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> SalesforceClient.builder().grant(GRANT).tokenSource(TOKENS).build())
        .isInstanceOf(IllegalStateException.class);
    assertThat(SalesforceClient.builder().grant(GRANT).build()).isNotNull();
    assertThat(SalesforceClient.builder().tokenSource(TOKENS).build()).isNotNull();
  }

  @Test
  void tokenSourceOptionsBelongToTheGrant() {
    assertThatThrownBy(() -> SalesforceClient.builder().tokenSource(TOKENS)
        .instanceUrlPolicy(InstanceUrlPolicy.standard()).build()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> SalesforceClient.builder().tokenSource(TOKENS).sessionTimeout(Duration.ofHours(2))
        .build()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> SalesforceClient.builder().grant(GRANT).sessionTimeout(Duration.ofDays(2)).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rangesAreCheckedWhenSet() {
    SalesforceClient.Builder b = SalesforceClient.builder();
    assertThatThrownBy(() -> b.pagePrefetch(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.pagePrefetch(17)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.batchSize(199)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.batchSize(2001)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxPageBytes(1024)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.apiVersion("v67")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.freshRejectionLimit(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.freshRejectionLimit(11)).isInstanceOf(IllegalArgumentException.class);
    assertThat(b.freshRejectionLimit(1).freshRejectionLimit(10)).isSameAs(b);
    assertThat(b.pagePrefetch(0).pagePrefetch(16).batchSize(200).batchSize(2000).apiVersion("62.0")).isSameAs(b);
  }

  @Test
  void queryOptionsAreCheckedWhenSet() {
    assertThatThrownBy(() -> Query.of(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Query.of("SELECT Id FROM Account").batchSize(100))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Query.of("SELECT Id FROM Account ORDER BY Name").resumable(true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ordered by Id");
    Query q = Query.of("SELECT Id FROM Account").all(true).resumable(true).batchSize(500);
    assertThat(q).isEqualTo(Query.of("SELECT Id FROM Account").batchSize(500).resumable(true).all(true));
    assertThat(q.all()).isTrue();
    assertThat(q.resumable()).isTrue();
    assertThat(q.batchSize()).isEqualTo(500);
  }

  @Test
  void nothingIsRequestedUntilSubscription() {
    SalesforceClient client = SalesforceClient.builder().tokenSource(TOKENS).apiVersion("67.0").build();

    assertThat(client.query("SELECT Id FROM Account")).isNotNull();
    assertThat(client.limits()).isNotNull();
    assertThat(client.apiVersion().block(Duration.ofSeconds(1))).isEqualTo("67.0");
  }
}
