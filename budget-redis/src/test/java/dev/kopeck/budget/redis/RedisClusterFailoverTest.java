package dev.kopeck.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.budget.Admission;
import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.BudgetUnavailableException;
import dev.kopeck.budget.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * A master of a three-master cluster (each with a replica) is killed: its replica takes over, and
 * the ledger whose slot it held goes on, with what was written before the kill (waited for on the
 * replica, as a client that needs it must: replication is asynchronous).
 */
class RedisClusterFailoverTest {
  @Test
  void aLedgerGoesOnAfterItsMasterIsKilled() throws Exception {
    Path dir = Files.createTempDirectory("kopeck-cluster-failover");
    try (RedisCluster cluster = RedisCluster.start(dir, 3, 1)) {
      String prefix = "kopeck-{acme}";
      Scope team = Scope.of("team:ml");
      try (RedisLedger l = RedisLedger.builder().cluster(cluster.addresses()).prefix(prefix)
          .timeout(Duration.ofSeconds(1)).build()) {
        l.setLimit(team, 100, BudgetPeriod.MONTH);
        l.reserve("a", List.of(team), 40);
        l.commit("a", 30);
        l.reserve("b", List.of(team), 20);
        RedisProcess master = cluster.masterOf(prefix + ":ledger");
        try (Jedis j = new Jedis("127.0.0.1", master.port, 15_000)) {
          assertThat(j.waitReplicas(1, 10_000)).isEqualTo(1); // what was acknowledged is on the replica
        }
        master.kill();
        // until the replica is promoted the ledger says it is unavailable, then goes on
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Admission c = null;
        while (c == null && System.nanoTime() < until) {
          try {
            c = l.reserve("c", List.of(team), 10);
          } catch (BudgetUnavailableException duringFailover) {
            TimeUnit.MILLISECONDS.sleep(200);
          }
        }
        assertThat(c).isNotNull();
        assertThat(c.granted()).isTrue();
        assertThat(l.commit("b", 20).replayed()).isFalse(); // the reservation made before the kill survived
        assertThat(l.status(team).spentNanos()).isEqualTo(50);
        assertThat(l.status(team).reservedNanos()).isEqualTo(10);
        assertThat(cluster.masterOf(prefix + ":ledger").port).isNotEqualTo(master.port);
      }
    }
  }
}
