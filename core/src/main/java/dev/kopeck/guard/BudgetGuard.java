package dev.kopeck.guard;

import dev.kopeck.budget.Admission;
import dev.kopeck.budget.BudgetLedger;
import dev.kopeck.budget.Commit;
import dev.kopeck.budget.Scope;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kopeck.estimate.ChatRequest;
import dev.kopeck.estimate.Estimate;
import dev.kopeck.estimate.Estimator;
import dev.kopeck.reconcile.Reconciler;
import dev.kopeck.reconcile.Reconciliation;
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

  /** Commits the cost of the usage in {@code response} (a response object or a bare usage). */
  public Commit complete(String requestId, ChatRequest request, JsonNode response) {
    Reconciliation r = reconciler.reconcile(requestId, 0, request == null ? null : request.json(), response,
        clock.instant(), "response of " + requestId);
    long actual = r.cost().map(c -> c.total().toNanos(RoundingMode.CEILING)).orElseThrow(() ->
        new IllegalStateException("the response of " + requestId + " carries no usage: release or commit a known cost"));
    return ledger.commit(requestId, actual);
  }

  /** Releases the reservation of a request that failed. */
  public boolean fail(String requestId) {
    return ledger.release(requestId);
  }

  public BudgetLedger ledger() {
    return ledger;
  }
}
