package dev.kopeck.budget;

/**
 * A request id was used again with other arguments: a reserve with other scopes or another amount,
 * or a commit of another actual cost. A retry must repeat its first call exactly; a new request
 * needs a new id. The message names the id only: it never reveals what the first call asked, which
 * may belong to another tenant. Nothing was changed.
 */
public class IdempotencyConflictException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public IdempotencyConflictException(String message) {
    super(message);
  }
}
