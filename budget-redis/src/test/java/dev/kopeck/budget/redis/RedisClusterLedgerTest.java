package dev.kopeck.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kopeck.budget.BudgetLedger;
import dev.kopeck.budget.BudgetListener;
import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.Scope;
import dev.kopeck.budget.testing.LedgerContract;
import dev.kopeck.budget.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ledger contract on a Redis Cluster of three masters started on loopback, a ledger per hash
 * tag; and the rule that puts a ledger in one slot.
 */
class RedisClusterLedgerTest extends LedgerContract {
  static RedisCluster cluster;
  static Path dir;
  private final List<RedisLedger> made = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    dir = Files.createTempDirectory("kopeck-cluster");
    cluster = RedisCluster.start(dir, 3, 0);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  protected BudgetLedger create(MutableClock clock, ZoneId zone, Duration ttl, BudgetListener listener) {
    RedisLedger l = RedisLedger.builder().cluster(cluster.addresses()).prefix("kopeck-{" + UUID.randomUUID() + "}")
        .clock(clock).zone(zone).reservationTtl(ttl).idempotencyWindow(Duration.ofMinutes(5)).thresholds(80, 100)
        .listener(listener).build();
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

  /** Ledgers of different tenants live on different masters: budgets past one Redis. */
  @Test
  void tenantsSpreadOverTheMasters() {
    Set<Integer> masters = new HashSet<>();
    Scope team = Scope.of("team:ml");
    for (String tenant : List.of("acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka")) {
      String prefix = "kopeck-{" + tenant + "}";
      try (RedisLedger l = RedisLedger.builder().cluster(cluster.addresses()).prefix(prefix).build()) {
        l.setLimit(team, 100, BudgetPeriod.MONTH);
        assertThat(l.reserve(tenant + "-1", List.of(team), 60).granted()).isTrue();
        assertThat(l.reserve(tenant + "-2", List.of(team), 60).granted()).isFalse();
        l.commit(tenant + "-1", 50);
        assertThat(l.status(team).spentNanos()).isEqualTo(50);
        masters.add(cluster.masterOf(prefix + ":ledger").port);
        l.deleteAll();
      }
    }
    assertThat(masters).hasSizeGreaterThan(1);
  }

  @Test
  void aPrefixWithoutAHashTagIsRefusedWithTheRule() {
    assertThatThrownBy(() -> RedisLedger.builder().cluster(cluster.addresses()).prefix("kopeck").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must share one hash slot").hasMessageContaining("kopeck-{acme}");
  }
}
