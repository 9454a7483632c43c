package dev.kopeck.core.guard;

import dev.kopeck.budget.Admission;
import dev.kopeck.core.estimate.ChatRequest;

/**
 * What a {@link BudgetGuard} did with each call, told as it happens: for metrics (Kopeck's
 * Micrometer module implements it), logs and tests. Every integration goes through the guard, so a
 * listener given to the guard hears about every call, whichever client made it. A listener that
 * throws does not change what the guard did: the exception is dropped.
 */
public interface GuardListener {
  /** The call's worst case was reserved on its scopes. */
  default void admitted(Admission.Reservation reservation, ChatRequest request) {}

  /** The call was refused before it went upstream. */
  default void refused(Admission.Refusal refusal, ChatRequest request) {}

  /**
   * The call's cost was committed. {@code usageEstimated} is true when the response carried no usage
   * (a stream cut by the server, the client or a timeout): an estimate of the prompt plus the text
   * received was committed instead.
   */
  default void committed(Charge charge, boolean usageEstimated) {}

  /** The reservation was released: the call failed before it was answered, or was answered with an error. */
  default void released(String requestId, String why) {}

  /**
   * The call was answered but its cost could not be committed (the ledger's store was down, the
   * usage was unreadable): the reservation holds its worst case until its time to live, then is
   * released. Retry the commit from here, or alert. When the call was priced before the ledger
   * failed (its reservation gone: a wiped store), {@code e} is an {@link UncommittedCharge} that says
   * what it cost; its cause is the ledger's exception.
   */
  default void commitFailed(String requestId, RuntimeException e) {}
}
