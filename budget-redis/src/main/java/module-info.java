/** The Redis budget ledger. */
module dev.kopeck.budget.redis {
  requires transitive dev.kopeck.budget;
  requires redis.clients.jedis;
  requires dev.kopeck.base;
  requires org.apache.commons.pool2;

  exports dev.kopeck.budget.redis;
}
