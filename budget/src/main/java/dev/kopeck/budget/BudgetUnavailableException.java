package dev.kopeck.budget;

/**
 * The ledger's store cannot be reached (Redis stopped, the network broke). Nothing was decided: a
 * reserve may be retried with the same request id and will count once.
 */
public class BudgetUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BudgetUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
