package io.forceflux.testkit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The fault plan of one {@link FakeOrg}: rules that replace or delay matching requests. Thread-safe.
 *
 * <p>Rules are checked in the order they were added; the first one that fires wins. A rule made by
 * {@link #next(int, FaultTarget, Fault)} fires for the next {@code count} matching requests and then disappears;
 * one made by {@link #fraction(double, long, FaultTarget, Fault)} fires for a seeded pseudo-random share of
 * matching requests until {@link #clear()} (the same seed and request sequence give the same choices). A rule
 * matches a request when its target covers the request ({@link FaultTarget}) and its fault's {@link Phase} is the
 * phase being checked: {@code BEFORE} rules are checked when a request arrives, {@code AFTER} rules once it has run.
 */
public final class Faults {

  private final List<Rule> rules = new ArrayList<>();

  Faults() {
  }

  /**
   * Injects {@code fault} into the next {@code count} requests that {@code target} covers.
   *
   * @param count at least 1
   * @param target which requests
   * @param fault what happens to them
   * @return this
   */
  public Faults next(int count, FaultTarget target, Fault fault) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1: " + count);
    }
    add(new Rule(Objects.requireNonNull(target, "target"), Objects.requireNonNull(fault, "fault"), count, 1.0,
        null));
    return this;
  }

  /**
   * Injects {@code fault} into a pseudo-random share of the requests that {@code target} covers, until cleared.
   *
   * @param fraction the share, greater than 0 and at most 1
   * @param seed seeds the choice, so a run can be repeated
   * @param target which requests
   * @param fault what happens to them
   * @return this
   */
  public Faults fraction(double fraction, long seed, FaultTarget target, Fault fault) {
    if (!(fraction > 0.0 && fraction <= 1.0)) {
      throw new IllegalArgumentException("fraction must be in (0, 1]: " + fraction);
    }
    add(new Rule(Objects.requireNonNull(target, "target"), Objects.requireNonNull(fault, "fault"), -1, fraction,
        new SplittableRandom(seed)));
    return this;
  }

  /** Removes every rule. */
  public synchronized void clear() {
    rules.clear();
  }

  /**
   * How many rules are still active.
   *
   * @return the number of rules
   */
  public synchronized int active() {
    return rules.size();
  }

  private synchronized void add(Rule rule) {
    rules.add(rule);
  }

  synchronized @Nullable Fault pick(FaultTarget requestTarget, Phase phase) {
    for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
      Rule rule = it.next();
      if (rule.fault.phase() != phase
          || (rule.target != FaultTarget.ANY && rule.target != requestTarget)) {
        continue;
      }
      if (rule.random == null) {
        rule.remaining--;
        if (rule.remaining <= 0) {
          it.remove();
        }
        return rule.fault;
      }
      if (rule.random.nextDouble() < rule.fraction) {
        return rule.fault;
      }
    }
    return null;
  }

  @Override
  public synchronized String toString() {
    return "Faults" + rules;
  }

  private static final class Rule {
    final FaultTarget target;
    final Fault fault;
    int remaining;
    final double fraction;
    final @Nullable SplittableRandom random;

    Rule(FaultTarget target, Fault fault, int remaining, double fraction, @Nullable SplittableRandom random) {
      this.target = target;
      this.fault = fault;
      this.remaining = remaining;
      this.fraction = fraction;
      this.random = random;
    }

    @Override
    public String toString() {
      return (random == null ? "next " + remaining : "fraction " + fraction) + " " + target + " " + fault;
    }
  }
}
