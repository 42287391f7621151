/**
 * Not API: may change in any release. Public only so that ForceFlux's own modules can use it; applications must
 * not. Reads Salesforce's response bodies (error bodies in every format, token responses) into the API types.
 */
@NullMarked
package io.forceflux.core.internal.parse;

import org.jspecify.annotations.NullMarked;
