package dev.kopeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kopeck price: one line from the registry's prices, and models side by side. */
class PriceCommandTest {
  @Test
  void oneLine() {
    CliTest.Result r = CliTest.run("price", "gpt-4o", "--input-tokens", "1000", "--output-tokens", "100", "--at",
        "2026-06-01");
    assertThat(r.code()).as(r.err()).isZero();
    // 1000 x 2.5/1M + 100 x 10/1M
    assertThat(r.out()).startsWith("gpt-4o at openai: 0.0035 USD (1,000 in, 100 out; public prices ");
  }

  @Test
  void cachedTokensArePartOfTheInput() throws Exception {
    JsonNode o = new ObjectMapper().readTree(CliTest.run("price", "--json", "gpt-4o", "--input-tokens", "1000",
        "--cached-tokens", "400", "--output-tokens", "100", "--at", "2026-06-01").out());
    // 600 x 2.5/1M + 400 x 1.25/1M + 100 x 10/1M = 0.0015 + 0.0005 + 0.001
    assertThat(o.get("total").asText()).isEqualTo("0.003");
    assertThat(o.get("source").asText()).isEqualTo("catalog");
  }

  @Test
  void compareCheapestFirstEachCurrencyApart() {
    CliTest.Result r = CliTest.run("price", "gpt-4o", "--input-tokens", "1000", "--output-tokens", "100", "--at",
        "2026-06-01", "--compare", "gpt-4o-mini", "claude-sonnet-4-5", "google/gemini-2.0-flash-001");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("model").contains("provider").contains("total").endsWith("currency");
    assertThat(lines.get(1)).startsWith("google/gemini-2.0-flash-001").endsWith("RUB");
    assertThat(lines.get(2)).startsWith("gpt-4o-mini").endsWith("USD");
    assertThat(lines.get(3)).startsWith("gpt-4o ");
    assertThat(lines.get(4)).startsWith("claude-sonnet-4-5");
  }

  @Test
  void badCountsAndUnknownModelsAreOneLine() {
    CliTest.Result neg = CliTest.run("price", "gpt-4o", "--input-tokens", "-1");
    assertThat(neg.code()).isEqualTo(2);
    assertThat(neg.err()).contains("--input-tokens: must not be negative");
    CliTest.Result typo = CliTest.run("price", "gtp-4o", "--input-tokens", "1");
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err().strip().lines()).singleElement().asString().contains("did you mean");
  }

  /** Each figure price prints, alone or side by side, is the registry's price of the same usage. */
  @Test
  void oneAndCompareAgreeWithTheRegistrysPrices() throws Exception {
    java.time.Instant at = java.time.Instant.parse("2026-06-01T00:00:00Z");
    dev.kopeck.pricing.usage.Usage u = dev.kopeck.pricing.usage.Usage.builder().inputTokens(12_345)
        .cacheReadTokens(2_000).outputTokens(678).build();
    List<String> names = List.of("gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5", "google/gemini-2.0-flash-001");
    List<String> args = new java.util.ArrayList<>(List.of("price", "--json", names.get(0), "--input-tokens", "12345",
        "--cached-tokens", "2000", "--output-tokens", "678", "--at", "2026-06-01", "--compare"));
    args.addAll(names.subList(1, names.size()));
    CliTest.Result r = CliTest.run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode all = new ObjectMapper().readTree(r.out());
    assertThat(all).hasSize(names.size());
    dev.kopeck.core.model.ModelRegistry registry = dev.kopeck.core.model.ModelRegistry.standard();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (JsonNode o : all) {
      dev.kopeck.pricing.cost.Cost c = registry.resolve(o.get("name").asText(), null).price(u, at);
      assertThat(o.get("total").asText()).as(o.get("name").asText()).isEqualTo(c.total().toPlainString());
      assertThat(o.get("currency").asText()).isEqualTo(c.currency().getCurrencyCode());
      seen.add(o.get("name").asText());
      JsonNode one = new ObjectMapper().readTree(CliTest.run("price", "--json", o.get("name").asText(),
          "--input-tokens", "12345", "--cached-tokens", "2000", "--output-tokens", "678", "--at", "2026-06-01").out());
      assertThat(one.get("total").asText()).isEqualTo(c.total().toPlainString());
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(names);
  }
}
