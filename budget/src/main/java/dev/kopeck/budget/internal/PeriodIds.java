package dev.kopeck.budget.internal;

import dev.kopeck.budget.BudgetPeriod;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.time.DayOfWeek;

/**
 * BudgetPeriod ids for one time zone, cached: computing {@code 2025-03} with date arithmetic and
 * formatting on every reservation costs more than the reservation; the id only changes when a day,
 * week or month ends. Thread-safe (an immutable window swapped in whole).
 */
public final class PeriodIds {
  private final ZoneId zone;
  private final Window[] windows = new Window[BudgetPeriod.values().length];

  /** A period's id and the epoch milliseconds it covers, {@code [from, until)}. */
  public record Window(long from, long until, String id) {}

  private static final Window ALL = new Window(Long.MIN_VALUE, Long.MAX_VALUE, "all");

  public PeriodIds(ZoneId zone) {
    this.zone = zone;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The id of the period holding {@code epochMillis}. */
  public String id(BudgetPeriod p, long epochMillis) {
    return window(p, epochMillis).id;
  }

  /** The period holding {@code epochMillis}, with its bounds. */
  public Window window(BudgetPeriod p, long epochMillis) {
    if (p == BudgetPeriod.NONE) {
      return ALL;
    }
    Window w = windows[p.ordinal()];
    if (w != null && epochMillis >= w.from && epochMillis < w.until) {
      return w;
    }
    Instant at = Instant.ofEpochMilli(epochMillis);
    LocalDate d = LocalDate.ofInstant(at, zone);
    LocalDate start;
    LocalDate end;
    switch (p) {
      case DAY:
        start = d;
        end = d.plusDays(1);
        break;
      case WEEK:
        start = d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        end = start.plusWeeks(1);
        break;
      default:
        start = d.withDayOfMonth(1);
        end = start.plusMonths(1);
    }
    long from = ZonedDateTime.of(start.atStartOfDay(), zone).toInstant().toEpochMilli();
    long until = start.atStartOfDay(zone).isEqual(ZonedDateTime.of(end.atStartOfDay(), zone)) ? from + 1
        : end.atStartOfDay(zone).toInstant().toEpochMilli();
    Window nw = new Window(from, until, p.id(at, zone));
    windows[p.ordinal()] = nw;
    return nw;
  }
}
