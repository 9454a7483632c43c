/**
 * Kopeck core: pre-flight estimates, reconciliation of what was billed, and the budget guard that
 * joins them to a ledger.
 */
module dev.kopeck.core {
  requires transitive dev.kopeck.pricing;
  requires transitive dev.kopeck.tokens;
  requires transitive dev.kopeck.budget;

  exports dev.kopeck.estimate;
  exports dev.kopeck.reconcile;
  exports dev.kopeck.guard;
  exports dev.kopeck.model;
}
