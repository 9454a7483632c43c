package dev.kopeck.redis;

import dev.kopeck.budget.BudgetLedger;
import dev.kopeck.budget.BudgetListener;
import dev.kopeck.budget.testing.LedgerContract;
import dev.kopeck.budget.testing.MutableClock;
import java.time.Duration;
import java.time.ZoneId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.budget.Period;
import dev.kopeck.budget.Scope;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

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

  /** deleteAll walks the keys page by page (SCAN), takes every key of its prefix, and no other. */
  @Test
  void deleteAllTakesEveryKeyOfItsPrefixAndNoOther() {
    RedisLedger mine = (RedisLedger) ledger;
    RedisLedger other = (RedisLedger) create(clock, java.time.ZoneId.of("UTC"), Duration.ofMinutes(1), BudgetListener.NONE);
    for (int i = 0; i < 2_500; i++) {
      mine.setLimit(Scope.of("s" + i), 10, Period.DAY);
    }
    other.setLimit(TEAM, 10, Period.DAY);
    assertThat(mine.deleteAll()).isEqualTo(2_500);
    assertThat(mine.deleteAll()).isZero();
    assertThat(other.status(TEAM).limitNanos()).isEqualTo(10);
    try (Jedis j = new Jedis(RedisSupport.HOST, RedisSupport.PORT)) {
      assertThat(j.dbSize()).isPositive();
    }
  }
}
