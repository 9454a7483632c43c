package dev.kopeck.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kopeck.base.InputException;
import dev.kopeck.base.Modality;
import dev.kopeck.pricing.cost.Cost;
import dev.kopeck.pricing.tariff.TariffTables;
import dev.kopeck.pricing.tariff.UnknownModelException;
import dev.kopeck.pricing.usage.Usage;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One registry for every model: names, sources, tokenizers, media rules, limits. */
class ModelRegistryTest {
  static final ModelRegistry REG = ModelRegistry.standard();
  static final Instant AT = Instant.parse("2026-06-01T12:00:00Z");

  @ParameterizedTest
  @CsvSource({
    "gpt-4o,                    ,           gpt-4o,                  openai,    catalog,      o200k_base,   true,  openai-tiles,         128000,   16384",
    "gpt-4o-mini,               ,           gpt-4o-mini,             openai,    catalog,      o200k_base,   true,  openai-tiles-4o-mini, 128000,   16384",
    "gpt-4.1-mini,              ,           gpt-4.1-mini,            openai,    catalog,      o200k_base,   true,  openai-patches-1.62,  1047576,  32768",
    "gpt-4.1-nano,              ,           gpt-4.1-nano,            openai,    catalog,      o200k_base,   true,  openai-patches-2.46,  1047576,  32768",
    "o4-mini,                   ,           o4-mini,                 openai,    catalog,      o200k_base,   true,  openai-patches-1.72,  200000,   100000",
    "o3,                        openai,     o3,                      openai,    catalog,      o200k_base,   true,  openai-tiles-o,       200000,   100000",
    "claude-sonnet-4-5,         anthropic,  claude-sonnet-4-5,       anthropic, catalog,      o200k_base,   false, anthropic,            200000,   64000",
    "gemini-2.5-flash,          google,     gemini-2.5-flash,        google,    catalog,      gemma3,       true,  gemini-2.5,           1048576,  65536",
    "deepseek-chat,             deepseek,   deepseek-chat,           deepseek,  catalog,      deepseek_v3,  true,  ,                     128000,   8192",
    "llama-3.3-70b-versatile,   groq,       llama-3.3-70b-versatile, groq,      catalog,      llama3,       true,  ,                     131072,   32768",
    "google/gemini-2.0-flash-001, ,         google/gemini-2.0-flash-001, routerai, tariff_table, gemma3,    true,  gemini-2.0,           1048576,  8192",
  })
  void theModelsPeopleUseResolve(String name, String providerArg, String id, String provider, String source,
      String tokenizer, boolean exact, String media, long context, long output) {
    Model m = REG.resolve(name, providerArg);
    assertThat(m.id()).isEqualTo(id);
    assertThat(m.provider()).isEqualTo(provider);
    assertThat(m.source().jsonName()).isEqualTo(source);
    assertThat(m.tokenizer().tokenizer()).isEqualTo(tokenizer);
    assertThat(m.tokenizer().exact()).isEqualTo(exact);
    assertThat(m.media().map(r -> r.id()).orElse(null)).isEqualTo(media);
    assertThat(m.contextWindow()).contains(context);
    assertThat(m.outputLimit()).contains(output);
  }

  @Test
  void aTextOnlyModelRefusesMediaSayingSo() {
    Model m = REG.resolve("deepseek-chat", null);
    assertThat(m.refuses(Modality.TEXT)).isNull();
    assertThat(m.refuses(Modality.IMAGE)).isEqualTo("deepseek-chat takes text only, not image");
    assertThat(REG.resolve("claude-sonnet-4-5", null).refuses(Modality.AUDIO))
        .isEqualTo("claude-sonnet-4-5 takes text and image and document only, not audio");
  }

  @Test
  void aTypoIsRefusedWithTheCloseNamesOfEverySource() {
    assertThatThrownBy(() -> REG.resolve("gtp-4o", null)).isInstanceOf(UnknownModelException.class)
        .hasMessageStartingWith("unknown model \"gtp-4o\"; did you mean ").hasMessageContaining("gpt-4o");
    assertThatThrownBy(() -> REG.resolve("gpt-4o", "nosuch")).isInstanceOf(InputException.class)
        .hasMessageStartingWith("unknown provider \"nosuch\"; known: routerai, ");
    // known, at another provider: said so, not "unknown"
    assertThatThrownBy(() -> REG.resolve("gpt-4o", "routerai")).isInstanceOf(InputException.class)
        .hasMessageStartingWith("\"gpt-4o\" is not priced at routerai; it is at openai (give --provider openai, or none)");
  }

