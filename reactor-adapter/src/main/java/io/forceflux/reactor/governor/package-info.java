/**
 * The org-limit governor: keeps a client (or several sharing a credential) inside the org's daily API allowance
 * and under a cap on requests in flight, refusing or queueing calls before Salesforce answers
 * {@code REQUEST_LIMIT_EXCEEDED}.
 */
@NullMarked
package io.forceflux.reactor.governor;

import org.jspecify.annotations.NullMarked;
