package dev.kopeck.budget;

/**
 * A commit of a request id the ledger holds no reservation for: never reserved, refused, or
 * finished longer ago than the idempotency window. Nothing was changed.
 */
public class UnknownRequestException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public UnknownRequestException(String message) {
    super(message);
  }
}
