/**
 * Session events and the listener SPI, with a default listener that logs through SLF4J and never prints a secret.
 */
@NullMarked
package io.forceflux.core.event;

import org.jspecify.annotations.NullMarked;
