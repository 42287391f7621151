/**
 * JMH benchmarks of ForceFlux under concurrent load, with peers side by side.
 */
@NullMarked
package io.forceflux.benchmarks;

import org.jspecify.annotations.NullMarked;
