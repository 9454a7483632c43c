package dev.kopeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every command resolves models through the one registry: any model, its provider, no guessed default. */
class ModelRegistryCliTest {
  static final ObjectMapper M = new ObjectMapper();
  @TempDir Path dir;

  Path file(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  /**
   * The models, estimated through the command line. OpenAI's input is the cookbook count over
   * tiktoken's o200k_base: 3 + "user" (1) + "Say hello to the budget." (6), then 3: 13 tokens.
   */
  @ParameterizedTest
  @CsvSource({
    "gpt-4o,                      ,          openai,    13,  USD, exact",
    "gpt-4.1-mini,                ,          openai,    13,  USD, exact",
    "o3,                          openai,    openai,    13,  USD, exact",
    "claude-sonnet-4-5,           anthropic, anthropic, -1,  USD, estimate",
    "gemini-2.5-flash,            google,    google,    -1,  USD, exact",
    "deepseek-chat,               deepseek,  deepseek,  -1,  USD, exact",
    "llama-3.3-70b-versatile,     groq,      groq,      -1,  USD, exact",
    "google/gemini-2.0-flash-001, ,          routerai,  -1,  RUB, exact",
  })
  void estimateAnyModel(String model, String provider, String billedBy, long input, String currency, String count)
      throws Exception {
    Path req = file("r.json", "{\"model\":\"" + model + "\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Say hello to the budget.\"}]}");
    CliTest.Result r = provider == null ? CliTest.run("estimate", "--json", req.toString())
        : CliTest.run("estimate", "--json", "--provider", provider, req.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode o = M.readTree(r.out());
    assertThat(o.get("provider").asText()).isEqualTo(billedBy);
    assertThat(o.get("currency").asText()).isEqualTo(currency);
    assertThat(o.at("/text_count/count").asText()).isEqualTo(count);
    if (input >= 0) {
      assertThat(o.at("/input/total").asLong()).isEqualTo(input);
    }
    assertThat(o.at("/context/fits").asBoolean()).isTrue();
    assertThat(new java.math.BigDecimal(o.at("/cost/max").asText())).isPositive();
  }

  @Test
  void fitNamesTheLimitThatFailed() throws Exception {
    Path req = file("big.json", "{\"model\":\"google/gemini-2.0-flash-001\",\"max_tokens\":10000,\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"hi\"}]}");
    CliTest.Result r = CliTest.run("estimate", req.toString());
    assertThat(r.code()).isEqualTo(Main.DOES_NOT_FIT);
    assertThat(r.out()).contains("DOES NOT FIT: max_tokens 10,000 is over the 8,192-token output limit");
    Path small = file("small.json", "{\"model\":\"gpt-4o\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}");
    // a max_tokens below the default expected output is the expected output, and the note says so
    assertThat(CliTest.run("estimate", small.toString()).out()).contains("output: expected 100, at most 100 tokens")
        .contains("note: expected output is max_tokens, 100 tokens a choice").doesNotContain("expected output is the default");
  }

  @Test
  void aTypoIsExitTwoWithTheCloseNamesInEveryCommand() throws Exception {
    Path text = file("t.txt", "hello");
    Path req = file("r.json", "{\"model\":\"gtp-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    for (CliTest.Result r : new CliTest.Result[] {CliTest.run("count", "--model", "gtp-4o", text.toString()),
        CliTest.run("estimate", req.toString()), CliTest.run("fit", "--max-output", "10", req.toString()),
        CliTest.run("cost", "--model", "gtp-4o", "../docs/examples/openai-response.json")}) {
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err().strip().lines()).singleElement().asString().contains("unknown model \"gtp-4o\"")
          .contains("gpt-4o");
    }
  }

