package dev.kopeck.tariffs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.cost.CostCalculator;
import dev.kopeck.tariff.ChargeKind;
import dev.kopeck.tariff.PricedModel;
import dev.kopeck.tariff.Rate;
import dev.kopeck.tariff.RateUnit;
import dev.kopeck.tariff.Tariff;
import dev.kopeck.tariff.TariffCatalog;
import dev.kopeck.usage.Usage;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BundledTariffsTest {
  @Test
  void everyBundledTableLoads() {
    assertThat(new BundledTariffs().tables()).containsKey("router-rub.json");
    assertThat(TariffCatalog.bundled().models()).isNotEmpty();
  }

  @Test
  void theRoutersGeminiFlashPageAsListed() {
    PricedModel m = TariffCatalog.bundled().require("google/gemini-2.0-flash-001");
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
        java.util.Map.entry(ChargeKind.INPUT_IMAGE, Rate.of("3.91", 1_000, RateUnit.TOKEN)),
        java.util.Map.entry(ChargeKind.INPUT_AUDIO, Rate.of("70", 1_000_000, RateUnit.TOKEN)));
  }

  @Test
  void aMillionInputAndAMillionOutputTokens() {
    PricedModel m = TariffCatalog.bundled().require("gemini-2.0-flash");
    Usage u = Usage.of(1_000_000, 1_000_000);
    assertThat(CostCalculator.price(u, m, Instant.parse("2025-03-01T00:00:00Z")).total().toPlainString())
        .isEqualTo("75");
  }
}
