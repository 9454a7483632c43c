package dev.kopeck.budget;

import java.time.Instant;
import java.util.List;

/** The answer to a reservation: granted, or refused with the scope that refused and what is left. */
public sealed interface Admission permits Admission.Reservation, Admission.Refusal {
  String requestId();

  boolean granted();

  /**
   * A granted reservation of {@code amountNanos} on every scope, until {@code expiresAt}.
   *
   * @param replayed true when this answers a retried reserve of the same request id (nothing charged again)
   */
  record Reservation(String requestId, List<Scope> scopes, long amountNanos, Instant expiresAt, boolean replayed)
      implements Admission {
    public Reservation {
      scopes = List.copyOf(scopes);
    }

    @Override
    public boolean granted() {
      return true;
    }
  }

  /** Refused: {@code scope} has {@code remainingNanos} left of {@code limitNanos} this period, less than asked. */
  record Refusal(String requestId, Scope scope, String periodId, long limitNanos, long remainingNanos, long askedNanos)
      implements Admission {
    @Override
    public boolean granted() {
      return false;
    }

    @Override
    public String toString() {
      return "refused by " + scope.name() + " (" + periodId + "): " + remainingNanos + " of " + limitNanos
          + " nano-units left, " + askedNanos + " asked";
    }
  }
}
