package io.forceflux.boot.autoconfigure;

/**
 * A {@code forceflux.*} property is missing, invalid or contradicts another. The message names the property and
 * what is wrong; {@link #action()} says what to set. Neither ever quotes a secret's value.
 */
final class InvalidForceFluxPropertyException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final String property;
  private final String action;

  InvalidForceFluxPropertyException(String property, String problem, String action) {
    super(property + " " + problem);
    this.property = property;
    this.action = action;
  }

  String property() {
    return property;
  }

  String action() {
    return action;
  }
}
