package dev.kopeck.budget.internal;

import dev.kopeck.budget.IdempotencyConflictException;
import dev.kopeck.budget.RequestIds;
import dev.kopeck.budget.Scope;
import dev.kopeck.budget.UnknownRequestException;
import java.util.List;
import java.util.Objects;

/** What every ledger does the same way: the checks of its arguments and the refusal policy. */
public final class Ledgers {
  private Ledgers() {}

  /**
   * The checks every ledger makes of its arguments: a request id as {@link RequestIds} says, at least one
   * scope and none twice, an amount that is not negative.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public static void requireValid(String requestId, List<Scope> scopes, long amountNanos) {
    Objects.requireNonNull(requestId, "requestId");
    RequestIds.require(requestId);
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("a reservation needs at least one scope");
    }
    // holding one scope twice would count the amount twice against its limit
    if (scopes.size() <= 8) { // a few scopes: comparing each pair beats hashing them
      for (int i = 1; i < scopes.size(); i++) {
        for (int j = 0; j < i; j++) {
          if (scopes.get(j).equals(scopes.get(i))) {
            throw twice(scopes.get(i));
          }
        }
      }
    } else {
      java.util.Set<Scope> seen = new java.util.HashSet<>();
      for (Scope s : scopes) {
        if (!seen.add(s)) {
          throw twice(s);
        }
      }
    }
    if (amountNanos < 0) {
      throw new IllegalArgumentException("an amount must not be negative: " + amountNanos);
    }
  }

  private static IllegalArgumentException twice(Scope s) {
    return new IllegalArgumentException("scope " + s + " is given twice; a reservation holds each scope once");
  }

  /** A request id reused with other arguments ({@code what}: "reserve with other scopes …"); names the id only. */
  public static IdempotencyConflictException conflict(String requestId, String what) {
    return new IdempotencyConflictException("request id " + RequestIds.quote(requestId) + " is already in use: a " + what
        + " than its first call is a conflict, not a retry; a new request needs a new id");
  }

  /** A commit of an id the ledger holds no reservation for. */
  public static UnknownRequestException unknown(String requestId) {
    return new UnknownRequestException("no reservation for request " + RequestIds.quote(requestId)
        + " (never reserved, refused, or finished longer ago than the idempotency window)");
  }

  /** {@code what} ("an amount of 5", "an actual cost of 5") would take {@code scope} past {@code Long.MAX_VALUE}. */
  public static IllegalArgumentException tooLarge(String what, String scope) {
    return new IllegalArgumentException(what + " nano-units would take scope " + scope
        + " past the largest total a ledger counts, " + Long.MAX_VALUE + " nano-units");
  }
}
