package dev.kopeck.budget.testing;

import dev.kopeck.budget.Admission;
import dev.kopeck.budget.BudgetLedger;
import dev.kopeck.budget.BudgetListener;
import dev.kopeck.budget.Commit;
import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.Scope;
import dev.kopeck.budget.ScopeStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every ledger must do; a backend's test extends this and says how to build one. */
public abstract class LedgerContract {
  protected static final long ROUBLE = 1_000_000_000L;
  protected MutableClock clock;
  protected List<String> events;
  protected BudgetLedger ledger;

  /** A fresh, empty ledger: periods in Moscow time, reservations live 60 s, thresholds 80 and 100. */
  protected abstract BudgetLedger create(MutableClock clock, ZoneId zone, Duration ttl, BudgetListener listener);

  @BeforeEach
  protected void setUp() {
    clock = new MutableClock(Instant.parse("2025-03-31T20:59:00Z")); // 23:59 in Moscow
    events = new CopyOnWriteArrayList<>();
    ledger = create(clock, ZoneId.of("Europe/Moscow"), Duration.ofSeconds(60),
        (s, p, pct, spent, limit) -> events.add(s.name() + " " + p + " " + pct + "%"));
  }

  protected static final Scope TEAM = Scope.of("team:ml");
  protected static final Scope USER = Scope.of("user:anna");

  @Test
  void reserveWithinTheLimitThenCommit() {
    ledger.setLimit(TEAM, 10 * ROUBLE, BudgetPeriod.MONTH);
    Admission a = ledger.reserve("r1", List.of(TEAM), 3 * ROUBLE);
    assertThat(a.granted()).isTrue();
    assertThat(ledger.status(TEAM)).extracting(ScopeStatus::reservedNanos, ScopeStatus::spentNanos, ScopeStatus::periodId)
        .containsExactly(3 * ROUBLE, 0L, "2025-03");
    Commit c = ledger.commit("r1", 2 * ROUBLE);
    assertThat(c.overspendNanos()).isZero();
    ScopeStatus s = ledger.status(TEAM);
    assertThat(s.spentNanos()).isEqualTo(2 * ROUBLE);
    assertThat(s.reservedNanos()).isZero();
    assertThat(s.remainingNanos()).isEqualTo(8 * ROUBLE);
  }

  @Test
  void aRefusalSaysWhichScopeAndHowMuchIsLeft() {
    ledger.setLimit(TEAM, 10 * ROUBLE, BudgetPeriod.MONTH);
    ledger.setLimit(USER, 2 * ROUBLE, BudgetPeriod.DAY);
    ledger.reserve("r1", List.of(TEAM, USER), ROUBLE);
    Admission a = ledger.reserve("r2", List.of(TEAM, USER), 3 * ROUBLE / 2);
    assertThat(a).isInstanceOf(Admission.Refusal.class);
    Admission.Refusal r = (Admission.Refusal) a;
    assertThat(r.scope()).isEqualTo(USER);
    assertThat(r.remainingNanos()).isEqualTo(ROUBLE);
    assertThat(r.limitNanos()).isEqualTo(2 * ROUBLE);
    assertThat(r.periodId()).isEqualTo("2025-03-31");
    // all or nothing: the team scope was not charged for the refused request
    assertThat(ledger.status(TEAM).reservedNanos()).isEqualTo(ROUBLE);
  }

  @Test
  void aLimitKeepsTheCurrencyItWasSetIn() {
    // issue 19 #4: a budget's currency is part of the budget
    ledger.setLimit(TEAM, 10 * ROUBLE, BudgetPeriod.MONTH, java.util.Currency.getInstance("RUB"));
    assertThat(ledger.status(TEAM).currency()).isEqualTo(java.util.Currency.getInstance("RUB"));
    ledger.setLimit(USER, 2 * ROUBLE, BudgetPeriod.DAY);
    assertThat(ledger.status(USER).currency()).isNull();
    ledger.setLimit(TEAM, 10 * ROUBLE, BudgetPeriod.MONTH);
    assertThat(ledger.status(TEAM).currency()).isNull();
  }

