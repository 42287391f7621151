package io.forceflux.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** IDEs complete {@code forceflux.*} from the metadata the configuration processor generates: check it is there. */
class ConfigurationMetadataTests {

  @Test
  @SuppressWarnings("unchecked")
  void everyPropertyHasADescriptionAndDefaultsAreListed() throws Exception {
    Map<String, Object> metadata;
    try (InputStream in = getClass().getClassLoader()
        .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
      assertThat(in).isNotNull();
      metadata = JsonMapper.builder().build().readValue(in, Map.class);
    }
    List<Map<String, Object>> properties = (List<Map<String, Object>>) metadata.get("properties");

    assertThat(properties).extracting(p -> p.get("name")).contains("forceflux.login-url", "forceflux.grant.type",
        "forceflux.grant.refresh-token", "forceflux.grant.private-key-file", "forceflux.grant.keystore",
        "forceflux.session-timeout", "forceflux.recovery.max-attempts", "forceflux.allowed-instance-origins",
        "forceflux.api-version", "forceflux.pool.max-connections", "forceflux.token-store.redis-url",
        "forceflux.token-store.use-application-redis", "forceflux.token-store.encryption-key");
    assertThat(properties).allSatisfy(p -> assertThat((String) p.get("description")).as("%s", p.get("name"))
        .isNotBlank());
    assertThat(find(properties, "forceflux.login-url")).hasValueSatisfying(p ->
        assertThat(p).containsEntry("defaultValue", "https://login.salesforce.com"));
    assertThat(find(properties, "forceflux.recovery.max-attempts")).hasValueSatisfying(p ->
        assertThat(p).containsEntry("defaultValue", 5));
  }

  private static Optional<Map<String, Object>> find(List<Map<String, Object>> properties, String name) {
    return properties.stream().filter(p -> name.equals(p.get("name"))).findFirst();
  }
}
