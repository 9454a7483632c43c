package dev.kopeck.budget.redis;

import dev.kopeck.budget.BudgetLedger;
import dev.kopeck.budget.BudgetListener;
import dev.kopeck.budget.testing.LedgerContract;
import dev.kopeck.budget.testing.MutableClock;
import java.time.Duration;
import java.time.ZoneId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.Scope;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import dev.kopeck.budget.BudgetUnavailableException;
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
    l.initialize();
    return l;
  }

  @AfterEach
  void cleanUp() {
    for (RedisLedger l : made) {
      l.deleteAll();
      l.close();
    }
  }

  /**
   * A reserve that is not refused still sweeps expired reservations, once a second per process:
   * the abandoned money shows as free in the status without anyone being refused first.
   */
  @Test
  void anUnrefusedReserveSweepsOnceASecond() {
    ledger.setLimit(TEAM, 10 * ROUBLE, BudgetPeriod.NONE);
    ledger.reserve("abandoned", List.of(TEAM), 8 * ROUBLE);
    clock.advance(Duration.ofMillis(500));
    ledger.reserve("other", List.of(USER), ROUBLE); // within the second: no sweep, nothing due anyway
    clock.advance(Duration.ofSeconds(61));
    assertThat(ledger.status(TEAM).reservedNanos()).isEqualTo(8 * ROUBLE); // not swept yet
    ledger.reserve("later", List.of(USER), ROUBLE);
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
    assertThat(ledger.commit("abandoned", 3 * ROUBLE).replayed()).isFalse(); // a late commit still counts, once
    assertThat(ledger.status(TEAM).spentNanos()).isEqualTo(3 * ROUBLE);
  }

  /** A scope's limit and all its periods' usage are one hash; a reset clears the current period's fields only. */
  @Test
  void aScopeIsOneHashAndAResetClearsOnlyTheCurrentPeriod() {
    ledger.setLimit(TEAM, 10 * ROUBLE, BudgetPeriod.DAY);
    ledger.reserve("a", List.of(TEAM), 9 * ROUBLE);
    ledger.commit("a", 9 * ROUBLE); // 2025-03-31 in Moscow, 80 % told
    clock.advance(Duration.ofMinutes(2));
    ledger.reserve("b", List.of(TEAM), 9 * ROUBLE);
    ledger.commit("b", 9 * ROUBLE); // 2025-04-01, 80 % told
    String key = ((RedisLedger) ledger).prefix() + ":scope:team:ml";
    try (Jedis j = new Jedis(RedisSupport.HOST, RedisSupport.PORT)) {
      assertThat(j.hgetAll(key)).containsOnlyKeys("limit", "period", "zone", "s:2025-03-31", "r:2025-03-31",
          "f:2025-03-31:80", "s:2025-04-01", "r:2025-04-01", "f:2025-04-01:80");
      ledger.reset(TEAM); // reservations stay: a reset forgets what was spent and the thresholds told
      assertThat(j.hgetAll(key)).containsOnlyKeys("limit", "period", "zone", "s:2025-03-31", "r:2025-03-31",
          "f:2025-03-31:80", "r:2025-04-01");
    }
    ledger.reserve("c", List.of(TEAM), 9 * ROUBLE);
    ledger.commit("c", 9 * ROUBLE);
    assertThat(events).containsExactly("team:ml 2025-03-31 80%", "team:ml 2025-04-01 80%", "team:ml 2025-04-01 80%");
  }

  /** deleteAll walks the keys page by page (SCAN), takes every key of its prefix, and no other. */
  @Test
  void deleteAllTakesEveryKeyOfItsPrefixAndNoOther() {
    RedisLedger mine = (RedisLedger) ledger;
    RedisLedger other = (RedisLedger) create(clock, java.time.ZoneId.of("UTC"), Duration.ofMinutes(1), BudgetListener.NONE);
    for (int i = 0; i < 2_500; i++) {
      mine.setLimit(Scope.of("s" + i), 10, BudgetPeriod.DAY);
    }
    other.setLimit(TEAM, 10, BudgetPeriod.DAY);
    assertThat(mine.deleteAll()).isEqualTo(2_501); // the scopes' hashes and the ledger's marker
    assertThat(mine.deleteAll()).isZero();
    assertThat(other.status(TEAM).limitNanos()).isEqualTo(10);
    try (Jedis j = new Jedis(RedisSupport.HOST, RedisSupport.PORT)) {
      assertThat(j.dbSize()).isPositive();
    }
  }

  /** Issue 20 #9: a reservation nobody swept in time keeps its record (and its money) until it is swept. */
  @Test
  void anUnsweptReservationIsNeverLost() {
    ledger.setLimit(TEAM, 100, BudgetPeriod.NONE);
    ledger.reserve("slow", List.of(TEAM), 70);
    clock.advance(Duration.ofHours(2)); // past the TTL and the 5-minute window, and nobody swept
    String rec = ((RedisLedger) ledger).prefix() + ":req:slow";
    try (Jedis j = new Jedis(RedisSupport.HOST, RedisSupport.PORT)) {
      assertThat(j.pttl(rec)).isEqualTo(-1L); // an open reservation's record does not expire on its own
    }
    assertThat(ledger.expire()).isEqualTo(1);
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
    assertThat(ledger.commit("slow", 50).late()).isTrue();
    assertThat(ledger.status(TEAM).spentNanos()).isEqualTo(50);
  }

  /** Issue 20 #13: a store that lost its data (FLUSHALL, a restart without persistence) fails closed. */
  @Test
  void aWipedStoreFailsClosed() {
    ledger.setLimit(TEAM, 100, BudgetPeriod.MONTH);
    ledger.reserve("a", List.of(TEAM), 100);
    assertThat(((RedisLedger) ledger).deleteAll()).isPositive(); // as a flush would
    assertThatThrownBy(() -> ledger.reserve("b", List.of(TEAM), 1_000)).isInstanceOf(BudgetUnavailableException.class)
        .hasMessageContaining("holds no ledger").hasMessageContaining("fail closed");
    assertThatThrownBy(() -> ledger.status(TEAM)).isInstanceOf(BudgetUnavailableException.class);
    assertThatThrownBy(() -> ledger.commit("a", 1)).isInstanceOf(BudgetUnavailableException.class);
    ledger.setLimit(TEAM, 100, BudgetPeriod.MONTH); // limits set again: it works again
    assertThat(ledger.reserve("b", List.of(TEAM), 100).granted()).isTrue();
  }

  /** Issue 20 #15: a process in another zone is refused on a scope whose limit was set in one. */
  @Test
  void aScopeKeepsTheZoneItsLimitWasSetIn() {
    ledger.setLimit(TEAM, 100, BudgetPeriod.MONTH); // Europe/Moscow
    RedisLedger utc = RedisLedger.builder().prefix(((RedisLedger) ledger).prefix()).clock(clock)
        .zone(java.time.ZoneId.of("UTC")).build();
    made.add(utc);
    assertThatThrownBy(() -> utc.reserve("a", List.of(TEAM), 1)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Europe/Moscow").hasMessageContaining("UTC");
    assertThat(utc.reserve("b", List.of(USER), 1).granted()).isTrue(); // a scope without a limit has no zone
  }
}
