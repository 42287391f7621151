package io.forceflux.core.error;

/** Runs {@link ErrorParserProperties} under the {@code *Tests} name that surefire includes by default. */
class ErrorParserPropertiesTests extends ErrorParserProperties {}
