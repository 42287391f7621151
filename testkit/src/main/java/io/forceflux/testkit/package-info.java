/**
 * FakeOrg: an in-process fake Salesforce org on Reactor Netty with fault injection, and a JUnit extension;
 * RedisServer: a real {@code redis-server} child process for tests and benchmarks of the Redis token store.
 *
 * <p>Public: {@link io.forceflux.testkit.FakeOrg} (builder, lifecycle, controls), its fault plan
 * ({@link io.forceflux.testkit.Faults}, {@link io.forceflux.testkit.Fault}, {@link io.forceflux.testkit.FaultTarget},
 * {@link io.forceflux.testkit.Phase}), what it reports ({@link io.forceflux.testkit.Credentials},
 * {@link io.forceflux.testkit.FakeOrgStats}, {@link io.forceflux.testkit.SObjectLedger}), time
 * ({@link io.forceflux.testkit.MutableClock}) and the JUnit wiring
 * ({@link io.forceflux.testkit.FakeOrgExtension}, {@link io.forceflux.testkit.FakeOrgSettings}).
 *
 * <p>Everything else is package-private. Where each concern lives:
 * <ul>
 *   <li>{@code FakeOrgDispatcher}: routes a request to its endpoint, applies faults, writes the reply;</li>
 *   <li>endpoints, each given only the collaborators it uses: {@code FakeTokenEndpoint} (OAuth and identity),
 *       {@code SoapEndpoint}, {@code RestEndpoint} (version gate, authentication, allowance, routing to
 *       {@code FakeQuery}, {@code FakeSObjects}, {@code FakeDescribe}, {@code FakeComposite},
 *       {@code FakeCollections}, {@code FakeSObjectTree}, {@code BulkJobs}, {@code FakeApexRest}) and
 *       {@code SimEndpoint} (the HTTP mirror of FakeOrg's public controls, so it holds the FakeOrg);</li>
 *   <li>state: {@code AuthState} (sessions, refresh tokens, identity and its switches), {@code ApiAllowance}
 *       (daily API calls and {@code Sforce-Limit-Info}), {@code OrgOrigins}, {@code BulkSettings} and
 *       {@code BulkQuota}, {@code DataStore} with one {@code SObjectStore} per type, {@code Counters};</li>
 *   <li>SOQL: {@code Soql}, {@code SoqlLexer}, {@code SoqlParser}, {@code SoqlPlanner}, {@code SoqlValues},
 *       {@code QueryResult};</li>
 *   <li>shared REST bodies in Salesforce's shapes: {@code RestBodies}; JSON: {@code FakeJson}.</li>
 * </ul>
 */
@NullMarked
package io.forceflux.testkit;

import org.jspecify.annotations.NullMarked;
