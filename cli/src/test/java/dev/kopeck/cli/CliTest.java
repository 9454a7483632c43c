package dev.kopeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  Path file(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void costAsJson() throws Exception {
    Path f = file("r.json", """
        {"model": "google/gemini-2.0-flash-001", "created": 1740000000,
         "usage": {"prompt_tokens": 1000, "completion_tokens": 500, "total_tokens": 1500}}
        """);
    Result r = run("cost", "--default-model", "google/gemini-2.0-flash-001", "--json", f.toString());
    assertThat(r.err).isEmpty();
    assertThat(r.code).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out);
    assertThat(j.get("model").asText()).isEqualTo("google/gemini-2.0-flash-001");
    assertThat(j.get("currency").asText()).isEqualTo("RUB");
    // 1000 × 15/1M + 500 × 60/1M = 0.015 + 0.03
    assertThat(j.get("total").asText()).isEqualTo("0.045");
    assertThat(j.get("lines")).hasSize(2);
    assertThat(j.get("lines").get(0).get("component").asText()).isEqualTo("input");
    assertThat(j.get("lines").get(0).get("amount").asText()).isEqualTo("0.015");
    assertThat(j.get("lines").get(1).get("price").asText()).isEqualTo("60");
    assertThat(j.get("lines").get(1).get("per").asLong()).isEqualTo(1_000_000);
  }

  /**
   * A file from CountCommand.PRELOAD_BYTES on has its vocabulary loaded on a second thread while it is
   * read: the count is the library's, alone and beside a small file (which alone loads on first use).
   */
  @Test
  void aLargeFileCountsAsTheLibraryDoesWithItsVocabularyPreloaded() throws Exception {
    String text = "Hello, world: how many tokens is this line? Ünïcödé, 数字 12345.\n".repeat(20_000);
    Path big = file("big.txt", text);
    assertThat(Files.size(big)).isGreaterThanOrEqualTo(CountCommand.PRELOAD_BYTES);
    Path small = file("small.txt", "Hello");
    assertThat(Inputs.anyAtLeast(java.util.List.of(small.toString(), big.toString()), CountCommand.PRELOAD_BYTES))
        .isTrue();
    assertThat(Inputs.anyAtLeast(java.util.List.of("-", small.toString(), dir.resolve("none").toString()),
        CountCommand.PRELOAD_BYTES)).isFalse();
    // r50k_base: loaded by no other test of this class, so the second thread loads it (run first)
    Result r = run("count", "--tokenizer", "r50k_base", "--json", small.toString(), big.toString());
    assertThat(r.err).isEmpty();
    assertThat(r.code).isZero();
    assertThat(r.out).contains("\"tokens\":" + dev.kopeck.tokens.Tokenizers.require("r50k_base").count(text));
  }

  /**
   * A request from CountCommand.PRELOAD_BYTES on has its model read ahead of the parse, and that
   * model's vocabulary loaded on a second thread: the estimate is the library's all the same.
   */
  @Test
  void aLargeRequestEstimatesAsTheLibraryDoesWithItsModelReadAhead() throws Exception {
    String text = "How many tokens is this line? Ünïcödé, 数字 12345.\n".repeat(25_000);
    String json = "{\"messages\": [{\"role\": \"user\", \"content\": "
        + com.fasterxml.jackson.databind.node.TextNode.valueOf(text) + "}], \"model\": \"google/gemini-2.0-flash-001\"}";
    Path req = file("big-request.json", json);
    assertThat(Files.size(req)).isGreaterThanOrEqualTo(CountCommand.PRELOAD_BYTES);
    assertThat(EstimateCommand.modelNamed(json)).isEqualTo("google/gemini-2.0-flash-001");
    Result r = run("estimate", "--json", req.toString());
    assertThat(r.err).isEmpty();
    assertThat(r.code).isZero();
    long tokens = dev.kopeck.core.estimate.Estimator.standard()
        .estimate(dev.kopeck.core.estimate.ChatRequestParser.parse("x", json)).rawTextTokens();
    assertThat(r.out).contains(String.valueOf(tokens));
  }

  @Test
  void theModelReadAheadIsTheFirstModelKeysStringOrNone() {
    assertThat(EstimateCommand.modelNamed("{\"model\" :\n \"gpt-4o\", \"messages\": []}")).isEqualTo("gpt-4o");
    assertThat(EstimateCommand.modelNamed("{\"messages\": [{\"content\": \"say \\\"model\\\": 1\"}]}")).isNull();
    assertThat(EstimateCommand.modelNamed("{\"model\": 42}")).isNull();
    assertThat(EstimateCommand.modelNamed("{\"model\": \"\"}")).isNull();
    assertThat(EstimateCommand.modelNamed("{\"messages\": []}")).isNull();
    assertThat(EstimateCommand.modelNamed("{\"model\": \"unterminated")).isNull();
  }

  @Test
  void costAsText() throws Exception {
    Path f = file("u.json", "{\"prompt_tokens\": 1000, \"completion_tokens\": 500}");
    Result r = run("cost", "--default-model", "google/gemini-2.0-flash-001", "--at", "2025-03-01T00:00:00Z", f.toString());
    assertThat(r.code).isZero();
    assertThat(r.out).contains("google/gemini-2.0-flash-001 at routerai").contains("0.045 RUB").contains("0.05 RUB");
  }

  @Test
  void theBundledExampleCostsWhatTheReadmeSays() {
    Result r = run("cost", "--default-model", "google/gemini-2.0-flash-001", "--json", "../docs/examples/openai-response.json");
    assertThat(r.err).isEmpty();
    // one image (258 tokens at 258 an image) at 3.91 per 1K images: the provider's own charge, to the last digit
    assertThat(r.out).contains("\"total\":\"0.020446\"").contains("\"reported_cost\":\"0.020446\"")
        .contains("\"reported_minus_price\":\"0\"").contains("images: 1, inferred from 258 image tokens");
  }

  @Test
  void aUserTariffOnTop() throws Exception {
    Path t = file("t.json", """
        {"kopeck_tariff_format": 1, "provider": "acme", "currency": "USD",
         "models": [{"id": "acme-1", "input_token_limit": 1000, "output_token_limit": 100,
           "tokenizer": "o200k_base", "media_rules": "openai-tiles",
           "tariffs": [{"effective_from": "2020-01-01", "rates": {
             "input": {"price": "1", "per": "1M", "unit": "token"},
             "output": {"price": "2", "per": "1M", "unit": "token"}}}]}]}
        """);
    Path u = file("u.json", "{\"prompt_tokens\": 1000000, \"completion_tokens\": 1000000}");
    Result r = run("cost", "--default-model", "google/gemini-2.0-flash-001", "--json", "--tariff", t.toString(), "--model", "acme-1", u.toString());
    assertThat(r.err).isEmpty();
    assertThat(r.out).contains("\"currency\":\"USD\"").contains("\"total\":\"3\"");
    Result models = run("models", "--tariff", t.toString());
    assertThat(models.out).contains("acme-1").contains("google/gemini-2.0-flash-001");
  }

  @Test
  void badInputIsOneLineAndExitTwo() throws Exception {
    Path f = file("bad.json", "{\"usage\": {\"prompt_tokens\": 10, \"prompt_tokens_details\": {\"cached_tokens\": 20}}}");
    Result r = run("cost", "--default-model", "google/gemini-2.0-flash-001", f.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.out).isEmpty();
    assertThat(r.err.strip()).isEqualTo("kopeck cost: " + f
        + ": $.usage.prompt_tokens_details.cached_tokens: 20 is more than its whole, prompt_tokens (10)");
    assertThat(r.err.strip().lines()).hasSize(1);
  }

  @Test
  void verboseAddsTheStackTrace() throws Exception {
    Path f = file("bad.json", "{");
    Result r = run("--verbose", "cost", f.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("malformed JSON").contains("\tat ");
  }

  @Test
  void notUtf8NamesTheByte() throws Exception {
    Path f = dir.resolve("latin1.json");
    Files.write(f, new byte[] {'{', '"', (byte) 0xE9, '"', ':', '1', '}'});
    Result r = run("cost", "--default-model", "google/gemini-2.0-flash-001", f.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err.strip()).isEqualTo("kopeck cost: " + f + ": byte 2: not valid UTF-8 (1 bad byte starting 0xE9)");
  }

  @Test
  void unknownModelAndUnknownOption() throws Exception {
    Path f = file("u.json", "{\"prompt_tokens\": 1}");
    Result r = run("cost", "--default-model", "google/gemini-2.0-flash-001", "--model", "gpt-17", f.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).startsWith("kopeck cost: " + f + ": --model: unknown model \"gpt-17\"");
    Result o = run("cost", "--default-model", "google/gemini-2.0-flash-001", "--frobnicate", f.toString());
    assertThat(o.code).isEqualTo(2);
    assertThat(o.err.strip()).isEqualTo("kopeck cost: Unknown option: '--frobnicate' (see kopeck cost --help)");
    Result n = run("cost", "--default-model", "google/gemini-2.0-flash-001", "--images", "-1", f.toString());
    assertThat(n.code).isEqualTo(2);
    assertThat(n.err).contains("--images must not be negative: -1");
  }

  @Test
  void aBadTariffFileNamesItsPath() throws Exception {
    Path t = file("t.json", "{\"kopeck_tariff_format\": 1, \"provider\": \"x\", \"models\": [{\"id\": 5}]}");
    Path u = file("u.json", "{\"prompt_tokens\": 1}");
    Result r = run("cost", "--default-model", "google/gemini-2.0-flash-001", "--tariff", t.toString(), u.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err.strip()).isEqualTo("kopeck cost: " + t + ": $.models[0].id: expected a string, found the number 5");
  }

  @Test
  void aMissingFile() {
    Result r = run("cost", "--default-model", "google/gemini-2.0-flash-001", "does-not-exist.json");
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err.strip()).isEqualTo("kopeck cost: does-not-exist.json: no such file");
  }

  @Test
  void modelsAsJson() {
    Result r = run("models", "--json");
    assertThat(r.code).isZero();
    assertThat(r.out).contains("\"model\":\"google/gemini-2.0-flash-001\"").contains("\"input_image\":{\"price\":\"3.91\",\"per\":1000,\"unit\":\"image\"}");
  }

  @Test
  void countsTextFilesAsJsonLines() throws Exception {
    Path a = file("a.txt", "Hello world");
    Path b = file("b.txt", "Привет, мир!");
    Result r = run("count", "--default-model", "google/gemini-2.0-flash-001", "--json", a.toString(), b.toString());
    assertThat(r.err).isEmpty();
    assertThat(r.code).isZero();
    List<String> lines = r.out.strip().lines().toList();
    assertThat(lines).hasSize(2);
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.get("file").asText()).isEqualTo(a.toString());
    assertThat(first.get("modality").asText()).isEqualTo("text");
    // gemma3: "Hello" "▁world"
    assertThat(first.get("tokens").asInt()).isEqualTo(2);
  }

  @Test
  void aBadFileIsReportedAndTheOthersStillCounted() throws Exception {
    Path good = file("good.txt", "one two three");
    Path bad = dir.resolve("bad.txt");
    Files.write(bad, new byte[] {'o', 'k', ' ', (byte) 0xC3});
    Result r = run("count", "--default-model", "google/gemini-2.0-flash-001", "--tokenizer", "cl100k_base", bad.toString(), good.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err.strip()).isEqualTo("kopeck count: " + bad + ": byte 3: not valid UTF-8 (1 bad byte starting 0xC3)");
    assertThat(r.out).contains("3  " + good);
  }

  @Test
  void modelAndTokenizerExcludeEachOther() throws Exception {
    Path a = file("a.txt", "x");
    Result r = run("count", "--default-model", "google/gemini-2.0-flash-001", "--model", "gpt-4o", "--tokenizer", "gemma", a.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("mutually exclusive");
    Result u = run("count", "--default-model", "google/gemini-2.0-flash-001", "--tokenizer", "gemma7", a.toString());
    assertThat(u.code).isEqualTo(2);
    assertThat(u.err.strip()).isEqualTo("kopeck count: unknown tokenizer \"gemma7\"; known: gemma3, gemma, o200k_base, cl100k_base, p50k_base, r50k_base, o200k_harmony, llama3, qwen3, deepseek_v3");
  }

  /** Issue 32: "1 pages" was printed; one page is "1 page", three are "3 pages". */
  @Test
  void onePageIsSingular() throws Exception {
    Path one = file("one.pdf", "%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Kids"
        + "[3 0 R]/Count 1>> endobj\n3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>> endobj\ntrailer"
        + " <</Root 1 0 R>>\n%%EOF\n");
    Result r = run("count", "--model", "google/gemini-2.0-flash-001", one.toString(),
        "../tokens/src/test/resources/media/pdf-3pages.pdf");
    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out).contains("(document, pdf, 1 page)").contains("(document, pdf, 3 pages)");
  }

  @Test
  void countsMediaByMagicBytesWithTheirFacts() throws Exception {
    Path media = Path.of("../tokens/src/test/resources/media");
    Path renamed = dir.resolve("looks-like-text.txt");
    Files.copy(media.resolve("png-1000x500.png"), renamed);
    Result r = run("count", "--default-model", "google/gemini-2.0-flash-001", "--json", renamed.toString(), media.resolve("wav-2.5s.wav").toString(),
        media.resolve("pdf-3pages.pdf").toString());
    assertThat(r.err).isEmpty();
    List<JsonNode> lines = new java.util.ArrayList<>();
    for (String l : r.out.strip().split("\n")) {
      lines.add(new ObjectMapper().readTree(l));
    }
    // gemini-2.0: ceil(1000/768) * ceil(500/768) = 2 tiles of 258; ceil(32 * 2.5) = 80; 3 pages of 258
    assertThat(lines.get(0).get("modality").asText()).isEqualTo("image");
    assertThat(lines.get(0).get("tokens").asLong()).isEqualTo(516);
    assertThat(lines.get(0).get("width").asLong()).isEqualTo(1000);
    assertThat(lines.get(0).get("height").asLong()).isEqualTo(500);
    assertThat(lines.get(1).get("modality").asText()).isEqualTo("audio");
    assertThat(lines.get(1).get("seconds").asText()).isEqualTo("2.5");
    assertThat(lines.get(1).get("tokens").asLong()).isEqualTo(80);
    assertThat(lines.get(2).get("modality").asText()).isEqualTo("document");
    assertThat(lines.get(2).get("pages").asLong()).isEqualTo(3);
    assertThat(lines.get(2).get("tokens").asLong()).isEqualTo(774);
  }

  @Test
  void aBrokenMediumNamesFormatAndOffset() throws Exception {
    Path bad = dir.resolve("bad.png");
    Files.write(bad, java.util.HexFormat.of().parseHex("89504e470d0a1a0a0000000d4948445200000000"));
    Result r = run("count", "--default-model", "google/gemini-2.0-flash-001", bad.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err.strip()).isEqualTo("kopeck count: " + bad + ": byte 20: png: truncated: the data ends before byte 20");
  }

  @Test
  void cliEstimateJsonFields() throws Exception {
    Result r = run("estimate", "--default-model", "google/gemini-2.0-flash-001", "--json", "../docs/examples/multimodal-request.json");
    assertThat(r.err()).isEmpty();
    JsonNode j = new ObjectMapper().readTree(r.out());
    for (String f : new String[] {"input.text", "input.image", "input.audio", "input.video", "input.document",
        "input.total", "output.max", "output.expected", "cost.min", "cost.expected", "cost.max", "context.limit",
        "context.used", "context.remaining", "context.fits"}) {
      String[] p = f.split("\\.");
      assertThat(j.get(p[0]).has(p[1])).as(f).isTrue();
    }
    assertThat(j.get("currency").asText()).isEqualTo("RUB");
    assertThat(j.get("cost").get("max").isTextual()).isTrue();
    assertThat(j.get("warnings").isArray()).isTrue();
  }

  @Test
  void aModelOutsideTheTablesIsPricedWithTheCatalogInUsd() throws Exception {
    Path f = file("a.json", """
        {"type": "message", "model": "claude-sonnet-4-5-20250929", "usage": {"input_tokens": 100,
         "output_tokens": 20, "cache_creation_input_tokens": 2000, "cache_read_input_tokens": 500}}""");
    Result r = run("cost", "--default-model", "google/gemini-2.0-flash-001", "--json", "--at", "2026-01-01", f.toString());
    assertThat(r.err).isEmpty();
    JsonNode j = new ObjectMapper().readTree(r.out);
    assertThat(j.get("provider").asText()).isEqualTo("anthropic");
    assertThat(j.get("currency").asText()).isEqualTo("USD");
    assertThat(j.get("prices_from").asText()).isEqualTo("@pydantic/genai-prices@0.1.8");
    assertThat(j.get("priced_at").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(j.get("priced_at_from").asText()).isEqualTo("--at");
    // 100 x 3 + 2000 x 3.75 (cache writes) + 500 x 0.3 (cache reads) a million in, 20 x 15 out
    assertThat(j.get("total").asText()).isEqualTo("0.00825");
    Result aws = run("cost", "--default-model", "google/gemini-2.0-flash-001", "--json", "--provider", "aws", "--at", "2026-01-01", f.toString());
    assertThat(new ObjectMapper().readTree(aws.out).get("total").asText()).isEqualTo("0.009075");
  }

  @Test
  void severalFilesEachPricedABadOneReportedAndTheRestGoOn() throws Exception {
    Path good = file("g.json", "{\"prompt_tokens\": 1000, \"completion_tokens\": 500}");
    Path bad = file("b.json", "{\"prompt_tokens\": -1}");
    Result r = run("cost", "--default-model", "google/gemini-2.0-flash-001", "--json", "--at", "2025-03-01T00:00:00Z", good.toString(), bad.toString(), good.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.out.strip().split("\n")).hasSize(2).allSatisfy(l -> assertThat(l).contains("\"total\":\"0.045\"")
        .contains("\"file\":\"" + good + "\""));
    assertThat(r.err.strip()).isEqualTo("kopeck cost: " + bad + ": $.prompt_tokens: negative count -1");
  }

  @Test
  void atTakesADateOrAnInstantAndSaysWhatElse() throws Exception {
    Path f = file("u.json", "{\"prompt_tokens\": 1000, \"completion_tokens\": 500}");
    assertThat(run("cost", "--default-model", "google/gemini-2.0-flash-001", "--at", "2025-02-05", f.toString()).code).isZero();
    Result r = run("cost", "--default-model", "google/gemini-2.0-flash-001", "--at", "yesterday", f.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err.strip()).startsWith("kopeck cost: Invalid value for option '--at': expected a date (2025-02-05)"
        + " or an instant (2025-02-05T12:00:00Z), found \"yesterday\"");
  }

  @Test
  void aChargeInAnotherCurrencyIsComparedAtAGivenRateOnly() throws Exception {
    Path rates = file("rates.json", "{\"rates\": [{\"date\": \"2025-01-01\", \"from\": \"USD\", \"to\": \"RUB\","
        + " \"rate\": \"100\"}]}");
    Result none = run("cost", "--default-model", "google/gemini-2.0-flash-001", "--reported-currency", "USD", "../docs/examples/openai-response.json");
    assertThat(none.out).contains("reported by the provider: 0.020446 USD (the price is in RUB; give exchange rates"
        + " (--rates FILE) to compare)");
    Result r = run("cost", "--default-model", "google/gemini-2.0-flash-001", "--json", "--reported-currency", "USD", "--rates", rates.toString(),
        "../docs/examples/openai-response.json");
    JsonNode j = new ObjectMapper().readTree(r.out);
    assertThat(j.get("reported_currency").asText()).isEqualTo("USD");
    assertThat(j.get("exchange_rate").get("rate").asText()).isEqualTo("100");
    // 0.020446 USD x 100 = 2.0446 RUB against the tariff's 0.020446 RUB
    assertThat(j.get("reported_minus_price").asText()).isEqualTo("2.024154");
  }

  @Test
  void tablesFromTheEnvironmentLoadUnderTheFlags() throws Exception {
    Path t = file("acme.json", """
        {"kopeck_tariff_format": 1, "provider": "acme", "currency": "EUR", "models": [{"id": "acme-1",
         "input_token_limit": 1000, "tariffs": [{"effective_from": "2025-01-01", "rates": {
         "input": {"price": "1", "per": "1M", "unit": "token"}, "output": {"price": "2", "per": "1M", "unit": "token"}}}]}]}""");
    Options.Tariffs o = new Options.Tariffs();
    o.env = java.util.Map.of("KOPECK_TARIFFS", t.toString());
    assertThat(o.tables().require("acme-1").provider()).isEqualTo("acme");
    assertThat(o.tables().require("gemini-2.0-flash").provider()).isEqualTo("routerai");
  }

  @Test
  void tablesInTheConfigFolderLoadUnderTheEnvironment() throws Exception {
    Path folder = dir.resolve("config/kopeck/tariffs");
    Files.createDirectories(folder);
    String table = """
        {"kopeck_tariff_format": 1, "provider": "%s", "currency": "EUR", "models": [{"id": "acme-1",
         "input_token_limit": 1000, "tariffs": [{"effective_from": "2025-01-01", "rates": {
         "input": {"price": "1", "per": "1M", "unit": "token"}, "output": {"price": "2", "per": "1M", "unit": "token"}}}]}]}""";
    Files.writeString(folder.resolve("acme.json"), table.formatted("acme"));
    Options.Tariffs o = new Options.Tariffs();
    o.env = java.util.Map.of("XDG_CONFIG_HOME", dir.resolve("config").toString());
    assertThat(o.tables().require("acme-1").provider()).isEqualTo("acme");
    // the environment's tables come later, and win
    Path env = file("acme2.json", table.formatted("acme-eu"));
    Options.Tariffs both = new Options.Tariffs();
    both.env = java.util.Map.of("HOME", dir.resolve("nowhere").toString(), "XDG_CONFIG_HOME",
        dir.resolve("config").toString(), "KOPECK_TARIFFS", env.toString());
    assertThat(both.tables().require("acme-1").provider()).isEqualTo("acme-eu");
    // no folder: the bundled tables alone
    Options.Tariffs none = new Options.Tariffs();
    none.env = java.util.Map.of("HOME", dir.resolve("nowhere").toString());
    assertThat(none.tables().find("acme-1")).isEmpty();
  }

  @Test
  void modelsShowsTheModelANameMeansWithItsRuleAndPrices() {
    Result r = run("models", "claude-sonnet-4-5@20250929");
    assertThat(r.code).isZero();
    assertThat(r.out).contains("claude-sonnet-4-5@20250929 is priced as claude-sonnet-4-5 at anthropic")
        .contains("names: starts with \"claude-sonnet-4-5\"").contains("input_mtok               3, above 200000 input tokens 6");
    Result d = run("models", "--provider", "deepseek", "deepseek-reasoner");
    assertThat(d.out).contains("prices 00:30 to 16:30 UTC");
  }

  @Test
  void costChecksTheApiItIsTold() throws Exception {
    Path f = file("chat.json", "{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2}}");
    assertThat(run("cost", "--default-model", "google/gemini-2.0-flash-001", "--format", "openai", "--at", "2026-08-21", f.toString()).code()).isZero();
    Result r = run("cost", "--default-model", "google/gemini-2.0-flash-001", "--format", "anthropic", f.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("kopeck cost: " + f + ": expected a usage of Anthropic's Messages shape"
        + " (input_tokens, cache_creation_input_tokens, cache_read_input_tokens), found one of OpenAI's chat"
        + " completions shape (prompt_tokens, completion_tokens)" + System.lineSeparator());
  }

  @Test
  void unixTimesInMillisecondsAreReadAsSuch() throws Exception {
    // issue 19 #1: 1740830400000 was read as seconds, the year 57134
    Path f = file("ms.json", "{\"model\":\"gemini-2.0-flash\",\"created\":1740830400000,"
        + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}");
    JsonNode j = new ObjectMapper().readTree(run("cost", "--default-model", "google/gemini-2.0-flash-001", "--json", f.toString()).out);
    assertThat(j.get("priced_at").asText()).isEqualTo("2025-03-01T12:00:00Z");
    assertThat(run("cost", "--default-model", "google/gemini-2.0-flash-001", f.toString()).out).contains("priced at 2025-03-01T12:00:00Z (from the response)");
    Path neg = file("neg.json", "{\"created\":-5,\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}");
    Result r = run("cost", "--default-model", "google/gemini-2.0-flash-001", neg.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("$.created: expected a Unix time (seconds, or milliseconds, microseconds,"
        + " nanoseconds) not before 1970, found -5");
  }

  @Test
  void countsBeyondAnyCallAreRefusedAndOverTheWindowWarned() throws Exception {
    // issue 19 #2: 2^63-1 twice printed total tokens -2 with exit 0
    Path ov = file("ov.json", "{\"usage\":{\"prompt_tokens\":9223372036854775807,"
        + "\"completion_tokens\":9223372036854775807}}");
    Result r = run("cost", "--default-model", "google/gemini-2.0-flash-001", ov.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).isEqualTo("kopeck cost: " + ov + ": $.usage.prompt_tokens: 9,223,372,036,854,775,807 is more"
        + " than any call's count (at most 1,000,000,000,000,000)" + System.lineSeparator());
    Path big = file("big.json", "{\"usage\":{\"prompt_tokens\":1000000000000000,\"completion_tokens\":5}}");
    JsonNode j = new ObjectMapper().readTree(run("cost", "--default-model", "google/gemini-2.0-flash-001", "--json", big.toString()).out);
    assertThat(j.get("warning").asText()).isEqualTo("1,000,000,000,000,000 input tokens is more than"
        + " google/gemini-2.0-flash-001's context window (1,048,576 tokens): check the count and the model");
  }

  @Test
  void messagesSayTheUsersMistakeNotTheLibrarys() throws Exception {
    // issue 19 #15: NumberFormatException and Jackson's feature names showed through
    Result tol = run("reconcile", "--default-model", "google/gemini-2.0-flash-001", "--tolerance", "abc", "x.jsonl");
    assertThat(tol.err).isEqualTo("kopeck reconcile: Invalid value for option '--tolerance': 'abc' is not a decimal"
        + " number (like 0.1 or 25) (see kopeck reconcile --help)" + System.lineSeparator());
    assertThat(run("cost", "--default-model", "google/gemini-2.0-flash-001", "--images", "x", "r.json").err).contains("'x' is not a whole number (see");
    Path nan = file("nan.json", "{\"usage\":{\"prompt_tokens\":NaN,\"completion_tokens\":1}}");
    assertThat(run("cost", "--default-model", "google/gemini-2.0-flash-001", nan.toString()).err).isEqualTo("kopeck cost: " + nan + ": line 1, column 30: malformed JSON:"
        + " 'NaN' is not a JSON number" + System.lineSeparator());
    Path two = file("two.json", "{\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}} {}");
    assertThat(run("cost", "--default-model", "google/gemini-2.0-flash-001", two.toString()).err).isEqualTo("kopeck cost: " + two + ": line 1, column 53: malformed"
        + " JSON: more JSON after the value ended: one value was expected" + System.lineSeparator());
    // issue 19 #17: a JSON string was taken for a broken event stream
    Path hello = file("hello.json", "\"hello\"");
    assertThat(run("cost", "--default-model", "google/gemini-2.0-flash-001", hello.toString()).err).isEqualTo("kopeck cost: " + hello + ": $: expected a response or"
        + " usage object, found the string \"hello\"" + System.lineSeparator());
    // issue 19 #14: enum options in any case, as the help writes them
    assertThat(run("count", "--default-model", "google/gemini-2.0-flash-001", "--detail", "high", "../tokens/src/test/resources/media/png-1000x500.png").code).isZero();
  }

  @Test
  void noCommandListsTheCommandsAndTheVersionNamesTheCommit() {
    // issue 19 #21
    Result none = run();
    assertThat(none.code).isEqualTo(2);
    // bad usage is one line, as everywhere: the commands listed in it, the whole usage behind --help
    assertThat(none.err.strip().lines()).singleElement().asString().startsWith("kopeck: no command given: one of count,")
        .contains(" cost,").contains(" reconcile,").contains("kopeck --help");
    assertThat(run("--help").out).contains("Commands:").contains("  cost ");
    assertThat(run("-V").out.strip()).matches("kopeck \\S+ \\(commit (unknown|[0-9a-f]{12}(, with uncommitted changes)?)\\)");
  }

  @Test
  void estimateSaysByItsExitStatusThatARequestDoesNotFit() throws Exception {
    // issue 19 #8: "DOES NOT FIT" exited 0
    Path big = file("big.json", "{\"model\":\"gemini-2.0-flash\",\"max_tokens\":100000,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    Result r = run("estimate", "--default-model", "google/gemini-2.0-flash-001", big.toString());
    assertThat(r.out).contains("DOES NOT FIT");
    assertThat(r.code).isEqualTo(3);
    assertThat(run("estimate", "--default-model", "google/gemini-2.0-flash-001", "--json", big.toString()).code).isEqualTo(3);
    Path small = file("small.json", "{\"model\":\"gemini-2.0-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(run("estimate", "--default-model", "google/gemini-2.0-flash-001", small.toString()).code).isZero();
  }

  @Test
  void noImagesAgainstImageTokensIsAContradiction() {
    // issue 19 #6: --images 0 billed the 258 image tokens as nothing, without a word
    Result r = run("cost", "--default-model", "google/gemini-2.0-flash-001", "--images", "0", "../docs/examples/openai-response.json");
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).isEqualTo("kopeck cost: ../docs/examples/openai-response.json: --images: 0 images, but the usage"
        + " reports 258 image tokens: give the number of images they came from" + System.lineSeparator());
    assertThat(run("cost", "--default-model", "google/gemini-2.0-flash-001", "--images", "2", "../docs/examples/openai-response.json").out).contains("2 images");
  }

  @Test
  void numbersAreWrittenOneWayWhateverTheLocale() {
    // issue 19 #23: some output used the default locale, some Locale.ROOT
    java.util.Locale before = java.util.Locale.getDefault();
    try {
      java.util.Locale.setDefault(java.util.Locale.forLanguageTag("ru-RU"));
      assertThat(run("cost", "--default-model", "google/gemini-2.0-flash-001", "../docs/examples/openai-response.json").out).containsPattern("total +1,410 ");
    } finally {
      java.util.Locale.setDefault(before);
    }
  }

  @Test
  void anErrorThatDidNotKnowWhereItWasNamesTheFileAndTheField() throws Exception {
    // issue 19 #16
    Path um = file("um.json", "{\"model\":\"nope-1\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}");
    assertThat(run("cost", "--default-model", "google/gemini-2.0-flash-001", um.toString()).err).startsWith("kopeck cost: " + um + ": $.model: unknown model \"nope-1\"");
    assertThat(run("cost", "--default-model", "google/gemini-2.0-flash-001", "--model", "nope-2", um.toString()).err)
        .startsWith("kopeck cost: " + um + ": --model: unknown model \"nope-2\"");
    Path old = file("old.json", "{\"model\":\"gemini-2.0-flash\",\"created\":1,"
        + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}");
    assertThat(run("cost", "--default-model", "google/gemini-2.0-flash-001", old.toString()).err).startsWith("kopeck cost: " + old + ": $.created: no tariff of"
        + " google/gemini-2.0-flash-001 at routerai is in force at 1970-01-01T00:00:01Z");
    Path req = file("req.json", "{\"model\":\"nope-1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(run("estimate", "--default-model", "google/gemini-2.0-flash-001", req.toString()).err)
        .startsWith("kopeck estimate: " + req + ": $.model: unknown model \"nope-1\"");
  }

  @Test
  void aPartThatCannotBeMeasuredLeavesNoFalseUpperBound() throws Exception {
    // issue 19 #5: a file_id-only request showed 0 input tokens, "fits", at most 0.49 RUB
    Path f = file("fileid.json", "{\"model\":\"gemini-2.0-flash\",\"max_tokens\":100,\"messages\":[{\"role\":"
        + "\"user\",\"content\":[{\"type\":\"file\",\"file\":{\"file_id\":\"file-abc\"}}]}]}");
    Result r = run("estimate", "--default-model", "google/gemini-2.0-flash-001", f.toString());
    assertThat(r.code).isEqualTo(3);
    assertThat(r.out).contains("CANNOT TELL: 1 part not measured");
    JsonNode j = new ObjectMapper().readTree(run("estimate", "--default-model", "google/gemini-2.0-flash-001", "--json", f.toString()).out);
    // the rest of the 1,048,576-token window at the dearest input rate (audio, 70 a million) + 100 output at 60
    assertThat(j.get("cost").get("max").asText()).isEqualTo("73.40632"); // 1,048,576 x 70/1M + 100 x 60/1M
  }

  @Test
  void fitKeepsTheSystemPromptAndRefusesWhatCannotFit() throws Exception {
    // issue 19 #7
    String png = java.util.Base64.getEncoder().encodeToString(
        Files.readAllBytes(Path.of("../tokens/src/test/resources/media/png-1000x500.png")));
    Path f = file("img.json", "{\"model\":\"gemini-2.0-flash\",\"messages\":[{\"role\":\"system\",\"content\":"
        + "\"You answer in one word.\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is"
        + " it?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64," + png + "\"}}]}]}");
    // the image alone is over the budget: nothing is cut, nothing is printed as if it could be sent
    Result r = run("fit", "--default-model", "google/gemini-2.0-flash-001", "--limit", "300", "--max-output", "10", f.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.out).isEmpty();
    assertThat(r.err).doesNotContain("cut $.messages[0]").contains("cannot fit");
    Result big = run("fit", "--default-model", "google/gemini-2.0-flash-001", "--max-output", "2000000", f.toString());
    assertThat(big.code).isEqualTo(2);
    assertThat(big.err).isEqualTo("kopeck fit: --max-output: 2,000,000 is more than google/gemini-2.0-flash-001's output"
        + " limit (8,192 tokens)" + System.lineSeparator());
  }

  @Test
  void theReadmesTourIsWhatTheCommandPrints() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    String block = readme.substring(readme.indexOf("$ java -jar cli/target/kopeck.jar cost docs/examples/openai-response.json"));
    block = block.substring(block.indexOf('\n') + 1, block.indexOf("```"));
    String out = run("cost", "--default-model", "google/gemini-2.0-flash-001", "../docs/examples/openai-response.json").out;
    for (String line : block.split("\n")) {
      // the README shortens the long note with "..."
      String shown = line.endsWith("...") ? line.substring(0, line.length() - 3) : line;
      assertThat(out).as("README line: " + line).contains(shown);
    }
  }

  @Test
  void theReadmesCatalogModelEstimateIsWhatTheCommandPrints() throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    String block = readme.substring(readme.indexOf("$ java -jar cli/target/kopeck.jar estimate docs/examples/gpt-4o-request.json"));
    block = block.substring(block.indexOf('\n') + 1, block.indexOf("```"));
    Result r = run("estimate", "../docs/examples/gpt-4o-request.json");
    assertThat(r.code).isZero();
    assertThat(r.out).isEqualTo(block);
  }

  @Test
  void aScopeWithoutALimitShowsNoRemainder() {
    // issue 19 #23: "team:ux (none all): limit none, ... remaining 9223372036.854775807 RUB"
    String port = System.getenv().getOrDefault("KOPECK_REDIS_PORT", "6379");
    String prefix = "kopeck-clitest-" + java.util.UUID.randomUUID();
    String redis = "redis://127.0.0.1:" + port;
    Result none = run("budget", "status", "--redis", redis, "--prefix", prefix, "team:ux");
    org.junit.jupiter.api.Assumptions.assumeFalse(none.err.contains("cannot be reached"), "no Redis at " + redis);
    // issue 20 #13: a prefix that holds no ledger (never set up, or wiped) is said, not shown as unlimited
    assertThat(none.code).isEqualTo(2);
    assertThat(none.err).contains("holds no ledger under the prefix \"" + prefix + "\"");
    assertThat(run("budget", "set-limit", "--redis", redis, "--prefix", prefix, "--limit", "none", "team:ux").code)
        .isZero();
    Result r = run("budget", "status", "--redis", redis, "--prefix", prefix, "team:ux");
    assertThat(r.out.strip()).isEqualTo("team:ux (no limit): spent 0, reserved 0 RUB");
    run("budget", "reset", "--redis", redis, "--prefix", prefix, "team:ux");
    try (dev.kopeck.budget.redis.RedisLedger l = dev.kopeck.budget.redis.RedisLedger.builder().url(redis).prefix(prefix)
        .build()) {
      l.deleteAll();
    }
  }

  @Test
  void budgetCommandsFollowTheZoneRecordedWithTheLimit() {
    // issue 20 #15: the CLI's UTC default would have re-recorded a Moscow scope in UTC
    String redis = "redis://127.0.0.1:" + System.getenv().getOrDefault("KOPECK_REDIS_PORT", "6379");
    String prefix = "kopeck-clitest-" + java.util.UUID.randomUUID();
    Result set = run("budget", "set-limit", "--redis", redis, "--prefix", prefix, "--zone", "Europe/Moscow",
        "--period", "day", "--limit", "10", "team:ux");
    org.junit.jupiter.api.Assumptions.assumeTrue(set.code == 0, "no Redis: " + set.err);
    assertThat(run("budget", "set-limit", "--redis", redis, "--prefix", prefix, "--period", "day", "--limit", "20",
        "team:ux").code).isZero();
    try (dev.kopeck.budget.redis.RedisLedger l = dev.kopeck.budget.redis.RedisLedger.builder().url(redis).prefix(prefix)
        .build()) {
      assertThat(l.recordedZone(dev.kopeck.budget.Scope.of("team:ux"))).contains(java.time.ZoneId.of("Europe/Moscow"));
      l.deleteAll();
    }
    Result bad = run("budget", "status", "--redis", redis, "--sentinel", "no-address", "team:ux");
    assertThat(bad.code).isEqualTo(2);
    assertThat(bad.err).contains("--sentinel takes MASTER=HOST:PORT");
  }

  @Test
  void aRedisUrlsPasswordIsNeverShown() {
    // issue 20 #16: malformed URLs echoed the password on stderr
    Result r = run("budget", "status", "--redis", "redis://ops:hunter2@:6379/x", "team:ux");
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).doesNotContain("hunter2").contains("***");
    Result db = run("budget", "status", "--redis", "redis://ops:hunter2@127.0.0.1:6379/zz", "team:ux");
    assertThat(db.err).doesNotContain("hunter2").contains("database number");
  }

  /** Issue 29: a password holding / ? # @, a password parameter, a jdbc: URL; --verbose's stack trace too. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "budget|status|--redis|redis://ops:hun/ter2@127.0.0.1:1/0|team:ux",
      "budget|status|--redis|redis://ops:hun?ter#2@127.0.0.1:1|team:ux",
      "budget|status|--redis|redis://ops:hun@ter2@:6379/x|team:ux",
      "spend|--from|postgresql://u:hun/ter2@127.0.0.1:1/db",
      "spend|--from|postgresql://u@127.0.0.1:1/db?password=hunter2",
      "spend|--from|postgresql://u:hun ter2@127.0.0.1:1/db",
      "report|--html|/dev/null|--from|postgresql://u:hun/ter2@127.0.0.1:1/db",
      "reconcile|--from|postgresql://u@127.0.0.1:1/db?password=hunter2"})
  void noPasswordIsShownWithOrWithoutVerbose(String line) {
    for (boolean verbose : new boolean[] {false, true}) {
      java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(line.split("\\|")));
      if (verbose) {
        args.add("--verbose");
      }
      Result r = run(args.toArray(String[]::new));
      assertThat(r.err + r.out).isNotEmpty().doesNotContain("hunter2").doesNotContain("hun/ter2").doesNotContain("ter2");
    }
  }

  @Test
  void oneTokenIsOneToken() throws Exception {
    // issue 19 #23: "1 input tokens"
    Path f = file("one.json", "{\"model\":\"gemini-2.0-flash\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}");
    assertThat(run("estimate", "--default-model", "google/gemini-2.0-flash-001", f.toString()).out).startsWith("google/gemini-2.0-flash-001 at routerai: 1 input token (text 1,");
  }

  @Test
  void aBrokenMediumInARequestNamesTheFileToo() throws Exception {
    // issue 19 #16: the JSON path but not the file
    String body = "{\"model\":\"gemini-2.0-flash\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
        + "\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA\"}}]}]}";
    Path f = file("badimg.json", body);
    assertThat(run("estimate", "--default-model", "google/gemini-2.0-flash-001", f.toString()).err).isEqualTo("kopeck estimate: " + f + ": $.messages[0].content[0]"
        + ".image_url.url, byte 18: png: truncated: the data ends before byte 18" + System.lineSeparator());
    Path log = file("badimg.jsonl", "{\"id\":\"a\",\"request\":" + body + ",\"usage\":{\"prompt_tokens\":1,"
        + "\"completion_tokens\":1}}\n");
    assertThat(run("reconcile", "--default-model", "google/gemini-2.0-flash-001", log.toString()).err).startsWith("kopeck reconcile: " + log + ", line 1: $.request");
  }

  @Test
  void aBudgetsCurrencyIsPartOfTheBudget() {
    // issue 19 #4: status --currency USD showed a rouble limit as "remaining 1500 USD"
    String redis = "redis://127.0.0.1:" + System.getenv().getOrDefault("KOPECK_REDIS_PORT", "6379");
    String prefix = "kopeck-clitest-" + java.util.UUID.randomUUID();
    Result set = run("budget", "set-limit", "--redis", redis, "--prefix", prefix, "--limit", "1500", "team:ux");
    org.junit.jupiter.api.Assumptions.assumeTrue(set.code == 0, "no Redis: " + set.err);
    assertThat(set.out).startsWith("team:ux: limit 1500 RUB per month");
    Result usd = run("budget", "status", "--redis", redis, "--prefix", prefix, "--currency", "USD", "team:ux");
    assertThat(usd.code).isEqualTo(2);
    assertThat(usd.err).isEqualTo("kopeck budget status: --currency: the budget is in RUB; its amounts are not"
        + " converted to USD (set the limit again with --currency to change it)" + System.lineSeparator());
    assertThat(run("budget", "status", "--redis", redis, "--prefix", prefix, "team:ux").out)
        .contains("remaining 1500 RUB");
    // set again in dollars: the budget is in dollars now, and a later set without --currency keeps them
    run("budget", "set-limit", "--redis", redis, "--prefix", prefix, "--currency", "USD", "--limit", "20", "team:ux");
    assertThat(run("budget", "set-limit", "--redis", redis, "--prefix", prefix, "--limit", "25", "team:ux").out)
        .startsWith("team:ux: limit 25 USD per month");
    assertThat(run("budget", "reset", "--redis", redis, "--prefix", prefix, "team:ux").code).isZero();
    try (dev.kopeck.budget.redis.RedisLedger l = dev.kopeck.budget.redis.RedisLedger.builder().url(redis).prefix(prefix)
        .build()) {
      l.deleteAll();
    }
  }

  @Test
  void aModelsSearchThatFindsNothingIsAnError() {
    Result r = run("models", "gpt-4q");
    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).startsWith("kopeck models: no model's id or name holds \"gpt-4q\"; did you mean gpt-4");
    assertThat(run("models", "gpt-4o").code).isZero();
  }
}
