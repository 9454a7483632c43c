package dev.kopeck.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.core.estimate.ChatRequestParser;
import dev.kopeck.pricing.usage.UsageParser;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Currency;
import org.junit.jupiter.api.Test;

/** One call through {@link Reconciler#reconcile(Reconciler.Call)}, and a log's typed summary. */
class ReconcilerTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T00:00:00Z"), ZoneOffset.UTC);
  /** Log lines that name no model are the router's Gemini 2.0 Flash: a default configured explicitly. */
  static final Reconciler REC = Reconciler.builder().clock(CLOCK)
      .registry(dev.kopeck.core.model.ModelRegistry.builder().defaultModel("google/gemini-2.0-flash-001").build()).build();
  static final Currency RUB = Currency.getInstance("RUB");

  @Test
  void aCallWithItsRequestAndUsage() {
    var req = ChatRequestParser.parse("r", "{\"model\":\"google/gemini-2.0-flash-001\",\"max_tokens\":10,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
    var usage = UsageParser.parse("u", "{\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":500,\"cost\":0.1}}");
    Reconciliation r = REC.reconcile(new Reconciler.Call("c1", req, usage, null));
    // 1000 x 15/1M + 500 x 60/1M = 0.045; no time on the call or the usage: the clock's
    assertThat(r.cost().total().amount()).isEqualByComparingTo("0.045");
    assertThat(r.when()).isNull();
    assertThat(r.estimate().input().total()).isEqualTo(1);
    assertThat(r.reportedMinusPrice().amount()).isEqualByComparingTo("0.055");
    assertThat(r.flags()).extracting(Flag::code).containsExactly(Flag.REPORTED_COST_MISMATCH, Flag.ESTIMATE_OFF);
  }

  @Test
  void aCallWithoutUsageIsFlaggedNotPriced() {
    Reconciliation r = REC.reconcile(new Reconciler.Call("c2", null, null, Instant.parse("2025-03-01T00:00:00Z")));
    assertThat(r.cost()).isNull();
    assertThat(r.usage()).isNull();
    assertThat(r.model()).isEqualTo("google/gemini-2.0-flash-001");
    assertThat(r.flags()).extracting(Flag::code).containsExactly(Flag.USAGE_MISSING);
  }

  @Test
  void aCallNamingNoModelIsRefusedWithoutAConfiguredDefault() {
    var usage = UsageParser.parse("u", "{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Reconciler.builder().clock(CLOCK).build()
        .reconcile(new Reconciler.Call("c3", null, usage, null)))
        .isInstanceOf(dev.kopeck.base.InputException.class).hasMessageStartingWith("no model is named");
  }

  @Test
  void aCatalogModelIsPricedAndEstimatedThroughTheSamePath() {
    var req = ChatRequestParser.parse("r", "{\"model\":\"gpt-4o\",\"max_tokens\":10,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
    var usage = UsageParser.parse("u", "{\"model\":\"gpt-4o-2024-08-06\",\"usage\":{\"prompt_tokens\":8,"
        + "\"completion_tokens\":2}}");
    Reconciliation r = REC.reconcile(new Reconciler.Call("c4", req, usage, null));
    // 8 x 2.5/1M + 2 x 10/1M
    assertThat(r.cost().total().amount()).isEqualByComparingTo("0.00004");
    assertThat(r.cost().source()).isEqualTo(dev.kopeck.pricing.cost.Cost.Source.CATALOG);
    assertThat(r.provider()).isEqualTo("openai");
    // OpenAI's cookbook: 3 + "user" (1) + "hello" (1), then 3 to prime the answer
    assertThat(r.estimate().input().total()).isEqualTo(8);
    assertThat(r.flags()).isEmpty();
  }

  @Test
  void theSummaryIsTypedAndCannotBeChangedFromOutside() {
    String log = "{\"id\":\"a\",\"timestamp\":1740000000,\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":500,"
        + "\"cost\":0.045}}\n{\"id\":\"b\",\"timestamp\":1740000000,\"usage\":{\"prompt_tokens\":1000,"
        + "\"completion_tokens\":500,\"cost\":0.5}}\n";
    Summary s = new LogReconciler(REC).run("log", new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)),
        LogReconciler.QUIET);
    assertThat(s.total().actual().get(RUB)).isEqualByComparingTo("0.09");
    assertThat(s.byDay()).containsOnlyKeys("2025-02-19");
    assertThat(s.tariffFindings()).singleElement().isInstanceOfSatisfying(TariffFinding.Explained.class, f -> {
      assertThat(f.explained()).isEqualTo(1);
      assertThat(f.reported()).isEqualTo(2);
      assertThat(f.message()).endsWith("the tariff explains 1 of 2 reported charges");
    });
    assertThat(s.byModel().get("google/gemini-2.0-flash-001").records()).isEqualTo(2);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.total().actual().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
