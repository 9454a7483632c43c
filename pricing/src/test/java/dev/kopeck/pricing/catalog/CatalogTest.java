package dev.kopeck.pricing.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The catalog's rules, one at a time, on a small catalog written here. */
class CatalogTest {
  static final String UNITS = """
      "units": {
        "input_tokens": {"dimensions": {"direction": "input", "family": "tokens"}, "per": 1000000, "price_key": "input_mtok"},
        "cache_read_tokens": {"dimensions": {"direction": "input", "family": "tokens", "token_type": "cache_read"}, "per": 1000000, "price_key": "cache_read_mtok"},
        "input_audio_tokens": {"dimensions": {"direction": "input", "family": "tokens", "modality": "audio"}, "per": 1000000, "price_key": "input_audio_mtok"},
        "cache_audio_read_tokens": {"dimensions": {"direction": "input", "family": "tokens", "modality": "audio", "token_type": "cache_read"}, "per": 1000000, "price_key": "cache_audio_read_mtok"},
        "output_tokens": {"dimensions": {"direction": "output", "family": "tokens"}, "per": 1000000, "price_key": "output_mtok"},
        "requests": {"dimensions": {"family": "requests"}, "per": 1000, "price_key": "requests_kcount"}
      }""";

  static final Catalog C = Catalog.read("test.json", "{\"currency\": \"USD\", " + UNITS + """
      , "providers": [
        {"id": "acme", "name": "Acme", "api_pattern": "https://api\\\\.acme\\\\.test", "model_match": {"starts_with": "acme-"},
         "provider_match": {"contains": "acme"}, "fallback_model_providers": ["other"],
         "extractors": [{"api_flavor": "default", "root": "usage", "model_path": "model", "mappings": [
             {"path": "prompt", "dest": "input_tokens", "required": true},
             {"path": ["details", "cached"], "dest": "cache_read_tokens", "required": false},
             {"path": ["by_kind", {"type": "array-match", "field": "kind", "match": {"equals": "AUDIO"}}, "n"], "dest": "input_audio_tokens", "required": false},
             {"path": "completion", "dest": "output_tokens", "required": true}]}],
         "models": [
          {"id": "acme-flat", "match": {"or": [{"equals": "acme-flat"}, {"starts_with": "acme-flat-"}]},
           "prices": {"input_mtok": "0.1", "cache_read_mtok": "0.01", "output_mtok": "0.415", "requests_kcount": "2"}},
          {"id": "acme-nocache", "match": {"equals": "acme-nocache"}, "prices": {"input_mtok": "1", "output_mtok": "2"}},
          {"id": "acme-tiered", "match": {"regex": "^acme-tiered(-\\\\d{4}-\\\\d{2}-\\\\d{2})?$"},
           "prices": {"input_mtok": {"base": "1", "tiers": [{"start": 200000, "price": "2"}]}, "output_mtok": {"base": "4", "tiers": [{"start": 200000, "price": "6"}]}}},
          {"id": "acme-dated", "match": {"equals": "acme-dated"}, "prices": [
             {"prices": {"input_mtok": "3", "output_mtok": "3"}},
             {"constraint": {"type": "start_date", "start_date": "2026-01-01"}, "prices": {"input_mtok": "2", "output_mtok": "2"}},
             {"constraint": {"type": "time_of_date", "start_time": "16:30:00Z", "end_time": "00:30:00Z"}, "prices": {"input_mtok": "1", "output_mtok": "1"}}]},
          {"id": "acme-audio", "match": {"equals": "acme-audio"},
           "prices": {"input_mtok": "1", "cache_read_mtok": "0.5", "input_audio_mtok": "10", "cache_audio_read_mtok": "5", "output_mtok": "1"}}]},
        {"id": "other", "name": "Other", "api_pattern": "https://other\\\\.test", "models": [
          {"id": "shared-model", "match": {"contains": "shared"}, "prices": {"input_mtok": "7", "output_mtok": "7"}}]}
      ]}""");
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  static CatalogPrice price(String model, Object... usage) {
    return C.price(UnitUsage.of(usage), model, "acme", NOW);
  }

