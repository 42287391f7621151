package io.forceflux.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Options for the {@link FakeOrg} that {@link FakeOrgExtension} starts for an annotated test class. Options given
 * to {@link FakeOrgExtension#withOptions} are applied after these and win.
 *
 * <pre>{@code
 * @ExtendWith(FakeOrgExtension.class)
 * @FakeOrgSettings(accounts = 500, rotation = true, sessionTimeoutMillis = 900_000)
 * class MyClientTests { ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface FakeOrgSettings {

  /**
   * Generated Accounts.
   *
   * @return default 10,000; see {@link FakeOrg.Builder#accounts(long)}
   */
  long accounts() default 10_000;

  /**
   * Refresh token rotation.
   *
   * @return default false; see {@link FakeOrg.Builder#refreshTokenRotation(boolean)}
   */
  boolean rotation() default false;

  /**
   * Session inactivity timeout in milliseconds.
   *
   * @return default 7,200,000 (2 hours), at least 1; see {@link FakeOrg.Builder#sessionTimeout}
   */
  long sessionTimeoutMillis() default 7_200_000L;

  /**
   * The half-timeout last-activity quirk.
   *
   * @return default false; see {@link FakeOrg.Builder#halfTimeoutQuirk(boolean)}
   */
  boolean halfTimeoutQuirk() default false;

  /**
   * Who may continue a query cursor.
   *
   * @return default {@link CursorMode#USER}
   */
  CursorMode cursorMode() default CursorMode.USER;

  /**
   * Real-time latency of the token endpoint in milliseconds.
   *
   * @return default 0; see {@link FakeOrg.Builder#tokenLatency}
   */
  long tokenLatencyMillis() default 0;

  /**
   * Daily API allocation.
   *
   * @return default 100,000
   */
  long dailyApiLimit() default 100_000;

  /**
   * Logins per user per hour.
   *
   * @return default 3,600
   */
  int loginsPerHour() default 3600;
}
