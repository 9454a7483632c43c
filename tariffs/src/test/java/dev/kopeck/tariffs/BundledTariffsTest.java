package dev.kopeck.tariffs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.pricing.cost.Cost;
import dev.kopeck.pricing.cost.CostCalculator;
import dev.kopeck.pricing.tariff.ChargeKind;
import dev.kopeck.pricing.tariff.PricedModel;
import dev.kopeck.pricing.tariff.Rate;
import dev.kopeck.pricing.tariff.RateUnit;
import dev.kopeck.pricing.tariff.Tariff;
import dev.kopeck.pricing.tariff.TariffTables;
import dev.kopeck.pricing.usage.Usage;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BundledTariffsTest {
  @Test
  void everyBundledTableLoads() {
    assertThat(new BundledTariffs().tables()).containsKey("routerai-rub.json");
    assertThat(TariffTables.bundled().models()).isNotEmpty();
  }

  @Test
  void theRoutersGeminiFlashPageAsListed() {
    PricedModel m = TariffTables.bundled().require("google/gemini-2.0-flash-001");
    assertThat(m.info().aliases()).containsExactly("gemini-2.0-flash-001", "gemini-2.0-flash");
    assertThat(m.info().inputTokenLimit()).isEqualTo(1_048_576);
    assertThat(m.info().outputTokenLimit()).isEqualTo(8_192);
    assertThat(m.info().tokenizer()).isEqualTo("gemma3");
    assertThat(m.info().mediaRules()).isEqualTo("gemini-2.0");
    Tariff t = m.latest();
    assertThat(t.currency().getCurrencyCode()).isEqualTo("RUB");
    assertThat(t.rates()).containsOnly(
        java.util.Map.entry(ChargeKind.INPUT, Rate.of("15", 1_000_000, RateUnit.TOKEN)),
        java.util.Map.entry(ChargeKind.OUTPUT, Rate.of("60", 1_000_000, RateUnit.TOKEN)),
        java.util.Map.entry(ChargeKind.CACHE_READ, Rate.of("3", 1_000_000, RateUnit.TOKEN)),
        java.util.Map.entry(ChargeKind.CACHE_WRITE, Rate.of("23", 1_000_000, RateUnit.TOKEN)),
        // the page says per 1K tokens; the evidence says per 1K images (docs/tariffs.md)
        java.util.Map.entry(ChargeKind.INPUT_IMAGE, Rate.of("3.91", 1_000, RateUnit.IMAGE)),
        java.util.Map.entry(ChargeKind.INPUT_AUDIO, Rate.of("70", 1_000_000, RateUnit.TOKEN)));
  }

  /** Every model of the router's table, priced as its page lists it (../shared/routerai: the recorded pages). */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource({
      "anthropic/claude-3.5-sonnet, 200000, 606, 3030",
      "z-ai/glm-4.5, 131000, 60, 222",
      "nousresearch/deephermes-3-mistral-24b-preview, 33000, 2, 10",
      "meta-llama/llama-4-scout, 328000, 18, 59",
      "meta-llama/llama-guard-4-12b, 164000, 20, 20",
      "x-ai/grok-3-mini-beta, 131000, 60, 404",
      "moonshotai/kimi-k2-0905:exacto, 262000, 116, 808",
      "moonshotai/kimi-k2-thinking, 262000, 116, 808",
      "perplexity/sonar-deep-research, 128000, 202, 808",
      "baidu/ernie-4.5-300b-a47b, 123000, 28, 111"})
  void theRoutersPagesAsListed(String id, long context, String input, String output) {
    PricedModel m = TariffTables.bundled().require(id);
    assertThat(m.provider()).isEqualTo("routerai");
    assertThat(m.info().inputTokenLimit()).isEqualTo(context);
    assertThat(m.info().tokenizer()).isNull(); // no open tokenizer of theirs ships with Kopeck yet
    Usage u = Usage.of(1_000_000, 1_000_000);
    Cost c = CostCalculator.price(u, m, Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(c.total()).isEqualTo(dev.kopeck.pricing.money.Money.of(new java.math.BigDecimal(input).add(
        new java.math.BigDecimal(output)), java.util.Currency.getInstance("RUB")));
  }

  @Test
  void aPageWithoutPricesIsNotPriced() {
    for (String id : new String[] {"openai/gpt-4.1-mini", "mistralai/ministral-8b"}) {
      assertThat(TariffTables.bundled().find(id)).as(id).isEmpty();
    }
  }

  /** A page that shows some prices: priced for those, and a usage that needs another is refused naming it. */
  @Test
  void aPageWithSomePricesIsPricedForThoseOnly() {
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    PricedModel qwen = TariffTables.bundled().require("qwen/qwen3-coder-flash");
    assertThat(CostCalculator.price(Usage.of(32_000, 1_000_000), qwen, at).total().amount())
        .isEqualByComparingTo("151.96"); // 32,000 x 30/1M + 1M x 151/1M
    assertThat(CostCalculator.price(Usage.of(40_000, 0), qwen, at).total().amount())
        .isEqualByComparingTo("2"); // above 32,000 input tokens: 50 a million
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CostCalculator.price(Usage.of(40_000, 1), qwen, at))
        .isInstanceOf(dev.kopeck.pricing.cost.PricingException.class)
        .hasMessage("qwen/qwen3-coder-flash at routerai lists no price for output above 32,000 input tokens (its source"
            + " shows only some prices), and this usage has 1 output tokens: it cannot be priced");
    PricedModel claude = TariffTables.bundled().require("anthropic/claude-sonnet-4.5");
    assertThat(CostCalculator.price(Usage.of(1_000_000 - 800_000, 0), claude, at).total().amount())
        .isEqualByComparingTo("62.8"); // 200,000 x 314/1M
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CostCalculator.price(Usage.of(200_001, 0), claude, at))
        .hasMessageContaining("lists no price for input above 200,000 input tokens");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CostCalculator.price(Usage.builder().inputTokens(2000)
        .inputImageTokens(1000).outputTokens(1).build(), claude, at))
        .hasMessageContaining("lists no price for input_image");
  }

  @Test
  void llamaScoutBillsImagesPerImage() {
    PricedModel m = TariffTables.bundled().require("meta-llama/llama-4-scout");
    assertThat(m.latest().rates().get(ChargeKind.INPUT_IMAGE)).isEqualTo(Rate.of("91.14", 1_000, RateUnit.IMAGE));
  }

  @Test
  void aMillionInputAndAMillionOutputTokens() {
    PricedModel m = TariffTables.bundled().require("gemini-2.0-flash");
    Usage u = Usage.of(1_000_000, 1_000_000);
    assertThat(CostCalculator.price(u, m, Instant.parse("2025-03-01T00:00:00Z")).total().toPlainString())
        .isEqualTo("75");
  }
}