  @Test
  void exactDecimalsWhereDoublesDrift() {
    // 1,000,000 output tokens at 0.415: JavaScript's doubles print 0.41500000000000004
    CatalogPrice p = price("acme-flat", "input_tokens", 0, "output_tokens", 1_000_000);
    assertThat(p.output()).isEqualTo(new BigDecimal("0.415"));
    // a request fee of 2 a thousand requests has no direction: in the total only
    assertThat(p.total()).isEqualByComparingTo("0.417");
  }

  @Test
  void aPricedPartIsTakenOutOfItsWholeAnUnpricedOneIsNot() {
    // 1000 input of which 200 cached: 800 x 0.1 + 200 x 0.01 a million
    assertThat(price("acme-flat", "input_tokens", 1000, "cache_read_tokens", 200, "output_tokens", 0).input())
        .isEqualByComparingTo("0.000082");
    // no cache price: the cached tokens bill at the input price
    assertThat(price("acme-nocache", "input_tokens", 1000, "cache_read_tokens", 200, "output_tokens", 0).input())
        .isEqualByComparingTo("0.001");
  }

  @Test
  void nestedPartsCountOnceEach() {
    // 1000 input: 300 audio, of which 100 cached; 200 more cached text
    CatalogPrice p = price("acme-audio", "input_tokens", 1000, "input_audio_tokens", 300, "cache_read_tokens", 300,
        "cache_audio_read_tokens", 100, "output_tokens", 0);
    // audio cached 100 x 5, audio 200 x 10, cached text 200 x 0.5, text 500 x 1 (a million)
    assertThat(p.input()).isEqualByComparingTo(new BigDecimal("0.0031"));
  }

