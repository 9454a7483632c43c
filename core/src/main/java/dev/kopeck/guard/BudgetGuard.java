package dev.kopeck.guard;

import dev.kopeck.budget.Admission;
import dev.kopeck.budget.BudgetLedger;
import dev.kopeck.budget.Commit;
import dev.kopeck.budget.Scope;
import dev.kopeck.estimate.ChatRequest;
import dev.kopeck.estimate.Estimate;
import dev.kopeck.estimate.Estimator;
import dev.kopeck.reconcile.Reconciler;
import dev.kopeck.reconcile.Reconciliation;
import dev.kopeck.usage.Usage;
import dev.kopeck.usage.UsageParser;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Joins the pieces so a service writes three lines:
 *
 * <pre>{@code
 * Admission a = guard.admit(requestId, request, scopes);      // estimate, reserve the worst case
 * if (!a.granted()) return tooExpensive(a);
 * try { response = callModel(request); guard.complete(requestId, request, response); }   // commit the usage's cost
 * catch (Exception e) { guard.fail(requestId); throw e; }                               // or release
 * }</pre>
 *
 * Costs become nano-units rounded up (ceiling): a reservation never holds less than the cost, and a
 * commit never records less.
 */
public final class BudgetGuard {
  private final Estimator estimator;
  private final Reconciler reconciler;
  private final BudgetLedger ledger;
  private final Clock clock;

  public BudgetGuard(Estimator estimator, Reconciler reconciler, BudgetLedger ledger, Clock clock) {
    this.estimator = Objects.requireNonNull(estimator, "estimator");
    this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Estimates the request and reserves its maximum cost on every scope. */
  public Admission admit(String requestId, ChatRequest request, List<Scope> scopes) {
    Estimate e = estimator.estimate(request);
    return ledger.reserve(requestId, scopes, e.costMax().toNanos(RoundingMode.CEILING));
  }

  /**
   * Commits the cost of the usage in {@code responseBody}: the response's JSON (a whole response or
   * a bare usage) or its saved event stream.
   *
   * @throws dev.kopeck.usage.UsageException if the body carries no readable usage: then release the
   *     reservation, or commit a cost known otherwise
   */
  public Commit complete(String requestId, ChatRequest request, String responseBody) {
    return complete(requestId, request, UsageParser.parse("response of " + requestId, responseBody));
  }

  /** Commits the cost of {@code usage} under the tariff in force now. */
  public Commit complete(String requestId, ChatRequest request, Usage usage) {
    Objects.requireNonNull(usage, "usage");
    Reconciliation r = reconciler.reconcile(new Reconciler.Call(requestId, request, usage, clock.instant()));
    return ledger.commit(requestId, r.price().toNanos(RoundingMode.CEILING));
  }

  /** Releases the reservation of a request that failed. */
  public boolean fail(String requestId) {
    return ledger.release(requestId);
  }

  public BudgetLedger ledger() {
    return ledger;
  }
}
