package dev.kopeck.budget;

import java.util.List;

/**
 * Budgets in whole nano-units (10⁻⁹ of the currency unit) per scope and period. Every operation is
 * keyed by a request id, so a retried call (the client lost the answer) counts once. One request may
 * charge several scopes: all or nothing.
 *
 * <p>Implementations: {@link InMemoryLedger} for one JVM; {@code RedisLedger} (artifact kopeck-budget-redis)
 * across many.
 */
public interface BudgetLedger {
  /**
   * Reserves {@code maxCostNanos} on every scope, or refuses naming the first scope that cannot
   * afford it. A retried reserve of the same request id answers the first reservation again.
   */
  Admission reserve(String requestId, List<Scope> scopes, long maxCostNanos);

  /**
   * Commits the actual cost of a reserved request, replacing its reservation; never refused (an
   * excess is recorded as overspend). A retried commit answers the first again.
   *
   * @throws IllegalStateException if the request id was never reserved (or is older than the
   *     ledger's memory of ids)
   */
  Commit commit(String requestId, long actualNanos);

  /** Releases a reservation (the call failed); false if there was nothing to release. */
  boolean release(String requestId);

  /** {@link #commit(String, long)} of a reservation in hand. */
  default Commit commit(Admission.Reservation reservation, long actualNanos) {
    return commit(reservation.requestId(), actualNanos);
  }

  /** {@link #release(String)} of a reservation in hand. */
  default boolean release(Admission.Reservation reservation) {
    return release(reservation.requestId());
  }

  /** Would a reservation of {@code amountNanos} be granted now? Changes nothing. */
  Admission probe(List<Scope> scopes, long amountNanos);

  /** The scope in its current period. */
  ScopeStatus status(Scope scope);

  /** Sets (or replaces) a scope's limit, with no currency recorded; {@code limitNanos} -1 removes it. */
  default void setLimit(Scope scope, long limitNanos, BudgetPeriod period) {
    setLimit(scope, limitNanos, period, null);
  }

  /**
   * Sets (or replaces) a scope's limit in a currency, which {@link #status} then reports: a budget's
   * currency is part of the budget, so a tool showing it cannot relabel roubles as dollars.
   * {@code limitNanos} -1 removes the limit; {@code currency} null records none.
   */
  void setLimit(Scope scope, long limitNanos, BudgetPeriod period, java.util.Currency currency);

  /** Forgets what the scope spent and reserved in its current period. */
  void reset(Scope scope);

  /**
   * Sets what the scope spent in its current period to {@code spentNanos}: a ledger rebuilt from a
   * spend log after its store was lost ({@code kopeck budget rebuild}). Setting it again to the same
   * value changes nothing; limits and open reservations stay.
   *
   * @throws IllegalArgumentException if {@code spentNanos} is negative
   */
  void restoreSpent(Scope scope, long spentNanos);

  /** Releases reservations past their time to live; returns how many. */
  int expire();

}
