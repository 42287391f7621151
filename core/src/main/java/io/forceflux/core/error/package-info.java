/**
 * Salesforce error parsing that never throws, failure classification into causes with runbooks, and the typed exception that carries them.
 */
@NullMarked
package io.forceflux.core.error;

import org.jspecify.annotations.NullMarked;
