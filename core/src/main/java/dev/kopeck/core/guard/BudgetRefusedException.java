package dev.kopeck.core.guard;

import dev.kopeck.budget.Admission;
import java.util.Objects;

/**
 * A call refused before it was made: a scope's budget cannot hold its worst case. Thrown by the
 * integrations that answer with an exception (LangChain4j's models, Spring AI's advisor); the HTTP
 * ones answer 402 with the same message.
 */
public final class BudgetRefusedException extends RuntimeException {
  private final transient Admission.Refusal refusal;

  public BudgetRefusedException(Admission.Refusal refusal) {
    super(describe(refusal));
    this.refusal = refusal;
  }

  /** Which scope refused, and what it has left. */
  public Admission.Refusal refusal() {
    return refusal;
  }

  /** The words every integration uses for a refusal. */
  public static String describe(Admission.Refusal r) {
    Objects.requireNonNull(r, "refusal");
    return "Kopeck refused the call: the budget of " + r.scope().name() + " (" + r.periodId() + ") has "
        + r.remainingNanos() + " nano-units left of " + r.limitNanos() + ", and the call may cost up to "
        + r.askedNanos();
  }
}
