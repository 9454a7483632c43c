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
}