  @Test
  void aBodyNamingNoModelIsRefusedUnlessADefaultIsGiven() throws Exception {
    Path bedrock = file("bedrock.json", "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":"
        + "\"hi\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":10,\"outputTokens\":5,\"totalTokens\":15}}");
    CliTest.Result r = CliTest.run("cost", bedrock.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("kopeck cost: " + bedrock + ": no model is named").contains("--model");
    assertThat(r.err().strip().lines()).hasSize(1);
    CliTest.Result priced = CliTest.run("cost", "--json", "--model", "claude-sonnet-4-5", "--provider", "anthropic",
        bedrock.toString());
    assertThat(priced.code()).as(priced.err()).isZero();
    // 10 x 3/1M + 5 x 15/1M
    assertThat(M.readTree(priced.out()).get("total").asText()).isEqualTo("0.000105");
    CliTest.Result dflt = CliTest.run("cost", "--json", "--default-model", "gpt-4o", bedrock.toString());
    assertThat(M.readTree(dflt.out()).get("model").asText()).isEqualTo("gpt-4o");
    CliTest.Result count = CliTest.run("count", bedrock.toString());
    assertThat(count.code()).isEqualTo(2);
    assertThat(count.err()).startsWith("kopeck count: no model is named");
  }

  /** A native Google response is Google's, though the router's table sells a model of that name in roubles. */
  @Test
  void aNativeGeminiResponseIsPricedAtGoogle() throws Exception {
    Path body = file("g.json", "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hi\"}]}}],"
        + "\"usageMetadata\":{\"promptTokenCount\":1000,\"candidatesTokenCount\":100,\"totalTokenCount\":1100},"
        + "\"modelVersion\":\"gemini-2.0-flash-001\"}");
    JsonNode o = M.readTree(CliTest.run("cost", "--json", body.toString()).out());
    assertThat(o.get("provider").asText()).isEqualTo("google");
    assertThat(o.get("currency").asText()).isEqualTo("USD");
    assertThat(o.get("total").asText()).isEqualTo("0.00014"); // 1000 x 0.1/1M + 100 x 0.4/1M
    JsonNode router = M.readTree(CliTest.run("cost", "--json", "--provider", "routerai", body.toString()).out());
    assertThat(router.get("currency").asText()).isEqualTo("RUB");
  }

  @Test
  void oneCostJsonSchemaForBothSources() throws Exception {
    Path usage = file("u.json", "{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":100}}");
    JsonNode c = M.readTree(CliTest.run("cost", "--json", "--at", "2026-06-01", usage.toString()).out());
    JsonNode t = M.readTree(CliTest.run("cost", "--json", "--at", "2026-06-01", "--model", "google/gemini-2.0-flash-001",
        usage.toString()).out());
    for (JsonNode o : new JsonNode[] {c, t}) {
      assertThat(o.fieldNames()).toIterable().contains("model", "provider", "currency", "source", "prices_from",
          "priced_at", "total", "total_display", "input", "output", "lines", "usage", "notes");
      assertThat(o.get("lines").get(0).fieldNames()).toIterable()
          .containsExactly("component", "tokens", "quantity", "unit", "price", "per", "amount");
    }
    assertThat(c.get("source").asText()).isEqualTo("catalog");
    assertThat(c.get("total").asText()).isEqualTo("0.0035");
    assertThat(c.get("total_display").asText()).isEqualTo("0.00 USD");
    assertThat(t.get("source").asText()).isEqualTo("tariff_table");
    assertThat(t.get("total").asText()).isEqualTo("0.021");
  }

  @Test
  void countUsesTheModelsOwnMediaRules() {
    String jpeg = "../tokens/src/test/resources/media/jpeg-progressive-3000x2000.jpg";
    CliTest.Result claude = CliTest.run("count", "--json", "--model", "claude-sonnet-4-5", jpeg);
    assertThat(claude.code()).as(claude.err()).isZero();
    assertThat(claude.out()).contains("\"media_rules\":\"anthropic\"");
    CliTest.Result mini = CliTest.run("count", "--json", "--model", "gpt-4.1-mini", jpeg);
    assertThat(mini.out()).contains("\"media_rules\":\"openai-patches-1.62\"");
    CliTest.Result deepseek = CliTest.run("count", "--model", "deepseek-chat", jpeg);
    assertThat(deepseek.code()).isEqualTo(2);
    assertThat(deepseek.err()).contains("deepseek-chat takes text only, not image");
  }

  @Test
  void theRoutersModelsAreListedAndItsPartialPagesPricedForWhatTheyShow() throws Exception {
    CliTest.Result models = CliTest.run("models", "--provider", "routerai");
    assertThat(models.code()).as(models.err()).isZero();
    assertThat(models.out()).contains("google/gemini-2.0-flash-001").contains("qwen/qwen3-coder-flash")
        .contains("anthropic/claude-sonnet-4.5");
    Path small = file("s.json", "{\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":100}}");
    JsonNode q = M.readTree(CliTest.run("cost", "--json", "--model", "qwen/qwen3-coder-flash", small.toString()).out());
    // 1000 x 30/1M + 100 x 151/1M roubles
    assertThat(q.get("total").asText()).isEqualTo("0.0451");
    assertThat(q.get("currency").asText()).isEqualTo("RUB");
    Path large = file("l.json", "{\"usage\":{\"prompt_tokens\":40000,\"completion_tokens\":100}}");
    CliTest.Result refused = CliTest.run("cost", "--model", "qwen/qwen3-coder-flash", large.toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("lists no price for output above 32,000 input tokens");
    Path claude = file("c.json", "{\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":100}}");
    assertThat(M.readTree(CliTest.run("cost", "--json", "--model", "anthropic/claude-sonnet-4.5", claude.toString())
        .out()).get("total").asText()).isEqualTo("0.4714");
  }
}
