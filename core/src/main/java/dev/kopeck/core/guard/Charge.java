package dev.kopeck.core.guard;

import dev.kopeck.budget.Commit;
import dev.kopeck.core.reconcile.Reconciliation;
import java.util.Currency;

/**
 * A call's cost committed: what the usage was and cost, set beside the pre-flight estimate
 * ({@code reconciliation}), and what the ledger recorded ({@code commit}: the amount in nano-units of
 * {@code budgetCurrency}, the overspend).
 */
public record Charge(Reconciliation reconciliation, Commit commit, Currency budgetCurrency) {
  public String requestId() {
    return commit.requestId();
  }
}
