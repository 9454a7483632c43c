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

  /** One listener that tells each of {@code listeners}, in order; one that throws does not keep the next from hearing. */
  static GuardListener all(java.util.List<GuardListener> listeners) {
    java.util.List<GuardListener> all = java.util.List.copyOf(listeners);
    return new GuardListener() {
      @Override
      public void admitted(Admission.Reservation reservation, ChatRequest request) {
        each(l -> l.admitted(reservation, request));
      }

      @Override
      public void refused(Admission.Refusal refusal, ChatRequest request) {
        each(l -> l.refused(refusal, request));
      }

      @Override
      public void committed(Charge charge, boolean usageEstimated) {
        each(l -> l.committed(charge, usageEstimated));
      }

      @Override
      public void released(String requestId, String why) {
        each(l -> l.released(requestId, why));
      }

      @Override
      public void commitFailed(String requestId, RuntimeException e) {
        each(l -> l.commitFailed(requestId, e));
      }

      private void each(java.util.function.Consumer<GuardListener> tell) {
        for (GuardListener l : all) {
          try {
            tell.accept(l);
          } catch (RuntimeException ignored) {
            // as this interface says: a listener's failure is not the call's, nor the next listener's
          }
        }
      }
    };
  }
}
