package dev.kopeck.budget.redis;

import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.Jedis;

/** Finds the Redis the tests use: 127.0.0.1:6379, or $KOPECK_REDIS_PORT. */
final class RedisSupport {
  static final String HOST = "127.0.0.1";
  static final int PORT = Integer.parseInt(System.getenv().getOrDefault("KOPECK_REDIS_PORT", "6379"));
  private static Boolean up;

  private RedisSupport() {}

  static synchronized boolean up() {
    if (up == null) {
      try (Jedis j = new Jedis(HOST, PORT, 1000)) {
        up = "PONG".equals(j.ping());
      } catch (RuntimeException e) {
        up = false;
      }
      if (!up) {
        System.err.println("RedisLedger tests SKIPPED: no Redis answers at " + HOST + ":" + PORT
            + " (CI starts one in .ci/run; start redis-server to run them)");
      }
    }
    return up;
  }

  static void assumeRedis() {
    Assumptions.assumeTrue(up(), "no Redis at " + HOST + ":" + PORT + ": Redis tests skipped");
  }

  static String uniquePrefix() {
    return "kt" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }
}
