package dev.kopeck.budget;

import dev.kopeck.budget.internal.LedgerSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Objects;

/**
 * The settings every ledger takes, each checked once: the clock, the time zone of periods, how
 * long reservations hold money and how long finished request ids are remembered, the thresholds
 * and who hears of them. A backend's builder extends this with its own settings.
 *
 * @param <B> the backend's builder, returned by every setter
 */
public abstract class LedgerBuilder<B extends LedgerBuilder<B>> {
  private Clock clock = Clock.systemUTC();
  private ZoneId zone = ZoneId.of("UTC");
  private Duration ttl = Duration.ofMinutes(10);
  private Duration window = Duration.ofHours(1);
  private int[] thresholds = {80, 100};
  private BudgetListener listener = BudgetListener.NONE;

  protected LedgerBuilder() {}

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /** Where time comes from (tests move a clock of their own). */
  public B clock(Clock c) {
    clock = Objects.requireNonNull(c, "clock");
    return self();
  }

  /** The time zone days, weeks and months follow (default UTC). */
  public B zone(ZoneId z) {
    zone = Objects.requireNonNull(z, "zone");
    return self();
  }

  /** How long an uncommitted reservation holds its money (default 10 minutes). */
  public B reservationTtl(Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("the reservation TTL must be positive: " + d);
    }
    ttl = d;
    return self();
  }

  /** How long a finished request id is remembered, so a retry counts once (default 1 hour). */
  public B idempotencyWindow(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("the idempotency window must not be negative: " + d);
    }
    window = d;
    return self();
  }

  /** Percentages of a limit at which the listener is told, once per scope and period (default 80, 100; at most 31). */
  public B thresholds(int... percents) {
    for (int p : percents) {
      if (p <= 0) {
        throw new IllegalArgumentException("a threshold must be a positive percentage: " + p);
      }
    }
    int[] distinct = Arrays.stream(percents).sorted().distinct().toArray();
    if (distinct.length > 31) { // the in-memory ledger keeps one bit per threshold in an int
      throw new IllegalArgumentException("at most 31 thresholds, not " + distinct.length);
    }
    thresholds = distinct;
    return self();
  }

  public B listener(BudgetListener l) {
    listener = Objects.requireNonNull(l, "listener");
    return self();
  }

  /** The settings as set, for the ledger being built (its implementation reads them). */
  protected final LedgerSettings settings() {
    return new LedgerSettings(clock, zone, ttl, window, thresholds.clone(), listener);
  }
}
