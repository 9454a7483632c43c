/** The Redis budget ledger. */
module dev.kopeck.redis {
  requires dev.kopeck.core;
  requires redis.clients.jedis;

  exports dev.kopeck.redis;
}
