/**
 * Budgets: the ledger API and the in-memory ledger. No dependencies; backends are modules of their
 * own ({@code dev.kopeck.budget.redis}).
 */
module dev.kopeck.budget {
  exports dev.kopeck.budget;
  // what a second backend reuses (period ids, settings, argument checks); not for users
  exports dev.kopeck.budget.internal to dev.kopeck.budget.redis;
}
