package io.forceflux.cli;

import tools.jackson.databind.json.JsonMapper;

/**
 * The mapper the commands print and read small JSON documents with. A holder of its own, so that picocli creating
 * every command object at start-up does not build a mapper that only one command may use.
 */
final class JsonText {
  static final JsonMapper MAPPER = JsonMapper.shared();

  private JsonText() {}
}
