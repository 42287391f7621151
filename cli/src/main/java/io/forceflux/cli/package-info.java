/**
 * The forceflux command: demo, sim, query, diagnose.
 */
@NullMarked
package io.forceflux.cli;

import org.jspecify.annotations.NullMarked;