  @Test
  void aNameOneProviderHoldsNeedsNoProviderAndOneSeveralHoldIsAskedFor() {
    assertThat(REG.resolve("llama-3.3-70b-versatile", null).provider()).isEqualTo("groq");
    assertThat(REG.resolve("llama-3.3-70b", null).provider()).isEqualTo("cerebras");
  }

  @Test
  void aNameNothingKnowsIsRefusedTheSameWayEveryTime() {
    ModelRegistry r = ModelRegistry.builder().build();
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> r.resolve("gtp-4o", null)).isInstanceOf(UnknownModelException.class)
          .hasMessageStartingWith("unknown model \"gtp-4o\"; did you mean ").hasMessageContaining("gpt-4o");
      assertThatThrownBy(() -> r.resolve("gpt-4o", "nosuch")).isInstanceOf(InputException.class)
          .hasMessageStartingWith("unknown provider \"nosuch\"; known: routerai, ");
    }
  }

  @Test
  void noModelIsGuessed() {
    assertThatThrownBy(() -> REG.choose(null, null)).isInstanceOf(InputException.class)
        .hasMessageStartingWith("no model is named");
    ModelRegistry withDefault = ModelRegistry.builder().defaultModel("gpt-4o").build();
    assertThat(withDefault.choose(null, null)).isEqualTo("gpt-4o");
    assertThat(withDefault.choose("o3", null)).isEqualTo("o3");
    assertThatThrownBy(() -> ModelRegistry.builder().defaultModel("gtp-4o").build())
        .isInstanceOf(UnknownModelException.class);
  }

  @Test
  void oneCostTypeForEverySource() {
    Cost catalog = REG.resolve("gpt-4o", null).price(Usage.of(1_000_000, 100_000), AT);
    assertThat(catalog.source()).isEqualTo(Cost.Source.CATALOG);
    assertThat(catalog.total().amount()).isEqualByComparingTo("3.5");
    assertThat(catalog.currency().getCurrencyCode()).isEqualTo("USD");
    assertThat(catalog.lines()).extracting(l -> l.component() + " " + l.quantity().toPlainString() + " " + l.unit()
        + " " + l.priceText() + " = " + l.amount().stripTrailingZeros().toPlainString())
        .containsExactly("input 1000000 token 2.5 per 1M tokens = 2.5", "output 100000 token 10 per 1M tokens = 1");
    Cost table = REG.resolve("google/gemini-2.0-flash-001", null).price(Usage.of(1_000_000, 100_000), AT);
    assertThat(table.source()).isEqualTo(Cost.Source.TARIFF_TABLE);
    assertThat(table.total().amount()).isEqualByComparingTo("21");
    assertThat(table.lines()).extracting(l -> l.component() + " " + l.priceText())
        .containsExactly("input 15 per 1M tokens", "output 60 per 1M tokens");
  }

  @Test
  void aUserTableReplacesOneCatalogModel() {
    String table = "{\"kopeck_tariff_format\": 1, \"provider\": \"openai\", \"currency\": \"EUR\", \"models\": [{"
        + "\"id\": \"gpt-4o\", \"input_token_limit\": 128000, \"tariffs\": [{\"effective_from\": \"2025-01-01\","
        + " \"rates\": {\"input\": {\"price\": \"2\", \"per\": 1000000, \"unit\": \"token\"}, \"output\": {\"price\": \"8\", \"per\": 1000000, \"unit\": \"token\"}}}]}]}";
    ModelRegistry r = ModelRegistry.builder().tariffs(TariffTables.builder().addBundled().addJson("mine.json", table)
        .build()).build();
    Model mine = r.resolve("gpt-4o", "openai");
    assertThat(mine.source()).isEqualTo(Cost.Source.TARIFF_TABLE);
    assertThat(mine.currency().getCurrencyCode()).isEqualTo("EUR");
    assertThat(mine.tokenizer().tokenizer()).isEqualTo("o200k_base");
    assertThat(r.resolve("gpt-4o-mini", null).source()).isEqualTo(Cost.Source.CATALOG);
  }
}
