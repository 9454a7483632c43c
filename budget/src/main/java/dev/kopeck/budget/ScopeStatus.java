package dev.kopeck.budget;

/**
 * A scope in its current period: its limit ({@code -1} when it has none), what was spent
 * (committed) and what is reserved.
 */
public record ScopeStatus(Scope scope, BudgetPeriod period, String periodId, long limitNanos, long spentNanos,
    long reservedNanos) {
  /** What can still be reserved; {@code Long.MAX_VALUE} without a limit; negative after overspend. */
  public long remainingNanos() {
    return limitNanos < 0 ? Long.MAX_VALUE : limitNanos - spentNanos - reservedNanos;
  }
}
