package dev.kopeck.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kopeck.budget.Admission;
import dev.kopeck.budget.BudgetUnavailableException;
import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.Scope;
import dev.kopeck.budget.ScopeStatus;
import dev.kopeck.budget.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Races between processes, and a Redis that dies mid-run. */
class RedisFaultsTest {
  static final Scope TEAM = Scope.of("team:race");

  /** Several JVMs race for the last rouble on one Redis: spending never passes the limit. */
  @Test
  void severalProcessesRaceForTheLastRouble() throws Exception {
    RedisSupport.assumeRedis();
    String prefix = RedisSupport.uniquePrefix();
    long limit = 1_000_000_000L; // 1 rouble; each request asks 0.010 to 0.014
    try (RedisLedger l = RedisLedger.builder().port(RedisSupport.PORT).prefix(prefix).build()) {
      l.setLimit(TEAM, limit, BudgetPeriod.MONTH);
      List<Process> ps = new ArrayList<>();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      for (int i = 0; i < 3; i++) {
        ps.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), RaceMain.class.getName(),
            Integer.toString(RedisSupport.PORT), prefix, "p" + i, "60").redirectErrorStream(true).start());
      }
      int granted = 0;
      for (Process p : ps) {
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.exitValue()).as(out).isZero();
        granted += Integer.parseInt(out.substring(out.lastIndexOf(' ') + 1));
      }
      ScopeStatus s = l.status(TEAM);
      assertThat(s.spentNanos()).isLessThanOrEqualTo(limit);
      assertThat(s.spentNanos()).isGreaterThan(limit - 14_000_000L); // the budget was used up
      assertThat(s.reservedNanos()).isZero();
      assertThat(granted).isBetween(70, 100);
      l.deleteAll();
    }
  }

  /** Redis dies mid-run: a typed error; after it returns, retries count once and nothing leaks past its TTL. */
  @Test
  void redisStopsMidRun(@TempDir Path dir) throws Exception {
    RedisProcess.assumeBinary();
    MutableClock clock = new MutableClock(Instant.parse("2025-03-10T12:00:00Z"));
    RedisProcess redis = RedisProcess.start(dir, "--appendonly", "yes", "--appendfsync", "always");
    int port = redis.port;
    try (RedisLedger l = RedisLedger.builder().port(port).clock(clock).reservationTtl(Duration.ofSeconds(30))
        .timeout(Duration.ofMillis(500)).build()) {
      l.setLimit(TEAM, 100, BudgetPeriod.DAY);
      assertThat(l.reserve("a", List.of(TEAM), 40).granted()).isTrue();
      assertThat(l.reserve("b", List.of(TEAM), 30).granted()).isTrue();
      l.commit("a", 35);
      redis.kill();
      // the caller gets a clear, typed error, not a hang
      assertThatThrownBy(() -> l.reserve("c", List.of(TEAM), 10)).isInstanceOf(BudgetUnavailableException.class)
          .hasMessageContaining("Redis at 127.0.0.1:" + port);
      assertThatThrownBy(() -> l.commit("b", 30)).isInstanceOf(BudgetUnavailableException.class);
      redis.start(); // the same port and folder: the same data, from its append-only file
      // the client lost the answers: it retries everything; each counts once
      assertThat(l.commit("a", 35).replayed()).isTrue();
      assertThat(l.commit("b", 30).replayed()).isFalse();
      assertThat(l.commit("b", 30).replayed()).isTrue();
      Admission c = l.reserve("c", List.of(TEAM), 10);
      assertThat(c.granted()).isTrue();
      ScopeStatus s = l.status(TEAM);
      assertThat(s.spentNanos()).isEqualTo(65);
      assertThat(s.reservedNanos()).isEqualTo(10);
      // "c" is abandoned: past its TTL it no longer holds money
      clock.advance(Duration.ofSeconds(31));
      assertThat(l.expire()).isEqualTo(1);
      assertThat(l.status(TEAM).reservedNanos()).isZero();
    } finally {
      redis.kill();
    }
  }

  /**
   * Issue 20 #13: Redis restarts without persistence. The limits are gone; the ledger fails closed
   * (every reserve refused with BudgetUnavailableException) until they are set again, where it once
   * granted a reserve of any size on a scope that was refusing.
   */
  @Test
  void aRestartWithoutPersistenceFailsClosed(@TempDir Path dir) throws Exception {
    RedisProcess.assumeBinary();
    MutableClock clock = new MutableClock(Instant.parse("2025-03-10T12:00:00Z"));
    try (RedisProcess redis = RedisProcess.start(dir);
        RedisLedger l = RedisLedger.builder().port(redis.port).clock(clock).timeout(Duration.ofMillis(500)).build()) {
      l.setLimit(TEAM, 100, BudgetPeriod.DAY);
      l.reserve("a", List.of(TEAM), 100);
      assertThat(l.reserve("b", List.of(TEAM), 1).granted()).isFalse();
      redis.kill();
      redis.start(); // the same port, nothing kept
      assertThatThrownBy(() -> l.reserve("c", List.of(TEAM), 1_000_000)).isInstanceOf(BudgetUnavailableException.class)
          .hasMessageContaining("holds no ledger");
      assertThatThrownBy(() -> l.status(TEAM)).isInstanceOf(BudgetUnavailableException.class);
    }
  }
}
