/**
 * Access tokens and the OAuth grants that obtain them: refresh token, JWT bearer, client credentials, username-password and SOAP login. Plain data: no HTTP library types.
 */
@NullMarked
package io.forceflux.core.auth;

import org.jspecify.annotations.NullMarked;
