package dev.kopeck.budget;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;

/** How often a limit starts over, in the ledger's time zone. */
public enum BudgetPeriod {
  NONE, DAY, WEEK, MONTH;

  /** The id of the period holding {@code when}: {@code all}, {@code 2025-03-01}, {@code 2025-W09}, {@code 2025-03}. */
  public String id(Instant when, ZoneId zone) {
    LocalDate d = LocalDate.ofInstant(when, zone);
    switch (this) {
      case DAY:
        return d.toString();
      case WEEK:
        return String.format("%d-W%02d", d.get(IsoFields.WEEK_BASED_YEAR), d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
      case MONTH:
        return String.format("%d-%02d", d.getYear(), d.getMonthValue());
      default:
        return "all";
    }
  }

  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static BudgetPeriod parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown period \"" + s + "\"; expected none, day, week or month");
    }
  }
}
