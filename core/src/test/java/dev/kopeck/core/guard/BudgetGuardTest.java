package dev.kopeck.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.budget.Admission;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.budget.Commit;
import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.Scope;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.estimate.ChatRequestParser;
import dev.kopeck.core.estimate.Estimator;
import dev.kopeck.core.reconcile.Reconciler;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three lines a service writes: admit (estimate, reserve the worst case), complete (commit the usage), fail. */
class BudgetGuardTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T00:00:00Z"), ZoneOffset.UTC);
  static final Scope TEAM = Scope.of("team:ml");

  @Test
  void reserveTheWorstCaseCommitTheUsage() throws Exception {
    InMemoryLedger ledger = InMemoryLedger.builder().clock(CLOCK).build();
    ledger.setLimit(TEAM, 110_000_000L, BudgetPeriod.MONTH); // 0.11 RUB
    Estimator est = Estimator.builder().clock(CLOCK).build();
    BudgetGuard guard = new BudgetGuard(est, Reconciler.builder().estimator(est).clock(CLOCK).build(), ledger,
        CLOCK);
    ChatRequest req = ChatRequestParser.parse("r", "{\"model\":\"google/gemini-2.0-flash-001\",\"max_tokens\":1000,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + dev.kopeck.core.estimate.EstimateTest.hellos(1000) + "\"}]}");
    // the worst case: 1000 x 15/1M + 1000 x 60/1M = 0.075 RUB = 75,000,000 nano-roubles
    Admission a = guard.admit("req-1", req, List.of(TEAM));
    assertThat(a.granted()).isTrue();
    assertThat(((Admission.Reservation) a).amountNanos()).isEqualTo(75_000_000L);
    assertThat(ledger.status(TEAM).reservedNanos()).isEqualTo(75_000_000L);
    // a second such request does not fit beside it
    assertThat(guard.admit("req-2", req, List.of(TEAM)).granted()).isFalse();
    // the answer used 1000 in, 200 out: 0.015 + 0.012 = 0.027 RUB
    Commit c = guard.complete("req-1", req,
        "{\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":200}}");
    assertThat(c.actualNanos()).isEqualTo(27_000_000L);
    assertThat(ledger.status(TEAM).spentNanos()).isEqualTo(27_000_000L);
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
    // a refusal is remembered: a retry of req-2 is refused again, whatever changed since
    assertThat(guard.admit("req-2", req, List.of(TEAM)).granted()).isFalse();
    // a new request fits now (0.027 spent + 0.075 reserved <= 0.11); it fails and is released
    assertThat(guard.admit("req-3", req, List.of(TEAM)).granted()).isTrue();
    assertThat(guard.fail("req-3")).isTrue();
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void budgetsInAnotherCurrencyCountAtTheRateGivenOrRefuse() throws Exception {
    InMemoryLedger ledger = InMemoryLedger.builder().clock(CLOCK).build();
    Estimator est = Estimator.builder().clock(CLOCK).build();
    BudgetGuard rub = new BudgetGuard(est, Reconciler.builder().estimator(est).clock(CLOCK).build(), ledger, CLOCK);
    java.util.Currency usd = java.util.Currency.getInstance("USD");
    dev.kopeck.pricing.money.ExchangeRates rates = dev.kopeck.pricing.money.ExchangeRates.of(List.of(new dev.kopeck.pricing.money.ExchangeRates.Rate(
        java.util.Currency.getInstance("RUB"), usd, new java.math.BigDecimal("0.01"), java.time.LocalDate.parse("2025-01-01"))));
    BudgetGuard dollars = rub.inCurrency(usd, rates);
    ChatRequest req = ChatRequestParser.parse("r", "{\"model\":\"google/gemini-2.0-flash-001\",\"max_tokens\":1000,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + dev.kopeck.core.estimate.EstimateTest.hellos(1000) + "\"}]}");
    // the worst case, 0.075 RUB, is 0.00075 USD at 0.01
    Admission a = dollars.admit("req-1", req, List.of(TEAM));
    assertThat(((Admission.Reservation) a).amountNanos()).isEqualTo(750_000L);
    Commit c = dollars.complete("req-1", req, "{\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":200}}");
    assertThat(c.actualNanos()).isEqualTo(270_000L);
    BudgetGuard noRate = rub.inCurrency(java.util.Currency.getInstance("EUR"), dev.kopeck.pricing.money.ExchangeRates.none());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> noRate.admit("req-2", req, List.of(TEAM)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("a cost of 0.075 RUB against budgets in EUR: no exchange rate is given for 2025-06-01");
  }

  /** A listener hears of every admission, refusal, commit and release; one that throws changes nothing. */
  @Test
  void aListenerHearsEveryOutcomeAndCannotBreakTheCall() throws Exception {
    InMemoryLedger ledger = InMemoryLedger.builder().clock(CLOCK).build();
    ledger.setLimit(TEAM, 110_000_000L, BudgetPeriod.MONTH);
    Estimator est = Estimator.builder().clock(CLOCK).build();
    List<String> heard = new java.util.ArrayList<>();
    BudgetGuard guard = new BudgetGuard(est, Reconciler.builder().estimator(est).clock(CLOCK).build(), ledger, CLOCK)
        .withListener(new GuardListener() {
          @Override
          public void admitted(Admission.Reservation r, ChatRequest request) {
            heard.add("admitted " + r.requestId() + " " + r.amountNanos() + " " + request.model());
            throw new IllegalStateException("a listener's bug");
          }

          @Override
          public void refused(Admission.Refusal r, ChatRequest request) {
            heard.add("refused " + r.requestId());
          }

          @Override
          public void committed(Charge c, boolean estimated) {
            heard.add("committed " + c.requestId() + " " + c.commit().actualNanos() + " "
                + c.reconciliation().usage().outputTokens() + " " + c.reconciliation().price().toPlainString()
                + (estimated ? " estimated" : ""));
          }

          @Override
          public void released(String id, String why) {
            heard.add("released " + id + ": " + why);
          }

          @Override
          public void commitFailed(String id, RuntimeException e) {
            heard.add("commitFailed " + id);
          }
        });
    ChatRequest req = ChatRequestParser.parse("r", "{\"model\":\"google/gemini-2.0-flash-001\",\"max_tokens\":1000,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + dev.kopeck.core.estimate.EstimateTest.hellos(1000) + "\"}]}");
    assertThat(guard.admit("req-1", req, List.of(TEAM)).granted()).isTrue();
    assertThat(guard.admit("req-2", req, List.of(TEAM)).granted()).isFalse();
    guard.charge("req-1", req, dev.kopeck.pricing.usage.Usage.of(1000, 200), true);
    guard.admit("req-3", req, List.of(TEAM));
    guard.fail("req-3", "upstream answered 500");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> guard.complete("req-9", req, dev.kopeck.pricing.usage.Usage.of(1, 1)))
        .isInstanceOf(dev.kopeck.budget.UnknownRequestException.class);
    assertThat(heard).containsExactly(
        "admitted req-1 75000000 google/gemini-2.0-flash-001",
        "refused req-2",
        "committed req-1 27000000 200 0.027 estimated",
        "admitted req-3 75000000 google/gemini-2.0-flash-001",
        "released req-3: upstream answered 500",
        "commitFailed req-9");
  }
}