  @ParameterizedTest(name = "{0} input tokens")
  @CsvSource({"200000, 0.2, 0.004", "200001, 0.400002, 0.006"})
  void aTierPricesAllTheTokensOfItsKeyOnceTheInputPassesItsStart(long input, String in, String out) {
    CatalogPrice p = price("acme-tiered", "input_tokens", input, "output_tokens", 1000);
    assertThat(p.input()).isEqualByComparingTo(in);
    assertThat(p.output()).isEqualByComparingTo(out);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"2025-12-31T12:00:00Z, 3", "2026-01-01T00:00:00Z, 1", "2026-01-01T12:00:00Z, 2", "2026-03-01T16:30:00Z, 1",
      "2026-03-01T23:59:59Z, 1", "2026-03-02T00:29:59Z, 1", "2026-03-02T00:30:00Z, 2"})
  void datedAndTimeOfDayPricesTheLastThatHolds(String at, String perMillion) {
    CatalogPrice p = C.price(UnitUsage.of("input_tokens", 1_000_000, "output_tokens", 0), "acme-dated", "acme",
        Instant.parse(at));
    assertThat(p.input()).isEqualByComparingTo(perMillion);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"ACME-FLAT, acme-flat", "acme-flat-2026-01-01, acme-flat", "acme-tiered-20250514, acme-tiered",
      "  acme-tiered  , acme-tiered", "shared-model-x, shared-model"})
  void aModelIsFoundByTheNamesCallersUse(String name, String id) {
    CatalogProvider acme = C.provider("acme").orElseThrow();
    assertThat(C.model(acme, name)).get().extracting(CatalogModel::id).isEqualTo(id);
  }

  @Test
  void providersByIdNameUrlOrModel() {
    assertThat(C.provider("Acme Cloud").orElseThrow().id()).isEqualTo("acme");
    assertThat(C.providerForUrl("https://api.acme.test/v1/chat").orElseThrow().id()).isEqualTo("acme");
    assertThat(C.providerForUrl("https://evil.test/?https://api.acme.test")).isEmpty();
    assertThat(C.providerForModel("acme-flat").orElseThrow().id()).isEqualTo("acme");
    // without a provider, the model's name finds it
    assertThat(C.price(UnitUsage.of("input_tokens", 10, "output_tokens", 0), "acme-nocache", null, NOW).provider())
        .isEqualTo("acme");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      part larger than its whole   | acme-flat   | input_tokens=10,cache_read_tokens=20 | invalid usage: cache_read_tokens (20) exceeds input_tokens (10)
      a part without its whole     | acme-flat   | cache_read_tokens=20,output_tokens=1 | the usage has cache_read_tokens but not input_tokens, which it is part of
      unknown model                | acme-nope   | input_tokens=1                       | unknown model "acme-nope" at acme
      no model named               | ''          | input_tokens=1                       | no model to price: the response names none; name the model
      """)
  void refusals(String what, String model, String usage, String message) {
    Object[] kv = java.util.Arrays.stream(usage.split(",")).flatMap(e -> java.util.Arrays.stream(e.split("=")))
        .toArray();
    assertThatThrownBy(() -> C.price(UnitUsage.of(kv), model, "acme", NOW)).isInstanceOf(CatalogException.class)
        .hasMessage(message);
  }

  @Test
  void aProviderThatIsNotThereIsNamed() {
    assertThatThrownBy(() -> C.price(UnitUsage.of("input_tokens", 1), "x", "nobody", NOW))
        .hasMessage("unknown provider \"nobody\"");
  }

  @Test
  void extractorsSumTheirFieldsAndPickArrayElementsByMatch() {
    ExtractedUsage u = C.extract("acme", "default", "r.json", """
        {"model": "acme-flat", "usage": {"prompt": 100, "completion": 7, "details": {"cached": 40},
         "by_kind": [{"kind": "text", "n": 60}, {"kind": "audio", "n": 40}]}}""");
    assertThat(u.model()).isEqualTo("acme-flat");
    assertThat(u.usage()).isEqualTo(UnitUsage.of("input_tokens", 100, "cache_read_tokens", 40, "input_audio_tokens", 40,
        "output_tokens", 7));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      required field missing | {"usage": {"completion": 7}}               | r.json: $.usage.prompt: required field is missing
      no usage object        | {"model": "m"}                             | r.json: $.usage: required field is missing
      negative count         | {"usage": {"prompt": -1, "completion": 1}} | r.json: $.usage.prompt: negative count -1
      not a number           | {"usage": {"prompt": "1", "completion": 1}}| r.json: $.usage.prompt: expected a number, found the string "1"
      unknown flavour        | {"usage": {}}                              | r.json: acme has no usage reader for API flavour "chat"; it has default
      """)
  void extractionErrorsSayWhere(String what, String body, String message) {
    String flavor = what.equals("unknown flavour") ? "chat" : "default";
    assertThatThrownBy(() -> C.extract("acme", flavor, "r.json", body)).isInstanceOf(CatalogException.class)
        .hasMessage(message);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown price key   | "output_mtok": "2"}}, | "output_mtokens": "2"}}, | test.json: $.providers[0].models[1].prices.output_mtokens: unknown price key
      negative price      | "input_mtok": "1", "output_mtok": "2" | "input_mtok": "-1", "output_mtok": "2" | test.json: $.providers[0].models[1].prices.input_mtok: a price cannot be negative: -1
      bad match rule      | {"equals": "acme-nocache"} | {"same_as": "acme-nocache"} | test.json: $.providers[0].models[1].match.same_as: unknown match rule; expected equals, starts_with, ends_with, contains, regex, or, and
      bad time of day     | "16:30:00Z" | "16:30" | test.json: $.providers[0].models[3].prices[2].constraint.start_time: expected a time of day with its offset, such as 16:30:00Z
      """)
  void aBadCatalogNamesTheFileAndThePath(String what, String from, String to, String message) {
    String bad = TEXT.replace(from, to);
    assertThat(bad).isNotEqualTo(TEXT);
    assertThatThrownBy(() -> Catalog.read("test.json", bad)).isInstanceOf(dev.kopeck.base.InputException.class)
        .hasMessage(message);
  }

  static final String TEXT = "{\"currency\": \"USD\", " + UNITS + """
      , "providers": [
        {"id": "acme", "name": "Acme", "api_pattern": "https://api\\\\.acme\\\\.test", "models": [
          {"id": "acme-flat", "match": {"equals": "acme-flat"}, "prices": {"input_mtok": "0.1"}},
          {"id": "acme-nocache", "match": {"equals": "acme-nocache"}, "prices": {"input_mtok": "1", "output_mtok": "2"}},
          {"id": "acme-old", "match": {"equals": "acme-old"}, "prices": {"input_mtok": "1"}},
          {"id": "acme-dated", "match": {"equals": "acme-dated"}, "prices": [
             {"prices": {"input_mtok": "3"}},
             {"constraint": {"type": "start_date", "start_date": "2026-01-01"}, "prices": {"input_mtok": "2"}},
             {"constraint": {"type": "time_of_date", "start_time": "16:30:00Z", "end_time": "00:30:00Z"}, "prices": {"input_mtok": "1"}}]}]}
      ]}""";
}
