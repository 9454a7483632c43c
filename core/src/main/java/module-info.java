/**
 * Kopeck core: pre-flight estimates, reconciliation of what was billed, and the budget guard that
 * joins them to a ledger.
 */
module dev.kopeck.core {
  requires transitive dev.kopeck.pricing;
  requires transitive dev.kopeck.tokens;
  requires transitive dev.kopeck.budget;

  exports dev.kopeck.core.estimate;
  exports dev.kopeck.core.reconcile;
  exports dev.kopeck.core.guard;
  exports dev.kopeck.core.model;
}
