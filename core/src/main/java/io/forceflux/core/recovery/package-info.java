/**
 * Recovery policy: bounded attempts and exponential backoff with full jitter.
 */
@NullMarked
package io.forceflux.core.recovery;

import org.jspecify.annotations.NullMarked;
