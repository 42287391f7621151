package io.forceflux.testkit;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The one Jackson mapper of the testkit and a few helpers. */
final class FakeJson {

  static final JsonMapper MAPPER = JsonMapper.builder().build();

  private FakeJson() {
  }

  static String quote(String text) {
    return MAPPER.writeValueAsString(text);
  }

  static byte[] bytes(Object value) {
    return MAPPER.writeValueAsBytes(value);
  }

  /** Streams a document through a generator into a byte array. */
  static byte[] write(Consumer<JsonGenerator> body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try (JsonGenerator generator = MAPPER.createGenerator(out)) {
      body.accept(generator);
    }
    return out.toByteArray();
  }

  /** Parses JSON, or returns null if it is not JSON. */
  static @Nullable JsonNode parse(byte[] body) {
    try {
      return MAPPER.readTree(body);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** A string property, or null if absent or not a string. */
  static @Nullable String text(JsonNode node, String name) {
    JsonNode value = node.get(name);
    return value != null && value.isString() ? value.stringValue() : null;
  }
}
