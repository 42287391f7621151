/**
 * FakeOrg: an in-process fake Salesforce org on Reactor Netty with fault injection, and a JUnit extension;
 * RedisServer: a real {@code redis-server} child process for tests and benchmarks of the Redis token store.
 */
@NullMarked
package io.forceflux.testkit;

import org.jspecify.annotations.NullMarked;
