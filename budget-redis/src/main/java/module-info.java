/** The Redis budget ledger. */
module dev.kopeck.budget.redis {
  requires transitive dev.kopeck.budget;
  requires redis.clients.jedis;

  exports dev.kopeck.budget.redis;
}
