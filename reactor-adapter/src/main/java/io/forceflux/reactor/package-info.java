/**
 * The Reactor adapter: token sources, the session recovery filter and the Salesforce client.
 */
@NullMarked
package io.forceflux.reactor;

import org.jspecify.annotations.NullMarked;
