package io.forceflux.boot.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Qualifies the {@code WebClient} that talks to Salesforce: it carries the session recovery filter, so it adds the
 * access token, resolves host-relative paths ({@code /services/data/...}) against the current instance and replays a
 * request whose session died. Inject it as {@code @ForceFluxWebClient WebClient salesforce}. The application's other
 * {@code WebClient}s (and the shared {@code WebClient.Builder}) never get the filter or the token.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface ForceFluxWebClient {}
