package dev.kopeck.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.budget.Admission;
import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.BudgetUnavailableException;
import dev.kopeck.budget.Scope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Redis of the test's own paused for 10 s (SIGSTOP) under callers reserving: the reserves sent
 * meanwhile run when it goes on, for callers that were told "unavailable". The ledger releases
 * them by id once Redis answers again: what stays reserved after is at most 5 % of the limit.
 */
class RedisStallTest {
  static final Scope TEAM = Scope.of("team:stall");

  @Test
  void aTenSecondStopLeavesAtMostFivePercentOrphaned(@TempDir Path dir) throws Exception {
    RedisProcess.assumeBinary();
    long limit = 1_000_000_000L;
    long each = limit / 100;
    try (RedisProcess redis = RedisProcess.start(dir);
        RedisLedger l = RedisLedger.builder().port(redis.port).timeout(Duration.ofMillis(200))
            .reservationTtl(Duration.ofMinutes(10)).build()) {
      l.setLimit(TEAM, limit, BudgetPeriod.MONTH);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger unavailable = new AtomicInteger();
      AtomicInteger ids = new AtomicInteger();
      List<Thread> callers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread th = new Thread(() -> {
          while (!stop.get()) {
            String id = "call-" + ids.incrementAndGet();
            try {
              Admission a = l.reserve(id, List.of(TEAM), each);
              if (a.granted()) {
                Thread.sleep(5); // the model's answer
                l.commit(id, each / 2);
              } else {
                Thread.sleep(5);
              }
            } catch (BudgetUnavailableException e) {
              unavailable.incrementAndGet(); // told "unavailable": the caller holds nothing, as it knows
            } catch (InterruptedException e) {
              return;
            } catch (RuntimeException e) {
              // a commit of a reserve that was unavailable: not this test's concern
            }
          }
        });
        th.start();
        callers.add(th);
      }
      Thread.sleep(500);
      redis.pause();
      Thread.sleep(10_000);
      redis.resume();
      Thread.sleep(3_000); // the callers go on: Redis answers, the uncertain reserves are released
      stop.set(true);
      for (Thread th : callers) {
        th.join(10_000);
      }
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (l.uncertainReserves() > 0 && System.nanoTime() < deadline) {
        l.status(TEAM); // an answer: the release goes on
        Thread.sleep(200);
      }
      long reserved = l.status(TEAM).reservedNanos();
      System.out.printf("redis stall: %d calls told unavailable, %d uncertain left, %.1f %% of the limit reserved after%n",
          unavailable.get(), l.uncertainReserves(), 100.0 * reserved / limit);
      assertThat(unavailable.get()).as("calls told unavailable during the stop").isPositive();
      assertThat(reserved).as("reserved after the stop, of a limit of " + limit).isLessThanOrEqualTo(limit / 20);
    }
  }

  /**
   * The answer to a reserve is lost on its way back (a proxy drops Redis's replies): the reserve ran,
   * the caller was told "unavailable". Once Redis answers again, the ledger releases it by its id.
   */
  @Test
  void aReserveWhoseAnswerWasLostIsReleasedWhenRedisAnswersAgain() throws Exception {
    RedisSupport.assumeRedis();
    String prefix = RedisSupport.uniquePrefix();
    try (LossyProxy proxy = new LossyProxy(RedisSupport.PORT);
        RedisLedger l = RedisLedger.builder().port(proxy.port()).prefix(prefix).timeout(Duration.ofMillis(300))
            .build()) {
      l.setLimit(TEAM, 1_000, BudgetPeriod.MONTH);
      l.reserve("warm", List.of(TEAM), 1); // the scripts loaded: the lost exchange is the reserve itself
      l.release("warm");
      proxy.dropReplies = true;
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> l.reserve("lost", List.of(TEAM), 400))
          .isInstanceOf(BudgetUnavailableException.class).hasMessageContaining("did not answer");
      proxy.dropReplies = false;
      try (RedisLedger direct = RedisLedger.builder().port(RedisSupport.PORT).prefix(prefix).build()) {
        assertThat(direct.status(TEAM).reservedNanos()).as("the reserve ran").isEqualTo(400);
        assertThat(l.uncertainReserves()).isEqualTo(1);
        l.status(TEAM); // Redis answers: the lost reserve is released
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (direct.status(TEAM).reservedNanos() != 0 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(direct.status(TEAM).reservedNanos()).isZero();
        direct.deleteAll();
      }
    }
  }

  /** A TCP proxy to Redis that passes requests on and, while {@code dropReplies}, throws the replies away. */
  static final class LossyProxy implements AutoCloseable {
    private final java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    volatile boolean dropReplies;

    LossyProxy(int target) throws java.io.IOException {
      Thread accept = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            java.net.Socket client = server.accept();
            java.net.Socket redis = new java.net.Socket("127.0.0.1", target);
            pump(client, redis, false);
            pump(redis, client, true);
          } catch (java.io.IOException closed) {
            return;
          }
        }
      });
      accept.setDaemon(true);
      accept.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private void pump(java.net.Socket from, java.net.Socket to, boolean replies) {
      Thread t = new Thread(() -> {
        byte[] b = new byte[8192];
        try (from; to) {
          int n;
          while ((n = from.getInputStream().read(b)) > 0) {
            if (!(replies && dropReplies)) {
              to.getOutputStream().write(b, 0, n);
            }
          }
        } catch (java.io.IOException closed) {
          // either side went away
        }
      });
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws java.io.IOException {
      server.close();
    }
  }
}
