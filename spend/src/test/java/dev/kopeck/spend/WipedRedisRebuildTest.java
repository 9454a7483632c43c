package dev.kopeck.spend;

import static dev.kopeck.testkit.GuardedClientContract.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.Scope;
import dev.kopeck.budget.redis.RedisLedger;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.estimate.ChatRequestParser;
import dev.kopeck.core.estimate.Estimator;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.core.guard.Charge;
import dev.kopeck.core.reconcile.Reconciler;
import dev.kopeck.pricing.usage.Usage;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A non-persistent Redis of the test's own is killed and started empty under calls in flight: their
 * commits find their reservations gone. The spend log keeps what they cost, and the rebuild from it
 * counts them with the commits made before: the rebuilt spending is everything the calls cost.
 */
class WipedRedisRebuildTest {
  final Scope team = Scope.of("team:" + UUID.randomUUID());

  @TempDir
  Path dir;

  @Test
  void callsInFlightWhenTheStoreIsWipedAreCountedByTheRebuild() throws Exception {
    Path bin = Path.of("/usr/bin/redis-server");
    Assumptions.assumeTrue(Files.isExecutable(bin), "no /usr/bin/redis-server: the test starts a Redis of its own");
    Pg.assumeUp();
    Clock clock = Clock.fixed(Instant.parse("2025-03-10T12:00:00Z"), ZoneOffset.UTC);
    Estimator est = Estimator.builder().clock(clock).build();
    ChatRequest r = ChatRequestParser.parse("r", "{\"model\":\"" + MODEL + "\",\"max_tokens\":100,\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"Say hello.\"}]}");
    String run = "w-" + UUID.randomUUID() + "-";
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process redis = startRedis(bin, port);
    try (OwnDatabase db = new OwnDatabase();
        RedisLedger ledger = RedisLedger.builder().port(port).clock(clock).build()) {
      ledger.setLimit(team, 5_000_000_000L, BudgetPeriod.MONTH);
      long expected = 0;
      try (SpendLog log = SpendLog.builder(dir, new PostgresSpendSink(db.url, SpendLogTest.USER, null)).clock(clock)
          .build()) {
        BudgetGuard g = new BudgetGuard(est, Reconciler.builder().estimator(est).clock(clock).build(), ledger, clock)
            .withListener(log);
        for (int i = 0; i < 10; i++) {
          g.admit(run + i, r, List.of(team));
        }
        for (int i = 0; i < 6; i++) {
          expected += g.charge(run + i, r, Usage.of(1000 + i, 100 + i), false).commit().actualNanos();
        }
        redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // no persistence: everything is gone
        redis = startRedis(bin, port);
        ledger.setLimit(team, 5_000_000_000L, BudgetPeriod.MONTH); // the application sets its limits again
        for (int i = 6; i < 10; i++) { // the calls in flight are answered: their reservations are gone
          Charge c = g.settle(run + i, r, Usage.of(1000 + i, 100 + i), null);
          assertThat(c).as("a commit with its reservation gone").isNull();
        }
        assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
      }
      long uncommitted = db.sum("cost_nanos", "event = 'commit_failed' AND request_id LIKE '" + run + "%'");
      assertThat(db.rows("event = 'commit_failed' AND cost_nanos > 0 AND request_id LIKE '" + run + "%'"))
          .isEqualTo(4);
      assertThat(uncommitted).isPositive();
      assertThat(ledger.status(team).spentNanos()).isZero(); // the store lost its spending
      List<BudgetRebuild.Result> results = new BudgetRebuild(ledger, List.of(team), ZoneId.of("UTC"))
          .fromPostgres(db.url, SpendLogTest.USER, null, Instant.parse("2025-01-01T00:00:00Z"));
      assertThat(results.get(0).commits()).isEqualTo(10);
      assertThat(ledger.status(team).spentNanos()).isEqualTo(expected + uncommitted);
    } finally {
      redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Process startRedis(Path bin, int port) throws Exception {
    Process p = new ProcessBuilder(bin.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save",
        "", "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start();
    for (int i = 0; i < 200; i++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 100);
        return p;
      } catch (java.io.IOException notYet) {
        p.waitFor(25, TimeUnit.MILLISECONDS);
      }
    }
    throw new IllegalStateException("redis-server did not listen on " + port);
  }
}
