package dev.kopeck.pricing.tariff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TariffReaderTest {

  @Test
  void readsTheRouterPageExactly() {
    PricedModel m = TestTariffs.tables().require("google/gemini-2.0-flash-001");
    assertThat(m.provider()).isEqualTo("router");
    assertThat(m.info().inputTokenLimit()).isEqualTo(1_048_576);
    assertThat(m.info().outputTokenLimit()).isEqualTo(8_192);
    assertThat(m.info().tokenizer()).isEqualTo("gemma3");
    assertThat(m.info().mediaRules()).isEqualTo("gemini-2.0");
    Tariff t = m.latest();
    assertThat(t.currency()).isEqualTo(Currency.getInstance("RUB"));
    assertThat(t.effectiveFrom()).isEqualTo(Instant.parse("2025-02-05T00:00:00Z"));
    assertThat(t.rates().get(ChargeKind.INPUT)).isEqualTo(Rate.of("15", 1_000_000, RateUnit.TOKEN));
    assertThat(t.rates().get(ChargeKind.OUTPUT)).isEqualTo(Rate.of("60", 1_000_000, RateUnit.TOKEN));
    assertThat(t.rates().get(ChargeKind.CACHE_READ)).isEqualTo(Rate.of("3", 1_000_000, RateUnit.TOKEN));
    assertThat(t.rates().get(ChargeKind.CACHE_WRITE)).isEqualTo(Rate.of("23", 1_000_000, RateUnit.TOKEN));
    assertThat(t.rates().get(ChargeKind.INPUT_IMAGE)).isEqualTo(Rate.of("3.91", 1_000, RateUnit.TOKEN));
    assertThat(t.rates().get(ChargeKind.INPUT_AUDIO)).isEqualTo(Rate.of("70", 1_000_000, RateUnit.TOKEN));
    assertThat(t.rates().get(ChargeKind.INPUT_AUDIO).price()).isEqualTo(new BigDecimal("70"));
  }

  @ParameterizedTest
  @CsvSource({"google/gemini-2.0-flash-001", "gemini-2.0-flash-001", "gemini-2.0-flash", "GEMINI-2.0-FLASH",
      "models/gemini-2.0-flash", " gemini-2.0-flash "})
  void findsByIdOrAlias(String name) {
    assertThat(TestTariffs.tables().find(name)).map(PricedModel::id).contains("google/gemini-2.0-flash-001");
  }

  @Test
  void anUnknownModelSuggestsCloseNames() {
    assertThatThrownBy(() -> TestTariffs.tables().require("gemini-2.0-flsh"))
        .isInstanceOf(UnknownModelException.class)
        .hasMessageContaining("unknown model \"gemini-2.0-flsh\"")
        .hasMessageEndingWith("did you mean gemini-2.0-flash?");
  }

  @Test
  void picksTheTariffInForceAtTheCallsTime() {
    PricedModel m = TestTariffs.tables().require("gemini-2.5-pro");
    assertThat(m.tariffAt(Instant.parse("2025-06-16T23:59:59Z"))).isEmpty();
    assertThat(m.tariffAt(Instant.parse("2025-06-17T00:00:00Z")).orElseThrow().rates().get(ChargeKind.INPUT).price())
        .isEqualByComparingTo("1.25");
    assertThat(m.tariffAt(Instant.parse("2025-12-31T23:59:59Z")).orElseThrow().rates().get(ChargeKind.INPUT).price())
        .isEqualByComparingTo("1.25");
    assertThat(m.tariffAt(Instant.parse("2026-01-01T00:00:00Z")).orElseThrow().rates().get(ChargeKind.INPUT).price())
        .isEqualByComparingTo("1");
  }

  @Test
  void tiersApplyAboveTheirThresholdAndFallBackKindByKind() {
    Tariff t = TestTariffs.tables().require("gemini-2.5-pro").tariffs().get(0);
    assertThat(t.rateFor(ChargeKind.INPUT, 200_000).orElseThrow().rate().price()).isEqualByComparingTo("1.25");
    assertThat(t.rateFor(ChargeKind.INPUT, 200_001).orElseThrow().rate().price()).isEqualByComparingTo("2.50");
    Tariff.Applied reasoning = t.rateFor(ChargeKind.REASONING, 300_000).orElseThrow();
    assertThat(reasoning.billedAs()).isEqualTo(ChargeKind.OUTPUT);
    assertThat(reasoning.rate().price()).isEqualByComparingTo("15");
    assertThat(t.rateFor(ChargeKind.CACHE_WRITE, 10).orElseThrow().billedAs()).isEqualTo(ChargeKind.INPUT);
    assertThat(TestTariffs.router().rateFor(ChargeKind.REQUEST, 10)).isEmpty();
  }

  @Test
  void aLaterLayerReplacesTheSameProvidersModel() {
    String cheaper = TestTariffs.ROUTER.replace("\"15\"", "\"14\"");
    TariffTables c = TariffTables.builder().addJson("a", TestTariffs.ROUTER).addJson("b", cheaper).build();
    assertThat(c.models()).hasSize(1);
    assertThat(c.require("gemini-2.0-flash").latest().rates().get(ChargeKind.INPUT).price()).isEqualByComparingTo("14");
  }

  @Test
  void loadsAFolderOnTopOfOthers(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.json"), TestTariffs.ROUTER, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("b.json"), TestTariffs.TIERED, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("notes.txt"), "not a table", StandardCharsets.UTF_8);
    TariffTables c = TariffTables.builder().addPath(dir).build();
    assertThat(c.models()).extracting(PricedModel::id).containsExactly("google/gemini-2.0-flash-001", "gemini-2.5-pro");
  }

  @Test
  void aBadFileInAFolderIsNamed(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.json"), TestTariffs.ROUTER.replace("\"3.91\"", "\"3,91\""));
    assertThatThrownBy(() -> TariffTables.builder().addPath(dir).build())
        .isInstanceOf(TariffException.class)
        .hasMessage(dir.resolve("a.json") + ": $.models[0].tariffs[0].rates.input_image.price: "
            + "not a decimal number: \"3,91\"");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      malformed JSON        | "models": [            | "models": [,           | t.json: line 5, column 14: malformed JSON: Unexpected character (',' (code 44)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')
      typo in a rate kind   | "output":              | "ouptut":              | t.json: $.models[0].tariffs[0].rates.ouptut: unknown rate kind; expected one of [input, output, cache_read, cache_write, input_image, input_audio, input_video, input_document, cache_read_audio, reasoning, output_audio, output_image, request]
      negative price        | "price": "60"          | "price": "-60"         | t.json: $.models[0].tariffs[0].rates.output.price: a price cannot be negative: -60
      price as garbage      | "price": "60"          | "price": true          | t.json: $.models[0].tariffs[0].rates.output.price: expected a decimal number or a string holding one, found true
      zero per              | "per": "1K"            | "per": 0               | t.json: $.models[0].tariffs[0].rates.input_image.per: must be positive: 0
      bad per               | "per": "1K"            | "per": "1G"            | t.json: $.models[0].tariffs[0].rates.input_image.per: expected a count such as 1, 1000, "1K" or "1M", found "1G"
      unknown unit          | "70",   "per": "1M", "unit": "token" | "70",   "per": "1M", "unit": "tokn" | t.json: $.models[0].tariffs[0].rates.input_audio.unit: unknown unit; expected token, image, second, page or request
      bad currency          | "currency": "RUB"      | "currency": "ROUBLE"   | t.json: $.currency: not an ISO 4217 currency code: "ROUBLE"
      bad date              | "2025-02-05"           | "2025-02-30"           | t.json: $.models[0].tariffs[0].effective_from: expected a date (2025-02-05) or an instant (2025-02-05T00:00:00Z), found "2025-02-30"
      missing input limit   | "input_token_limit": 1048576, | ''              | t.json: $.models[0].input_token_limit: required field is missing
      unknown modality      | "tokenizer": "gemma3", | "tokenizer": "gemma3", "modalities": {"input": ["smell"]}, | t.json: $.models[0].modalities.input[0]: unknown modality "smell"; expected text, image, audio, video or document
      fractional limit      | 1048576                | 1048576.5              | t.json: $.models[0].input_token_limit: expected a whole number, found 1048576.5
      duplicate key         | "tokenizer": "gemma3", | "tokenizer": "gemma3", "tokenizer": "x", | t.json: line 9, column 39: malformed JSON: Duplicate field 'tokenizer'
      wrong format version  | "kopeck_tariff_format": 1 | "kopeck_tariff_format": 2 | t.json: $.kopeck_tariff_format: unsupported format 2; this Kopeck reads format 1
      no input rate         | "input":       {"price": "15",   "per": "1M", "unit": "token"}, | '' | t.json: $.models[0].tariffs[0].rates.input: required rate is missing
      tokenizer typo        | "tokenizer": "gemma3"  | "tokenizer": "gemma33" | t.json: $.models[0].tokenizer: unknown tokenizer "gemma33"; known: gemma3, gemma, o200k_base, cl100k_base, p50k_base, r50k_base, o200k_harmony, llama3, qwen3, deepseek_v3
      media rules typo      | "media_rules": "gemini-2.0" | "media_rules": "gemini-2" | t.json: $.models[0].media_rules: unknown media rules "gemini-2"; known: gemini-2.0, openai-tiles, openai-tiles-4o-mini, openai-tiles-o, openai-patches-1.62, openai-patches-2.46, openai-patches-1.72, anthropic, gemini-2.5, gemini-3, openai-tiles-5
      """)
  void aBadTableNamesTheFileAndThePath(String what, String from, String to, String message) {
    String json = TestTariffs.ROUTER.replace(from, to);
    assertThat(json).as("the test's replacement applies").isNotEqualTo(TestTariffs.ROUTER);
    assertThatThrownBy(() -> TariffTables.builder().addJson("t.json", json))
        .isInstanceOf(TariffException.class)
        .hasMessage(message);
  }

  @Test
  void twoModelsMayNotShareANameInOneTable() {
    String json = TestTariffs.ROUTER.replace("\"gemini-2.0-flash\"]", "\"gemini-2.0-flash\", \"gemini-2.0-flash-001\"]");
    assertThatThrownBy(() -> TariffTables.builder().addJson("t.json", json))
        .isInstanceOf(TariffException.class)
        .hasMessageContaining("$.models[0]: the name \"gemini-2.0-flash-001\" is already used");
  }

  @Test
  void aMissingFileIsNamed() {
    Path p = Path.of("no/such/tariff.json");
    assertThatThrownBy(() -> TariffTables.builder().addPath(p))
        .isInstanceOf(TariffException.class)
        .hasMessageStartingWith("no/such/tariff.json: cannot read");
  }

  @Test
  void aModelMayLackAnOpenTokenizerMediaRulesAndAnOutputLimit() {
    String t = TestTariffs.ROUTER.replace("\"output_token_limit\": 8192,", "").replace("\"tokenizer\": \"gemma3\", ", "")
        .replace("\"media_rules\": \"gemini-2.0\",", "\"modalities\": {\"input\": [\"text\", \"image\"], \"output\": [\"text\"]},");
    ModelInfo m = TariffTables.builder().addJson("t.json", t).build().require("gemini-2.0-flash").info();
    assertThat(m.outputTokenLimit()).isNull();
    assertThat(m.tokenizer()).isNull();
    assertThat(m.mediaRules()).isNull();
    assertThat(m.inputModalities()).containsExactly(dev.kopeck.base.Modality.TEXT, dev.kopeck.base.Modality.IMAGE);
  }

  @Test
  void aModelAskedOfNoTablesAtAllSaysNoneAreLoaded() {
    // issue 19 #20: without kopeck-tariffs the catalog was silently empty and the error said "run kopeck models"
    assertThatThrownBy(() -> TariffTables.builder().build().require("gemini-2.0-flash"))
        .isInstanceOf(UnknownModelException.class)
        .hasMessage("unknown model \"gemini-2.0-flash\": no tariff tables are loaded (the bundled ones are in"
            + " dev.kopeck:kopeck-tariffs, which is not on the class path; or load your own with"
            + " TariffTables.builder())");
  }
}
