package dev.kopeck.budget;

/**
 * A scope in its current period: its limit ({@code -1} when it has none), what was spent
 * (committed) and what is reserved, and the currency the limit was set in ({@code null} when none
 * was recorded): amounts are nano-units of that currency, and a ledger never converts them.
 */
public record ScopeStatus(Scope scope, BudgetPeriod period, String periodId, long limitNanos, long spentNanos,
    long reservedNanos, java.util.Currency currency) {
  /** A status with no currency recorded. */
  public ScopeStatus(Scope scope, BudgetPeriod period, String periodId, long limitNanos, long spentNanos,
      long reservedNanos) {
    this(scope, period, periodId, limitNanos, spentNanos, reservedNanos, null);
  }

  /** What can still be reserved; {@code Long.MAX_VALUE} without a limit; negative after overspend. */
  public long remainingNanos() {
    return limitNanos < 0 ? Long.MAX_VALUE : limitNanos - spentNanos - reservedNanos;
  }
}
