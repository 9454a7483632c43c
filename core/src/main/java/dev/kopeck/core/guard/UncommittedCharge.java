package dev.kopeck.core.guard;

import dev.kopeck.core.reconcile.Reconciliation;
import java.util.Currency;
import java.util.Objects;

/**
 * A call answered and priced whose cost the ledger did not take: its reservation was gone (the
 * store wiped, the reservation expired past its window) or the ledger failed. {@link BudgetGuard}
 * gives it to {@link GuardListener#commitFailed}, so a log keeps what the call cost and a rebuild of
 * the ledger counts it ({@code kopeck budget rebuild}); the caller gets the ledger's own exception
 * ({@link #getCause()}). Its message is the cause's.
 *
 * @see dev.kopeck.core.guard.GuardListener#commitFailed
 */
public final class UncommittedCharge extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Reconciliation reconciliation;
  private final long amountNanos;
  private final Currency budgetCurrency;

  UncommittedCharge(Reconciliation reconciliation, long amountNanos, Currency budgetCurrency, RuntimeException cause) {
    super(cause.getMessage(), cause);
    this.reconciliation = Objects.requireNonNull(reconciliation, "reconciliation");
    this.amountNanos = amountNanos;
    this.budgetCurrency = Objects.requireNonNull(budgetCurrency, "budgetCurrency");
  }

  /** The usage priced: its cost by the tariff. */
  public Reconciliation reconciliation() {
    return reconciliation;
  }

  /** What the commit would have charged, in nano-units of the budget's currency. */
  public long amountNanos() {
    return amountNanos;
  }

  public Currency budgetCurrency() {
    return budgetCurrency;
  }
}
