package io.forceflux.reactor.client;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The one mapper: unknown properties (such as {@code attributes}) ignored, property names case-insensitive. */
final class Json {
  static final JsonMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
      .build();

  private Json() {}

  /** Reads one value from a parser positioned inside a larger document (a record of a page). */
  static ObjectReader recordReader(Class<?> type) {
    return MAPPER.readerFor(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /**
   * {@code value} as a JSON object.
   *
   * @throws IllegalArgumentException if it does not serialize to an object
   */
  static ObjectNode object(Object value, String what) {
    JsonNode node = value instanceof JsonNode n ? n.deepCopy() : MAPPER.valueToTree(value);
    if (!(node instanceof ObjectNode object)) {
      throw new IllegalArgumentException(what + " must serialize to a JSON object, not " + node.getNodeType());
    }
    return object;
  }

  /** Removes {@code attributes} and every spelling of {@code Id}, or only null Ids when {@code nullOnly}. */
  static ObjectNode withoutIdAndAttributes(ObjectNode node, boolean nullOnly) {
    node.remove("attributes");
    node.propertyNames().stream()
        .filter(name -> name.equalsIgnoreCase("Id") && (!nullOnly || node.get(name).isNull()))
        .toList()
        .forEach(node::remove);
    return node;
  }
}
