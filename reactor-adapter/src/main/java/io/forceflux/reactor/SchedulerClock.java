package io.forceflux.reactor;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Scheduler;

/** A {@link Clock} that reads a Reactor {@link Scheduler}'s time, so virtual time drives both. */
final class SchedulerClock extends Clock {
  private final Scheduler scheduler;

  SchedulerClock(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public long millis() {
    return scheduler.now(TimeUnit.MILLISECONDS);
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }
}