  @Test
  void aScopeGivenTwiceIsRefusedUpFront() {
    // issue 19 #19: it was refused with a self-contradiction ("1000 of 1000 nano-units left, 600 asked")
    ledger.setLimit(TEAM, 10 * ROUBLE, BudgetPeriod.MONTH);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ledger.reserve("r1", List.of(TEAM, USER, TEAM), ROUBLE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scope " + TEAM + " is given twice; a reservation holds each scope once");
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void aCommitIsNeverRefusedAndOverspendIsRecorded() {
    ledger.setLimit(TEAM, 10 * ROUBLE, BudgetPeriod.MONTH);
    ledger.reserve("r1", List.of(TEAM), 9 * ROUBLE);
    Commit c = ledger.commit("r1", 12 * ROUBLE);
    assertThat(c.overspendNanos()).isEqualTo(3 * ROUBLE);
    assertThat(ledger.status(TEAM).spentNanos()).isEqualTo(12 * ROUBLE);
    assertThat(ledger.status(TEAM).remainingNanos()).isEqualTo(-2 * ROUBLE);
    assertThat(ledger.reserve("r2", List.of(TEAM), 1).granted()).isFalse();
  }

  @Test
  void theReservationInHandCommitsAndReleases() {
    ledger.setLimit(TEAM, 10 * ROUBLE, BudgetPeriod.MONTH);
    Admission.Reservation a = (Admission.Reservation) ledger.reserve("r1", List.of(TEAM), 3 * ROUBLE);
    assertThat(ledger.commit(a, ROUBLE).actualNanos()).isEqualTo(ROUBLE);
    Admission.Reservation b = (Admission.Reservation) ledger.reserve("r2", List.of(TEAM), 3 * ROUBLE);
    assertThat(ledger.release(b)).isTrue();
    assertThat(ledger.status(TEAM).spentNanos()).isEqualTo(ROUBLE);
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void releaseGivesTheMoneyBackOnce() {
    ledger.setLimit(TEAM, 10 * ROUBLE, BudgetPeriod.NONE);
    ledger.reserve("r1", List.of(TEAM), 4 * ROUBLE);
    assertThat(ledger.release("r1")).isTrue();
    assertThat(ledger.release("r1")).isFalse();
    assertThat(ledger.release("never")).isFalse();
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void retriesCountOnce() {
    ledger.setLimit(TEAM, 10 * ROUBLE, BudgetPeriod.MONTH);
    Admission first = ledger.reserve("r1", List.of(TEAM), 4 * ROUBLE);
    Admission again = ledger.reserve("r1", List.of(TEAM), 4 * ROUBLE);
    assertThat(again.granted()).isTrue();
    assertThat(((Admission.Reservation) again).replayed()).isTrue();
    assertThat(((Admission.Reservation) first).replayed()).isFalse();
    assertThat(ledger.status(TEAM).reservedNanos()).isEqualTo(4 * ROUBLE);
    Commit c1 = ledger.commit("r1", 3 * ROUBLE);
    Commit c2 = ledger.commit("r1", 3 * ROUBLE);
    assertThat(c1.replayed()).isFalse();
    assertThat(c2.replayed()).isTrue();
    assertThat(ledger.status(TEAM).spentNanos()).isEqualTo(3 * ROUBLE);
    assertThat(ledger.reserve("r1", List.of(TEAM), 4 * ROUBLE).granted()).isTrue(); // still the same request
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  /** A retry whose amount no longer fits (its own first attempt holds the money) is the same request, not a refusal. */
  @Test
  void aRetryThatWouldNotFitAgainIsStillTheSameReservation() {
    ledger.setLimit(TEAM, 10 * ROUBLE, BudgetPeriod.MONTH);
    assertThat(ledger.reserve("r1", List.of(TEAM), 8 * ROUBLE).granted()).isTrue();
    Admission again = ledger.reserve("r1", List.of(TEAM), 8 * ROUBLE);
    assertThat(again.granted()).isTrue();
    assertThat(((Admission.Reservation) again).replayed()).isTrue();
    assertThat(ledger.status(TEAM).reservedNanos()).isEqualTo(8 * ROUBLE);
  }

  /** A commit after a release is recorded on its own: the money was given back, the spending counts. */
  @Test
  void aCommitAfterAReleaseIsSpentOnce() {
    ledger.setLimit(TEAM, 10 * ROUBLE, BudgetPeriod.MONTH);
    ledger.reserve("r1", List.of(TEAM), 4 * ROUBLE);
    assertThat(ledger.release("r1")).isTrue();
    assertThat(ledger.commit("r1", 3 * ROUBLE).replayed()).isFalse();
    assertThat(ledger.commit("r1", 3 * ROUBLE).replayed()).isTrue();
    assertThat(ledger.status(TEAM).spentNanos()).isEqualTo(3 * ROUBLE);
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void abandonedReservationsExpire() {
    ledger.setLimit(TEAM, 10 * ROUBLE, BudgetPeriod.NONE);
    ledger.reserve("r1", List.of(TEAM), 8 * ROUBLE);
    assertThat(ledger.reserve("r2", List.of(TEAM), 5 * ROUBLE).granted()).isFalse();
    clock.advance(Duration.ofSeconds(61));
    // the next reservation finds the abandoned one expired
    assertThat(ledger.reserve("r3", List.of(TEAM), 5 * ROUBLE).granted()).isTrue();
    assertThat(ledger.status(TEAM).reservedNanos()).isEqualTo(5 * ROUBLE);
    // the late commit of the expired one is still recorded, once
    Commit late = ledger.commit("r1", 2 * ROUBLE);
    assertThat(late.replayed()).isFalse();
    assertThat(ledger.status(TEAM).spentNanos()).isEqualTo(2 * ROUBLE);
    assertThat(ledger.status(TEAM).reservedNanos()).isEqualTo(5 * ROUBLE);
  }

  @Test
  void thresholdsFireOncePerPeriod() {
    ledger.setLimit(TEAM, 10 * ROUBLE, BudgetPeriod.DAY);
    ledger.reserve("a", List.of(TEAM), 5 * ROUBLE);
    ledger.commit("a", 5 * ROUBLE);
    assertThat(events).isEmpty();
    ledger.reserve("b", List.of(TEAM), 4 * ROUBLE);
    ledger.commit("b", 4 * ROUBLE);
    assertThat(events).containsExactly("team:ml 2025-03-31 80%");
    ledger.reserve("c", List.of(TEAM), ROUBLE / 2);
    ledger.commit("c", ROUBLE / 2);
    assertThat(events).containsExactly("team:ml 2025-03-31 80%");
    ledger.reserve("d", List.of(TEAM), ROUBLE / 2);
    ledger.commit("d", ROUBLE);
    assertThat(events).containsExactly("team:ml 2025-03-31 80%", "team:ml 2025-03-31 100%");
    // a new day in Moscow: a new period, fresh money, thresholds fire again
    clock.advance(Duration.ofMinutes(2));
    assertThat(ledger.status(TEAM).periodId()).isEqualTo("2025-04-01");
    assertThat(ledger.status(TEAM).spentNanos()).isZero();
    ledger.reserve("e", List.of(TEAM), 9 * ROUBLE);
    ledger.commit("e", 9 * ROUBLE);
    assertThat(events).hasSize(3).last().isEqualTo("team:ml 2025-04-01 80%");
  }

  @Test
  void aProbeChangesNothing() {
    ledger.setLimit(TEAM, 10 * ROUBLE, BudgetPeriod.MONTH);
    assertThat(ledger.probe(List.of(TEAM), 10 * ROUBLE).granted()).isTrue();
    assertThat(ledger.probe(List.of(TEAM), 10 * ROUBLE + 1).granted()).isFalse();
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void resetForgetsThePeriod() {
    ledger.setLimit(TEAM, 10 * ROUBLE, BudgetPeriod.MONTH);
    ledger.reserve("a", List.of(TEAM), 5 * ROUBLE);
    ledger.commit("a", 5 * ROUBLE);
    ledger.reset(TEAM);
    assertThat(ledger.status(TEAM).spentNanos()).isZero();
  }

  /** A ledger rebuilt from its spend log: the spent set, again and again the same; limits and reservations kept. */
  @Test
  void restoredSpendingIsWhatWasSpent() {
    ledger.setLimit(TEAM, 10 * ROUBLE, BudgetPeriod.MONTH);
    ledger.reserve("open", List.of(TEAM), ROUBLE);
    ledger.restoreSpent(TEAM, 7 * ROUBLE);
    ledger.restoreSpent(TEAM, 7 * ROUBLE);
    assertThat(ledger.status(TEAM)).extracting(ScopeStatus::spentNanos, ScopeStatus::reservedNanos,
        ScopeStatus::limitNanos).containsExactly(7 * ROUBLE, ROUBLE, 10 * ROUBLE);
    assertThat(ledger.reserve("more", List.of(TEAM), 3 * ROUBLE).granted()).isFalse(); // 7 + 1 + 3 > 10
    assertThat(ledger.reserve("fits", List.of(TEAM), 2 * ROUBLE).granted()).isTrue();
    assertThatThrownBy(() -> ledger.restoreSpent(TEAM, -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void misuseIsRefusedWithTheBadValue() {
    assertThatThrownBy(() -> ledger.reserve("x", List.of(TEAM), -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> ledger.reserve("x", List.of(), 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ledger.commit("nobody", 1)).isInstanceOf(dev.kopeck.budget.UnknownRequestException.class)
        .hasMessageContaining("nobody");
  }

  /** Many threads race for the last rouble: spending never passes the limit (commits equal reserves here). */
  @Test
  void manyThreadsRacingForTheLastRouble() throws Exception {
    long limit = 100 * ROUBLE;
    ledger.setLimit(TEAM, limit, BudgetPeriod.MONTH);
    ledger.setLimit(USER, 60 * ROUBLE, BudgetPeriod.MONTH);
    int threads = 8;
    int perThread = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger granted = new AtomicInteger();
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      fs.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < perThread; i++) {
          String rid = "t" + id + "-" + i;
          List<Scope> scopes = i % 2 == 0 ? List.of(TEAM) : List.of(TEAM, USER);
          long amount = ROUBLE / 10 + (i % 7) * ROUBLE / 100;
          Admission a = ledger.reserve(rid, scopes, amount);
          if (a.granted()) {
            granted.incrementAndGet();
            ledger.reserve(rid, scopes, amount); // a retry: must not charge again
            if (i % 5 == 0) {
              ledger.release(rid);
            } else {
              ledger.commit(rid, amount);
              ledger.commit(rid, amount); // a retry
            }
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : fs) {
      f.get(2, TimeUnit.MINUTES);
    }
    pool.shutdown();
    ScopeStatus team = ledger.status(TEAM);
    ScopeStatus user = ledger.status(USER);
    assertThat(team.spentNanos()).isLessThanOrEqualTo(limit);
    assertThat(user.spentNanos()).isLessThanOrEqualTo(60 * ROUBLE);
    assertThat(team.reservedNanos()).isZero();
    assertThat(user.reservedNanos()).isZero();
    assertThat(granted.get()).isPositive();
    // the budget was actually contended: it ends nearly full
    assertThat(team.spentNanos()).isGreaterThan(limit - 2 * ROUBLE);
  }

  // ---- issue 20: budgets under faults and hostile use. Each test names the defect it reproduces.

  /** #1: a reservation of 0 once broke the sweep (Lua wrote -0); it is granted, committed and expired like any other. */
  @Test
  void aReservationOfZeroIsAReservation() {
    ledger.setLimit(TEAM, 100, BudgetPeriod.NONE);
    assertThat(ledger.reserve("z1", List.of(TEAM), 0).granted()).isTrue();
    assertThat(ledger.commit("z1", 0).overspendNanos()).isZero();
    assertThat(ledger.reserve("z2", List.of(TEAM), 0).granted()).isTrue();
    clock.advance(Duration.ofSeconds(61));
    ledger.expire();
    assertThat(ledger.reserve("big", List.of(TEAM), 100).granted()).isTrue();
    assertThat(ledger.reserve("over", List.of(TEAM), 1).granted()).isFalse(); // refused, and the sweep before it ran
    assertThat(ledger.status(TEAM).reservedNanos()).isEqualTo(100);
  }

  /** #2: amounts past 2^53 are exact; the limit holds at the boundary. */
  @Test
  void amountsPastTwoToTheFiftyThirdAreExact() {
    long p53 = 1L << 53;
    ledger.setLimit(TEAM, p53, BudgetPeriod.MONTH);
    assertThat(ledger.reserve("a", List.of(TEAM), p53).granted()).isTrue();
    assertThat(ledger.reserve("b", List.of(TEAM), 1).granted()).isFalse();
    assertThat(ledger.release("a")).isTrue();
    assertThat(ledger.reserve("c", List.of(TEAM), p53 + 1).granted()).isFalse();
    ledger.setLimit(USER, Long.MAX_VALUE, BudgetPeriod.MONTH);
    assertThat(ledger.reserve("d", List.of(USER), p53 + 1).granted()).isTrue();
    ledger.commit("d", 1);
    assertThat(ledger.status(USER)).extracting(ScopeStatus::spentNanos, ScopeStatus::reservedNanos).containsExactly(1L, 0L);
    assertThat(ledger.reserve("e", List.of(USER), 100_000_000_000_000_000L).granted()).isTrue();
    assertThat(ledger.status(USER).reservedNanos()).isEqualTo(100_000_000_000_000_000L);
    assertThat(ledger.reserve("f", List.of(USER), Long.MAX_VALUE - 100_000_000_000_000_001L).granted()).isTrue();
    assertThat(ledger.status(USER).remainingNanos()).isZero();
  }

  /** #2, #6: a total that would pass Long.MAX_VALUE is refused before anything changes, on every scope. */
  @Test
  void anOverflowingCommitChangesNothing() {
    Scope free = Scope.of("free:b");
    ledger.reserve("big", List.of(free), 0);
    ledger.commit("big", Long.MAX_VALUE - 10);
    ledger.reserve("r", List.of(TEAM, free), 5);
    for (int attempt = 0; attempt < 3; attempt++) {
      assertThatThrownBy(() -> ledger.commit("r", 100)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("free:b").hasMessageContaining("largest");
    }
    assertThat(ledger.status(TEAM)).extracting(ScopeStatus::spentNanos, ScopeStatus::reservedNanos).containsExactly(0L, 5L);
    assertThat(ledger.status(free)).extracting(ScopeStatus::spentNanos, ScopeStatus::reservedNanos)
        .containsExactly(Long.MAX_VALUE - 10, 5L);
    assertThatThrownBy(() -> ledger.reserve("r2", List.of(free), 10)).isInstanceOf(IllegalArgumentException.class);
    assertThat(ledger.commit("r", 4).replayed()).isFalse();
    assertThat(ledger.status(free).spentNanos()).isEqualTo(Long.MAX_VALUE - 6);
  }

  /** #3: another tenant's reserve with the same id is a conflict that reveals nothing, and cannot touch the first. */
  @Test
  void anIdInUseByAnotherTenantIsAConflictThatRevealsNothing() {
    Scope a = Scope.of("tenant:a");
    Scope b = Scope.of("tenant:b");
    ledger.setLimit(b, 0, BudgetPeriod.MONTH);
    ledger.reserve("req-1", List.of(a), 50);
    assertThatThrownBy(() -> ledger.reserve("req-1", List.of(b), 10))
        .isInstanceOf(dev.kopeck.budget.IdempotencyConflictException.class)
        .hasMessageContaining("req-1").hasMessageNotContaining("50").hasMessageNotContaining("tenant:a");
    assertThat(ledger.status(a).reservedNanos()).isEqualTo(50);
    assertThat(ledger.status(b).reservedNanos()).isZero();
  }

  /** #4: a retry with other arguments is a conflict, not a replay; the same scopes in another order are the same request. */
  @Test
  void aRetryWithOtherArgumentsIsAConflict() {
    ledger.reserve("r", List.of(TEAM, USER), 40);
    assertThatThrownBy(() -> ledger.reserve("r", List.of(TEAM, USER), 41))
        .isInstanceOf(dev.kopeck.budget.IdempotencyConflictException.class);
    assertThatThrownBy(() -> ledger.reserve("r", List.of(TEAM), 40))
        .isInstanceOf(dev.kopeck.budget.IdempotencyConflictException.class);
    assertThat(((Admission.Reservation) ledger.reserve("r", List.of(USER, TEAM), 40)).replayed()).isTrue();
    assertThat(ledger.commit("r", 35).replayed()).isFalse();
    assertThatThrownBy(() -> ledger.commit("r", 90)).isInstanceOf(dev.kopeck.budget.IdempotencyConflictException.class)
        .hasMessageContaining("\"r\"");
    assertThat(ledger.commit("r", 35).replayed()).isTrue();
    assertThat(ledger.status(TEAM).spentNanos()).isEqualTo(35);
  }

  /** #7: a reset forgets what was spent; open reservations stay reserved, so a later release cannot make money. */
  @Test
  void aResetKeepsOpenReservations() {
    ledger.setLimit(TEAM, 100, BudgetPeriod.MONTH);
    ledger.reserve("spent", List.of(TEAM), 30);
    ledger.commit("spent", 30);
    ledger.reserve("open", List.of(TEAM), 60);
    ledger.reset(TEAM);
    assertThat(ledger.status(TEAM)).extracting(ScopeStatus::spentNanos, ScopeStatus::reservedNanos).containsExactly(0L, 60L);
    assertThat(ledger.release("open")).isTrue();
    assertThat(ledger.status(TEAM).remainingNanos()).isEqualTo(100);
    assertThat(ledger.reserve("more", List.of(TEAM), 160).granted()).isFalse();
    ledger.reserve("open2", List.of(TEAM), 60);
    ledger.reset(TEAM);
    ledger.commit("open2", 50); // a commit after the reset counts
    assertThat(ledger.status(TEAM)).extracting(ScopeStatus::spentNanos, ScopeStatus::reservedNanos).containsExactly(50L, 0L);
  }

  /** #8: a commit after its reservation expired is late, and all of it is overspend (its money may have gone to another). */
  @Test
  void aLateCommitSaysSoAndCountsAsOverspend() {
    ledger.setLimit(TEAM, 100, BudgetPeriod.NONE);
    ledger.reserve("first", List.of(TEAM), 100);
    clock.advance(Duration.ofSeconds(61));
    assertThat(ledger.reserve("second", List.of(TEAM), 100).granted()).isTrue();
    Commit second = ledger.commit("second", 100);
    assertThat(second.late()).isFalse();
    assertThat(second.overspendNanos()).isZero();
    Commit first = ledger.commit("first", 100);
    assertThat(first.late()).isTrue();
    assertThat(first.overspendNanos()).isEqualTo(100);
    assertThat(ledger.status(TEAM).spentNanos()).isEqualTo(200);
    assertThat(ledger.commit("first", 100)).extracting(Commit::replayed).isEqualTo(true);
  }

  /** #10: a reserve retried after its reservation expired reserves again (the old one holds nothing), never a stale grant. */
  @Test
  void aRetryAfterExpiryReservesAgain() {
    ledger.setLimit(TEAM, 100, BudgetPeriod.NONE);
    ledger.reserve("r", List.of(TEAM), 70);
    clock.advance(Duration.ofSeconds(61));
    ledger.expire();
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
    Admission.Reservation again = (Admission.Reservation) ledger.reserve("r", List.of(TEAM), 70);
    assertThat(again.replayed()).isFalse();
    assertThat(again.expiresAt()).isAfter(clock.instant());
    assertThat(ledger.status(TEAM).reservedNanos()).isEqualTo(70);
    assertThat(ledger.commit("r", 60).late()).isFalse();
  }

  /** #10: a refusal is remembered: the retry of a refused request gets the same refusal, even after money frees up. */
  @Test
  void aRefusalIsRemembered() {
    ledger.setLimit(TEAM, 100, BudgetPeriod.MONTH);
    ledger.reserve("holder", List.of(TEAM), 80);
    Admission first = ledger.reserve("r", List.of(TEAM), 50);
    assertThat(first.granted()).isFalse();
    ledger.release("holder");
    Admission again = ledger.reserve("r", List.of(TEAM), 50);
    assertThat(again.granted()).isFalse();
    assertThat(again).isEqualTo(first);
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
    assertThatThrownBy(() -> ledger.commit("r", 10)).isInstanceOf(dev.kopeck.budget.UnknownRequestException.class);
    assertThat(ledger.release("r")).isFalse();
  }

  /** #14: after the clock goes back an hour, reservations made since still expire on time. */
  @Test
  void aClockThatGoesBackDoesNotStopExpiry() {
    ledger.setLimit(TEAM, 100, BudgetPeriod.NONE);
    ledger.reserve("before", List.of(TEAM), 10);
    clock.advance(Duration.ofHours(-1));
    ledger.reserve("after", List.of(TEAM), 80);
    clock.advance(Duration.ofSeconds(62));
    assertThat(ledger.reserve("next", List.of(TEAM), 80).granted()).isTrue(); // "after" expired on time
    assertThat(ledger.status(TEAM).reservedNanos()).isEqualTo(90);
  }

  /** A reserve about to be refused expires what is past its TTL first, however much: the refusal is not remembered wrongly. */
  @Test
  void aRefusalComesOnlyAfterEveryExpiredReservationIsSwept() {
    ledger.setLimit(TEAM, 150, BudgetPeriod.NONE);
    for (int i = 0; i < 150; i++) {
      ledger.reserve("abandoned-" + i, List.of(TEAM), 1);
    }
    clock.advance(Duration.ofSeconds(61));
    assertThat(ledger.reserve("x", List.of(TEAM), 150).granted()).isTrue();
    assertThat(ledger.status(TEAM).reservedNanos()).isEqualTo(150);
  }

  /** #10: a retry past the TTL, before any sweep, is not a replay with an expiry in the past. */
  @Test
  void aRetryPastItsTtlBeforeAnySweepReservesAgain() {
    ledger.setLimit(TEAM, 100, BudgetPeriod.NONE);
    ledger.reserve("r", List.of(TEAM), 70);
    clock.advance(Duration.ofSeconds(61));
    Admission.Reservation again = (Admission.Reservation) ledger.reserve("r", List.of(TEAM), 70);
    assertThat(again.replayed()).isFalse();
    assertThat(again.expiresAt()).isAfter(clock.instant());
    assertThat(ledger.status(TEAM).reservedNanos()).isEqualTo(70);
  }
}
