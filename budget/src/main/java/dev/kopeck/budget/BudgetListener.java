package dev.kopeck.budget;

/** Told once per scope, period and threshold when spending crosses a threshold (80%, 100%, ...). */
@FunctionalInterface
public interface BudgetListener {
  void thresholdCrossed(Scope scope, String periodId, int percent, long spentNanos, long limitNanos);

  BudgetListener NONE = (s, p, pct, spent, limit) -> { };
}
