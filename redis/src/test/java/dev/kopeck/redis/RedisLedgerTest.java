package dev.kopeck.redis;

import dev.kopeck.budget.BudgetLedger;
import dev.kopeck.budget.BudgetListener;
import dev.kopeck.budget.testing.LedgerContract;
import dev.kopeck.budget.testing.MutableClock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The ledger contract against the real Redis at 127.0.0.1:6379 (skipped, saying so, where none answers). */
class RedisLedgerTest extends LedgerContract {
  private final List<RedisLedger> made = new ArrayList<>();

  @Override
  protected BudgetLedger create(MutableClock clock, ZoneId zone, Duration ttl, BudgetListener listener) {
    RedisSupport.assumeRedis();
    RedisLedger l = RedisLedger.builder().prefix(RedisSupport.uniquePrefix()).clock(clock).zone(zone)
        .reservationTtl(ttl).idempotencyWindow(Duration.ofMinutes(5)).thresholds(80, 100).listener(listener).build();
    made.add(l);
    return l;
  }

  @AfterEach
  void cleanUp() {
    for (RedisLedger l : made) {
      l.deleteAll();
      l.close();
    }
  }
}
