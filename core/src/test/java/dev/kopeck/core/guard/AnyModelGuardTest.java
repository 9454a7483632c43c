package dev.kopeck.core.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kopeck.budget.Admission;
import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.Commit;
import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.budget.Scope;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.estimate.ChatRequestParser;
import dev.kopeck.core.estimate.Estimate;
import dev.kopeck.core.estimate.Estimator;
import dev.kopeck.pricing.money.ExchangeRates;
import dev.kopeck.core.reconcile.Reconciler;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The guard admits and settles calls for any model the registry resolves, in its own currency. */
class AnyModelGuardTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);
  static final Scope TEAM = Scope.of("team:any");
  static final Currency USD = Currency.getInstance("USD");
  static final Currency RUB = Currency.getInstance("RUB");

  static BudgetGuard guard(InMemoryLedger ledger) {
    Estimator est = Estimator.builder().clock(CLOCK).build();
    return new BudgetGuard(est, Reconciler.builder().estimator(est).clock(CLOCK).build(), ledger, CLOCK);
  }

  /**
   * Each model of the issue: admitted at its estimate's maximum, settled at the catalog's price of
   * its usage (input x input price + output x output price), in USD; the router's in roubles.
   */
  @ParameterizedTest
  @CsvSource({
    "gpt-4o,                      openai,    2.5,   10",
    "gpt-4.1-mini,                openai,    0.4,   1.6",
    "o3,                          openai,    2,     8",
    "claude-sonnet-4-5,           anthropic, 3,     15",
    "gemini-2.5-flash,            google,    0.3,   2.5",
    "llama-3.3-70b-versatile,     groq,      0.59,  0.79",
    "google/gemini-2.0-flash-001, routerai,  15,    60",
  })
  void anyModelIsAdmittedAndSettled(String model, String provider, String in, String out) {
    InMemoryLedger ledger = InMemoryLedger.builder().clock(CLOCK).build();
    BudgetGuard guard = guard(ledger);
    ChatRequest req = ChatRequestParser.parse("r", "{\"model\":\"" + model + "\",\"max_tokens\":100,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to the budget.\"}]}");
    Estimate e = guard.estimator().estimate(req);
    assertThat(e.provider()).isEqualTo(provider);
    Admission a = guard.admit("a-" + model, req, List.of(TEAM));
    assertThat(a.granted()).isTrue();
    assertThat(((Admission.Reservation) a).amountNanos()).isEqualTo(e.costMax().toNanos(RoundingMode.CEILING))
        .isPositive();
    Commit c = guard.complete("a-" + model, req, "{\"model\":\"" + model + "\",\"usage\":{\"prompt_tokens\":1000,"
        + "\"completion_tokens\":100}}");
    BigDecimal price = new BigDecimal(in).multiply(BigDecimal.valueOf(1000)).add(new BigDecimal(out)
        .multiply(BigDecimal.valueOf(100))).movePointLeft(6);
    assertThat(c.actualNanos()).isEqualTo(price.movePointRight(9).longValueExact());
    assertThat(ledger.status(TEAM).spentNanos()).isEqualTo(c.actualNanos());
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void deepseekChatIsAdmittedAtItsPriceOfTheHour() {
    InMemoryLedger ledger = InMemoryLedger.builder().clock(CLOCK).build();
    BudgetGuard guard = guard(ledger);
    ChatRequest req = ChatRequestParser.parse("r", "{\"model\":\"deepseek-chat\",\"max_tokens\":50,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    Estimate e = guard.estimator().estimate(req);
    assertThat(e.provider()).isEqualTo("deepseek");
    assertThat(e.tokenizer().exact()).isTrue();
    assertThat(guard.admit("d1", req, List.of(TEAM)).granted()).isTrue();
    assertThat(guard.complete("d1", req, "{\"model\":\"deepseek-chat\",\"usage\":{\"prompt_tokens\":10,"
        + "\"completion_tokens\":5}}").actualNanos()).isPositive();
  }

  @Test
  void aBudgetInRoublesRefusesDollarsWithoutARate() {
    InMemoryLedger ledger = InMemoryLedger.builder().clock(CLOCK).build();
    ledger.setLimit(TEAM, 10_000_000_000L, BudgetPeriod.MONTH, RUB);
    ChatRequest req = ChatRequestParser.parse("r", "{\"model\":\"gpt-4o\",\"max_tokens\":10,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThatThrownBy(() -> guard(ledger).admit("x1", req, List.of(TEAM)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("keeps its budget in RUB").hasMessageContaining("priced in USD");
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
    // with a rate, the dollars count as roubles at it
    ExchangeRates rates = ExchangeRates.of(List.of(new ExchangeRates.Rate(USD, RUB, new BigDecimal("80"),
        LocalDate.parse("2026-06-01"))));
    BudgetGuard inRub = guard(ledger).inCurrency(RUB, rates);
    Admission a = inRub.admit("x2", req, List.of(TEAM));
    assertThat(a.granted()).isTrue();
    Estimate e = inRub.estimator().estimate(req);
    assertThat(((Admission.Reservation) a).amountNanos())
        .isEqualTo(e.costMax().amount().multiply(new BigDecimal("80")).movePointRight(9)
            .setScale(0, RoundingMode.CEILING).longValueExact());
    Charge c = inRub.charge("x2", req, dev.kopeck.pricing.usage.Usage.of(8, 2), false);
    assertThat(c.budgetCurrency()).isEqualTo(RUB);
    // 8 x 2.5/1M + 2 x 10/1M = 0.00004 USD = 0.0032 RUB
    assertThat(c.commit().actualNanos()).isEqualTo(3_200_000L);
  }
}
