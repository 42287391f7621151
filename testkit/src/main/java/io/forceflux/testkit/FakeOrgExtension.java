package io.forceflux.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link FakeOrg} per test class, hands it to tests, and closes it after the class.
 *
 * <ul>
 *   <li>Parameters of type {@link FakeOrg} and {@link MutableClock} are resolved in test methods, constructors,
 *       {@code @BeforeAll}/{@code @BeforeEach} methods and the like.</li>
 *   <li>The org reads a {@link MutableClock} that starts at the current instant and stands still until a test moves
 *       it (replace it with {@code withOptions(b -> b.clock(...))}).</li>
 *   <li>Before each test, {@link FakeOrg#resetControls()} clears faults and switches (IP and REST-policy
 *       restrictions, user activation, JWT approval, daily limit and usage). Records, sessions, tokens and counters
 *       carry over between the tests of a class.</li>
 *   <li>Options come from {@link FakeOrgSettings} on the class, then from {@link #withOptions}.</li>
 *   <li>{@code @Nested} classes share the org of their enclosing class.</li>
 * </ul>
 *
 * <pre>{@code
 * @ExtendWith(FakeOrgExtension.class)
 * class A { @Test void t(FakeOrg org) { ... } }
 *
 * class B {
 *     @RegisterExtension
 *     static final FakeOrgExtension ORG = FakeOrgExtension.withOptions(b -> b.accounts(100).tokenLatency(
 *             Duration.ofMillis(50)));
 *     @Test void t() { FakeOrg org = ORG.org(); ... }
 * }
 * }</pre>
 * Register it on a {@code static} field: an instance field would not see the class lifecycle.
 */
public final class FakeOrgExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(FakeOrgExtension.class);
  private static final String KEY = "fakeOrg";

  private final UnaryOperator<FakeOrg.Builder> options;
  private volatile @Nullable FakeOrg current;

  /** An extension with the defaults and any {@link FakeOrgSettings}; the form {@code @ExtendWith} uses. */
  public FakeOrgExtension() {
    this(UnaryOperator.identity());
  }

  private FakeOrgExtension(UnaryOperator<FakeOrg.Builder> options) {
    this.options = options;
  }

  /**
   * An extension whose org is configured by {@code options} (after any {@link FakeOrgSettings}).
   *
   * @param options changes to the builder; must return it
   * @return the extension, for a {@code static @RegisterExtension} field
   */
  public static FakeOrgExtension withOptions(UnaryOperator<FakeOrg.Builder> options) {
    return new FakeOrgExtension(Objects.requireNonNull(options, "options"));
  }

  /**
   * The org of the running test class.
   *
   * @return the org
   * @throws IllegalStateException outside a test class's lifecycle
   */
  public FakeOrg org() {
    FakeOrg org = current;
    if (org == null) {
      throw new IllegalStateException("no FakeOrg is running: register the extension on a static field");
    }
    return org;
  }

  /** Owns the org of one test class; JUnit closes it if {@code afterAll} never runs. */
  private static final class Holder implements AutoCloseable {
    final FakeOrg org;
    final Class<?> owner;

    Holder(FakeOrg org, Class<?> owner) {
      this.org = org;
      this.owner = owner;
    }

    @Override
    public void close() {
      org.close();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    Holder existing = store.get(KEY, Holder.class);
    if (existing != null) {
      current = existing.org;
      return;
    }
    FakeOrg.Builder builder = FakeOrg.builder()
        .clock(new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS)));
    settings(context).ifPresent(s -> builder
        .accounts(s.accounts())
        .refreshTokenRotation(s.rotation())
        .sessionTimeout(Duration.ofMillis(s.sessionTimeoutMillis()))
        .halfTimeoutQuirk(s.halfTimeoutQuirk())
        .cursorMode(s.cursorMode())
        .tokenLatency(Duration.ofMillis(s.tokenLatencyMillis()))
        .dailyApiLimit(s.dailyApiLimit())
        .loginsPerHour(s.loginsPerHour()));
    FakeOrg org = Objects.requireNonNull(options.apply(builder), "options returned null").build().start();
    store.put(KEY, new Holder(org, context.getRequiredTestClass()));
    current = org;
  }

  private static Optional<FakeOrgSettings> settings(ExtensionContext context) {
    for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
      FakeOrgSettings settings = c.getAnnotation(FakeOrgSettings.class);
      if (settings != null) {
        return Optional.of(settings);
      }
    }
    return Optional.empty();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    Holder holder = store.get(KEY, Holder.class);
    if (holder != null && holder.owner.equals(context.getRequiredTestClass())) {
      store.remove(KEY, Holder.class);
      holder.close();
      current = null;
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    holder(context).org.resetControls();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    Class<?> type = parameterContext.getParameter().getType();
    return type == FakeOrg.class || type == MutableClock.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    FakeOrg org = holder(extensionContext).org;
    if (parameterContext.getParameter().getType() == FakeOrg.class) {
      return org;
    }
    if (org.clock() instanceof MutableClock clock) {
      return clock;
    }
    throw new ParameterResolutionException("the FakeOrg's clock is not a MutableClock");
  }

  private static Holder holder(ExtensionContext context) {
    Holder holder = context.getStore(NAMESPACE).get(KEY, Holder.class);
    if (holder == null) {
      throw new ParameterResolutionException("FakeOrgExtension has not started a FakeOrg for "
          + context.getDisplayName() + " (register it on a static field)");
    }
    return holder;
  }
}
