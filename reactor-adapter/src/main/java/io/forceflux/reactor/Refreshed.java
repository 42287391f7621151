package io.forceflux.reactor;

import io.forceflux.core.auth.AccessToken;
import io.forceflux.core.auth.Grant;
import org.jspecify.annotations.Nullable;

/** What a refresh produced: the token and, after rotation, the grant that presents the new refresh token. */
record Refreshed(AccessToken token, @Nullable Grant rotatedGrant) {}
