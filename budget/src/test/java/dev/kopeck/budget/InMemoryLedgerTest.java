package dev.kopeck.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.budget.testing.LedgerContract;
import dev.kopeck.budget.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InMemoryLedgerTest extends LedgerContract {
  @Override
  protected BudgetLedger create(MutableClock clock, ZoneId zone, Duration ttl, BudgetListener listener) {
    return InMemoryLedger.builder().clock(clock).zone(zone).reservationTtl(ttl).idempotencyWindow(Duration.ofMinutes(5))
        .thresholds(80, 100).listener(listener).build();
  }

  @Test
  void finishedRequestIdsAreForgottenAfterTheWindow() {
    InMemoryLedger l = InMemoryLedger.builder().clock(clock).reservationTtl(Duration.ofHours(1))
        .idempotencyWindow(Duration.ofMinutes(5)).build();
    l.setLimit(TEAM, 100 * ROUBLE, BudgetPeriod.NONE);
    for (int i = 0; i < 10; i++) {
      l.reserve("r" + i, List.of(TEAM), ROUBLE);
      l.commit("r" + i, ROUBLE);
    }
    assertThat(l.remembered()).isEqualTo(10);
    l.reserve("open", List.of(TEAM), ROUBLE);
    // two windows later the finished ids are forgotten, the open reservation is not
    clock.advance(Duration.ofMinutes(6));
    l.reserve("x", List.of(TEAM), ROUBLE);
    clock.advance(Duration.ofMinutes(6));
    l.reserve("y", List.of(TEAM), ROUBLE);
    assertThat(l.remembered()).isEqualTo(3);
    assertThat(l.commit("open", ROUBLE).replayed()).isFalse();
  }

  /**
   * Four threads race: each reserves, then commits, every one of 4,000 shared ids (so every id is
   * reserved and committed by four threads at once), while also running through ids of its own,
   * with time moving past a 2 ms window while the shared reservations are open, so that slots are
   * forgotten, reused and purged, and segments grow, under the racing. Every shared id is granted once and committed once, and the
   * scope's spending is exactly the sum of what was committed.
   */
  @Test
  void racingRetriesChargeOnceWhileSlotsAreReusedAndPurged() throws Exception {
    MutableClock c = new MutableClock(Instant.parse("2025-03-01T00:00:00Z"));
    InMemoryLedger l = InMemoryLedger.builder().clock(c).idempotencyWindow(Duration.ofMillis(2))
        .reservationTtl(Duration.ofHours(1)).build();
    l.setLimit(TEAM, Long.MAX_VALUE / 2, BudgetPeriod.NONE);
    List<Scope> scopes = List.of(TEAM);
    int shared = 4_000;
    int threads = 4;
    AtomicIntegerArray granted = new AtomicIntegerArray(shared);
    AtomicIntegerArray committed = new AtomicIntegerArray(shared);
    AtomicLong ownSpent = new AtomicLong();
    CyclicBarrier between = new CyclicBarrier(threads); // every reserve before any commit
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int k = 0; k < threads; k++) {
        int me = k;
        done.add(pool.submit(() -> {
          for (int pass = 0; pass < 2; pass++) {
            if (pass == 1) {
              between.await();
            }
            for (int j = 0; j < shared; j++) {
              int i = (j * 7 + me * 1_000) % shared; // each thread in its own order
              String id = "shared-" + i;
              if (pass == 0) {
                if (!((Admission.Reservation) l.reserve(id, scopes, 1_000)).replayed()) {
                  granted.incrementAndGet(i);
                }
              } else if (!l.commit(id, 10 + i).replayed()) {
                committed.incrementAndGet(i);
              }
              for (int f = 0; f < 8; f++) { // traffic of its own, forgotten 2 ms after it ends
                String own = "own-" + me + "-" + pass + "-" + j + "-" + f;
                l.reserve(own, scopes, 500);
                if (f % 4 == 3) {
                  l.release(own);
                } else {
                  l.commit(own, 7);
                  ownSpent.addAndGet(7);
                }
              }
              if (pass == 0 && j % 16 == 0) { // open reservations stay; finished ids are forgotten
                c.advance(Duration.ofMillis(1));
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    long sharedSpent = 0;
    for (int i = 0; i < shared; i++) {
      assertThat(granted.get(i)).as("grants of shared-%d", i).isEqualTo(1);
      assertThat(committed.get(i)).as("commits of shared-%d", i).isEqualTo(1);
      sharedSpent += 10 + i;
    }
    assertThat(l.status(TEAM).spentNanos()).isEqualTo(sharedSpent + ownSpent.get());
    assertThat(l.status(TEAM).reservedNanos()).isZero();
  }

  /** Issue 20: past periods are dropped, so a day-period scope does not keep a counter for every day it was used. */
  @Test
  void pastPeriodsAreDropped() {
    ledger.setLimit(TEAM, 10 * ROUBLE, BudgetPeriod.DAY);
    for (int day = 0; day < 30; day++) {
      ledger.reserve("d" + day, List.of(TEAM), ROUBLE);
      ledger.commit("d" + day, ROUBLE);
      clock.advance(Duration.ofDays(1));
    }
    ledger.reserve("last", List.of(TEAM), ROUBLE);
    assertThat(((InMemoryLedger) ledger).countersHeld()).isLessThanOrEqualTo(2);
    assertThat(ledger.status(TEAM).spentNanos()).isZero();
    assertThat(ledger.status(TEAM).reservedNanos()).isEqualTo(ROUBLE);
  }
}
