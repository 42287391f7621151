/**
 * FakeOrg: an in-process fake Salesforce org on Reactor Netty with fault injection, and a JUnit extension.
 */
@NullMarked
package io.forceflux.testkit;

import org.jspecify.annotations.NullMarked;
