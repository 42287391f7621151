package io.forceflux.core.internal.parse;

/** Runs {@link ErrorParserProperties} under the {@code *Tests} name that surefire includes by default. */
class ErrorParserPropertiesTests extends ErrorParserProperties {}
