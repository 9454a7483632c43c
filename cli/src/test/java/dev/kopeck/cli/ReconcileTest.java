package dev.kopeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kopeck reconcile over a log with every usage shape, broken lines, overcharges and missing usage. */
class ReconcileTest {
  @TempDir Path dir;

  /** "hello" then " hello" n-1 times: exactly n gemma3 tokens ("hello", "▁hello", ...). */
  static String hellos(int n) {
    return "hello" + " hello".repeat(n - 1);
  }

  Path log() throws Exception {
    String png = Base64.getEncoder().encodeToString(
        Files.readAllBytes(Path.of("../tokens/src/test/resources/media/png-1000x500.png")));
    List<String> lines = new ArrayList<>();
    // 1: OpenAI response, charged exactly the tariff: 1000 x 15/1M + 500 x 60/1M = 0.045
    lines.add("{\"id\":\"a\",\"response\":{\"model\":\"google/gemini-2.0-flash-001\",\"created\":1740000000,"
        + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":500,\"total_tokens\":1500,\"cost\":0.045}}}");
    // 2: Gemini response through the router (a native Gemini response is Google's unless the line says where):
    // (2000 + 10 tool use) x 15/1M + (100 + 50 thoughts) x 60/1M = 0.03015 + 0.009 = 0.03915
    lines.add("{\"id\":\"b\",\"provider\":\"routerai\",\"timestamp\":\"2025-03-01T10:00:00Z\",\"response\":{\"modelVersion\":\"gemini-2.0-flash-001\","
        + "\"usageMetadata\":{\"promptTokenCount\":2000,\"candidatesTokenCount\":100,\"thoughtsTokenCount\":50,"
        + "\"toolUsePromptTokenCount\":10,\"totalTokenCount\":2160}}}");
    // 3: a bare usage, overcharged: the tariff says 15, the provider 20
    lines.add("{\"id\":\"c\",\"timestamp\":1740787200,\"usage\":{\"prompt_tokens\":1000000,\"completion_tokens\":0,"
        + "\"cost\":\"20\"}}");
    // 4: broken JSON
    lines.add("{\"id\":\"d\",\"usage\":{\"prompt_tokens\":1,");
    // 5: a response without usage
    lines.add("{\"id\":\"e\",\"timestamp\":\"2025-03-01T11:00:00Z\",\"response\":{\"id\":\"gen-5\",\"choices\":[],\"usage\":null}}");
    // 6: totals that do not add up: 10 x 15/1M + 5 x 60/1M = 0.00045
    lines.add("{\"id\":\"f\",\"timestamp\":\"2025-03-02T00:00:00Z\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,"
        + "\"total_tokens\":999}}");
    // 7: an estimate 23% below the actual input: 130 x 15/1M + 20 x 60/1M = 0.00315; estimated 0.0015 + 0.0012 = 0.0027
    lines.add("{\"id\":\"g\",\"timestamp\":\"2025-03-02T00:00:00Z\",\"request\":{\"model\":\"google/gemini-2.0-flash-001\","
        + "\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"" + hellos(100) + "\"}]},"
        + "\"response\":{\"usage\":{\"prompt_tokens\":130,\"completion_tokens\":20}}}");
    // 8: not an object
    lines.add("[1,2,3]");
    // 9: an image the usage does not break out: 516 image tokens attributed from the estimate; the
    //    estimate (1 text + 516 image tokens) is 14% below the billed 600, so it is flagged too
    //    84 x 15/1M + 1 image x 3.91/1K + 10 x 60/1M = 0.00126 + 0.00391 + 0.0006 = 0.00577
    lines.add("{\"id\":\"i\",\"timestamp\":\"2025-03-02T00:00:00Z\",\"request\":{\"max_tokens\":10,\"messages\":[{\"role\":"
        + "\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hello\"},{\"type\":\"image_url\",\"image_url\":{\"url\":"
        + "\"data:image/png;base64," + png + "\"}}]}]},\"response\":{\"usage\":{\"prompt_tokens\":600,\"completion_tokens\":10}}}");
    // 10: a negative count
    lines.add("{\"id\":\"j\",\"usage\":{\"prompt_tokens\":-3,\"completion_tokens\":1}}");
    // 11: an unknown model
    lines.add("{\"id\":\"k\",\"response\":{\"model\":\"gpt-17\",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}}");
    lines.add("");
    Path p = dir.resolve("calls.jsonl");
    Files.write(p, lines);
    return p;
  }

  @Test
  void summaryAsJson() throws Exception {
    Path log = log();
    CliTest.Result r = CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", "--json", log.toString());
    assertThat(r.code()).isEqualTo(2); // some lines were bad
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("records").asLong()).isEqualTo(7);
    assertThat(j.get("errors").asLong()).isEqualTo(4);
    // totals are objects by currency: never one string over several currencies
    assertThat(j.get("actual_total").size()).isEqualTo(1);
    BigDecimal actual = new BigDecimal("0.045").add(new BigDecimal("0.03915")).add(new BigDecimal("15"))
        .add(new BigDecimal("0.00045")).add(new BigDecimal("0.00315")).add(new BigDecimal("0.00577"));
    assertThat(j.get("actual_total").get("RUB").asText()).isEqualTo(actual.stripTrailingZeros().toPlainString());
    assertThat(j.get("reported_total").get("RUB").asText()).isEqualTo("20.045");
    assertThat(new BigDecimal(j.get("estimated_total").get("RUB").asText())).isPositive();
    List<String> flagged = new ArrayList<>();
    j.get("flagged").forEach(f -> f.get("reasons").forEach(x -> flagged.add(f.get("id").asText() + ":"
        + f.get("line").asInt() + ":" + x.get("flag").asText())));
    assertThat(flagged).containsExactly("c:3:reported_cost_mismatch", "e:5:usage_missing", "f:6:usage_inconsistent",
        "g:7:estimate_off", "i:9:estimate_off");
    assertThat(j.get("flagged").get(0).get("reasons").get(0).get("reason").asText())
        .isEqualTo("reported 20, tariff 15 RUB (+33.3%)");
    List<Integer> errorLines = new ArrayList<>();
    j.get("error_lines").forEach(e -> errorLines.add(e.get("line").asInt()));
    assertThat(errorLines).containsExactly(4, 8, 10, 11);
    assertThat(j.get("error_lines").get(2).get("error").asText())
        .isEqualTo(log + ", line 10: $.usage.prompt_tokens: negative count -3");
    assertThat(j.get("by_model").get("google/gemini-2.0-flash-001").get("records").asLong()).isEqualTo(7);
    assertThat(j.get("by_day").get("2025-02-19").get("actual_total").get("RUB").asText()).isEqualTo("0.045");
    assertThat(j.get("by_day").get("2025-03-01").get("records").asLong()).isEqualTo(3);
    // every bad line is also reported on stderr, with its number
    assertThat(r.err().lines()).hasSize(4).allMatch(l -> l.startsWith("kopeck reconcile: " + log + ", line "));
  }

  @Test
  void csvHasARowPerCall() throws Exception {
    CliTest.Result r = CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", "--csv", log().toString());
    List<String> rows = r.out().lines().toList();
    assertThat(rows.get(0)).startsWith("id,line,model,day,input_tokens");
    assertThat(rows).hasSize(8);
    assertThat(rows.get(7)).startsWith("i,9,google/gemini-2.0-flash-001,2025-03-02,600,10,").contains(",0.00577,");
    assertThat(rows.get(4)).endsWith(",usage_missing");
  }

  @Test
  void textIsATable() throws Exception {
    CliTest.Result r = CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", log().toString());
    assertThat(r.out()).contains("7 calls reconciled, 4 lines with errors").contains("flagged c (line 3): reported_cost_mismatch");
  }

  @Test
  void learnsACalibrationAndChecksItOnHeldOutCalls() throws Exception {
    // 200 calls whose billed input is 1.1 x the counted text + 4 a message, and outputs 10..209
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 200; i++) {
      int n = 50 + (i * 37) % 400;
      long billed = Math.round(1.1 * n) + 4;
      lines.add("{\"id\":\"" + i + "\",\"timestamp\":\"2025-03-02T00:00:00Z\",\"request\":{\"max_tokens\":1000,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"" + hellos(n) + "\"}]},\"response\":{\"usage\":"
          + "{\"prompt_tokens\":" + billed + ",\"completion_tokens\":" + (9 + i) + "}}}");
    }
    Path log = dir.resolve("train.jsonl");
    Files.write(log, lines);
    Path cal = dir.resolve("cal.json");
    CliTest.Result r = CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", "--json", "--calibrate", cal.toString(), log.toString());
    assertThat(r.code()).isZero();
    JsonNode c = new ObjectMapper().readTree(Files.readString(cal)).get("models").get("google/gemini-2.0-flash-001");
    assertThat(new BigDecimal(c.get("text_ratio").asText()).doubleValue()).isBetween(1.09, 1.11);
    assertThat(new BigDecimal(c.get("message_overhead").asText()).doubleValue()).isBetween(3.5, 4.5);
    assertThat(c.get("output_p50").asInt()).isBetween(100, 120);
    // the largest error of the calibrated count on the held-out calls: rounding alone
    assertThat(new BigDecimal(c.get("text_bound").asText()).doubleValue()).isBetween(0.0, 0.02);
    JsonNode check = new ObjectMapper().readTree(r.out()).get("calibration").get("google/gemini-2.0-flash-001");
    assertThat(check.get("held_out_calls").asInt()).isEqualTo(40);
    assertThat(check.get("input_error_before_pct").asDouble()).isGreaterThan(10);
    assertThat(check.get("input_error_after_pct").asDouble()).isLessThan(1);
    // and the estimator uses it
    CliTest.Result e = CliTest.run("estimate", "--default-model", "google/gemini-2.0-flash-001", "--json", "--calibration", cal.toString(), "../docs/examples/multimodal-request.json");
    assertThat(new ObjectMapper().readTree(e.out()).get("output").get("expected").asInt()).isEqualTo(c.get("output_p50").asInt());
  }

  static List<String> calls(int count, java.util.function.IntUnaryOperator billed) {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      int n = 50 + (i * 37) % 400;
      lines.add("{\"id\":\"" + i + "\",\"timestamp\":\"2025-03-02T00:00:00Z\",\"request\":{\"max_tokens\":1000,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"" + hellos(n) + "\"}]},\"response\":{\"usage\":"
          + "{\"prompt_tokens\":" + billed.applyAsInt(n) + ",\"completion_tokens\":" + (9 + i) + "}}}");
    }
    return lines;
  }

  /** Issue 32: 3 calls, one an outlier, fitted "message_overhead: 358.06"; now refused, nothing written. */
  @Test
  void refusesToCalibrateFromThreeNoisyCalls() throws Exception {
    Path log = dir.resolve("noisy.jsonl");
    Files.write(log, calls(3, n -> n == 87 ? 450 : n + 3));
    Path cal = dir.resolve("cal.json");
    CliTest.Result r = CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", "--calibrate", cal.toString(), log.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip()).doesNotContain("\n").contains("--calibrate: not written: no model calibrated")
        .contains("google/gemini-2.0-flash-001: 3 calls with a request and a usage to fit; a calibration needs at"
            + " least 30");
    assertThat(r.out()).contains("calibration google/gemini-2.0-flash-001: not written, 3 calls");
    assertThat(cal).doesNotExist();
  }

  /** 300 clean calls: written, better on the held-out calls than the defaults, and estimate says "calibrated". */
  @Test
  void calibratesFrom300CleanCallsAndEstimateSaysSo() throws Exception {
    Path log = dir.resolve("clean.jsonl");
    Files.write(log, calls(300, n -> (int) Math.round(1.1 * n) + 4));
    Path cal = dir.resolve("cal.json");
    CliTest.Result r = CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", "--json", "--calibrate", cal.toString(), log.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode out = new ObjectMapper().readTree(r.out());
    assertThat(out.get("calibration_refused")).isEmpty();
    JsonNode check = out.get("calibration").get("google/gemini-2.0-flash-001");
    assertThat(check.get("held_out_calls").asInt()).isEqualTo(60);
    assertThat(check.get("input_error_after_pct").asDouble()).isLessThan(check.get("input_error_before_pct").asDouble());
    CliTest.Result e = CliTest.run("estimate", "--calibration", cal.toString(), "../docs/examples/multimodal-request.json");
    assertThat(e.out()).contains("text: calibrated (");
    CliTest.Result j = CliTest.run("estimate", "--json", "--calibration", cal.toString(),
        "../docs/examples/multimodal-request.json");
    assertThat(new ObjectMapper().readTree(j.out()).get("text_count").get("count").asText()).isEqualTo("calibrated");
    assertThat(CliTest.run("estimate", "--json", "../docs/examples/multimodal-request.json").out())
        .contains("\"count\":\"exact\"");
  }

  /** A calibration that does worse than the defaults on the held-out calls is not written. */
  @Test
  void refusesACalibrationWorseThanTheDefaults() throws Exception {
    // the counted text is what is billed, except on the held-out lines (every fifth): the fit learns nothing true
    List<String> lines = calls(100, n -> n + 3);
    for (int i = 4; i < lines.size(); i += 5) {
      lines.set(i, lines.get(i).replaceAll("\"prompt_tokens\":\\d+", "\"prompt_tokens\":1"));
    }
    List<String> skewed = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      skewed.add(i % 5 == 4 ? l : l.replaceAll("\"prompt_tokens\":(\\d+)", "\"prompt_tokens\":$1$1"));
    }
    Path log = dir.resolve("skewed.jsonl");
    Files.write(log, skewed);
    Path cal = dir.resolve("cal.json");
    CliTest.Result r = CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", "--calibrate", cal.toString(), log.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("worse than the defaults on 20 held-out calls");
    assertThat(cal).doesNotExist();
  }

  @Test
  void learnsTheRatioAndBoundOfAModelWithoutItsOwnTokenizer() throws Exception {
    // Claude's text is counted with o200k_base: here its billed input runs 1.25 x that count, and the
    // calibration learns the ratio and a narrow bound in place of the default ±35%
    String model = "anthropic/claude-3.5-sonnet";
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      int n = 50 + (i * 37) % 400;
      long billed = Math.round(1.25 * n) + 6;
      lines.add("{\"id\":\"" + i + "\",\"timestamp\":\"2025-03-02T00:00:00Z\",\"model\":\"" + model + "\","
          + "\"request\":{\"model\":\"" + model + "\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\","
          + "\"content\":\"" + hellos(n) + "\"}]},\"response\":{\"model\":\"" + model + "\",\"usage\":"
          + "{\"prompt_tokens\":" + billed + ",\"completion_tokens\":20}}}");
    }
    Path log = dir.resolve("claude.jsonl");
    Files.write(log, lines);
    Path cal = dir.resolve("claude-cal.json");
    CliTest.Result r = CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", "--json", "--calibrate", cal.toString(), log.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode c = new ObjectMapper().readTree(Files.readString(cal)).get("models").get(model);
    assertThat(new BigDecimal(c.get("text_ratio").asText()).doubleValue()).isBetween(1.24, 1.26);
    double bound = new BigDecimal(c.get("text_bound").asText()).doubleValue();
    assertThat(bound).isBetween(0.0, 0.02);
    Path req = dir.resolve("claude-request.json");
    Files.writeString(req, "{\"model\":\"" + model + "\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"" + hellos(200) + "\"}]}");
    JsonNode before = new ObjectMapper().readTree(CliTest.run("estimate", "--default-model", "google/gemini-2.0-flash-001", "--json", req.toString()).out()).get("text_count");
    assertThat(before.get("count").asText()).isEqualTo("estimate");
    assertThat(before.get("bound").asText()).isEqualTo("0.35");
    JsonNode after = new ObjectMapper().readTree(CliTest.run("estimate", "--default-model", "google/gemini-2.0-flash-001", "--json", "--calibration", cal.toString(),
        req.toString()).out()).get("text_count");
    assertThat(after.get("count").asText()).isEqualTo("calibrated"); // still bounded: the bound it learned
    assertThat(new BigDecimal(after.get("ratio").asText()).doubleValue()).isBetween(1.24, 1.26);
    assertThat(new BigDecimal(after.get("bound").asText()).doubleValue()).isEqualTo(bound);
    assertThat(after.get("max_extra_tokens").asLong()).isLessThan(before.get("max_extra_tokens").asLong());
  }

  @Test
  void theTariffCheckFindsTheImageUnit() throws Exception {
    // the router charged 3.91 per 1K images, not per 1K image tokens
    String png = Base64.getEncoder().encodeToString(
        Files.readAllBytes(Path.of("../tokens/src/test/resources/media/png-1000x500.png")));
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      // text 84 x 15/1M + 1 image x 3.91/1K + 10 x 60/1M = 0.00126 + 0.00391 + 0.0006
      lines.add("{\"id\":\"" + i + "\",\"timestamp\":\"2025-03-02T00:00:00Z\",\"request\":{\"max_tokens\":10,"
          + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":"
          + "\"data:image/png;base64," + png + "\"}}]}]},\"response\":{\"usage\":{\"prompt_tokens\":600,"
          + "\"completion_tokens\":10,\"cost\":0.00577}}}");
    }
    Path log = dir.resolve("img.jsonl");
    Files.write(log, lines);
    JsonNode j = new ObjectMapper().readTree(CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", "--json", log.toString()).out());
    List<String> findings = new ArrayList<>();
    j.get("tariff_check").forEach(t -> findings.add(t.asText()));
    // the bundled table bills the image line per 1K images: it explains every charge, the page's literal
    // reading (per 1K tokens) none
    assertThat(findings).anyMatch(f -> f.endsWith("the tariff explains 5 of 5 reported charges"));
    assertThat(findings).anyMatch(f -> f.endsWith("of 5 charges with images, billing the image line per 1000 tokens would explain 0"));
  }

  @Test
  void aLineThatIsNotUtf8IsReportedAndTheRunGoesOn() throws Exception {
    Path log = dir.resolve("bytes.jsonl");
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.writeBytes("{\"id\":\"a\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1}}\n".getBytes());
    b.writeBytes("{\"id\":\"b\",\"x\":\"".getBytes());
    b.write(0xFF);
    b.writeBytes("\"}\r\n{\"id\":\"c\",\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}".getBytes());
    Files.write(log, b.toByteArray());
    CliTest.Result r = CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", "--json", log.toString());
    assertThat(r.code()).isEqualTo(2);
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("records").asLong()).isEqualTo(2);
    assertThat(j.get("errors").asLong()).isEqualTo(1);
    assertThat(j.get("error_lines").get(0).get("error").asText())
        .isEqualTo(log + ", line 2: byte 15: not valid UTF-8 (1 bad byte starting 0xFF)");
  }

  @Test
  void aChargeInAnotherCurrencyIsComparedOnlyAtARateGiven() throws Exception {
    // OpenRouter-style: usage.cost is in USD credits; the router's tariff is in roubles
    Path log = dir.resolve("usd.jsonl");
    Files.writeString(log, "{\"id\":\"u\",\"timestamp\":\"2025-03-01T00:00:00Z\",\"currency\":\"USD\",\"response\":"
        + "{\"model\":\"google/gemini-2.0-flash-001\",\"usage\":{\"prompt_tokens\":100000,\"completion_tokens\":50000,"
        + "\"cost\":0.05}}}\n");
    JsonNode j = new ObjectMapper().readTree(CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", "--json", log.toString()).out());
    // 4.5 RUB by the tariff; 0.05 USD reported: kept apart, not compared, not flagged
    assertThat(j.get("actual_total").get("RUB").asText()).isEqualTo("4.5");
    assertThat(j.get("reported_total").get("USD").asText()).isEqualTo("0.05");
    assertThat(j.get("flagged")).isEmpty();
    Path rates = dir.resolve("rates.json");
    Files.writeString(rates, "{\"rates\": [{\"date\": \"2025-01-01\", \"from\": \"USD\", \"to\": \"RUB\", \"rate\": \"100\"}]}");
    JsonNode k = new ObjectMapper().readTree(CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", "--json", "--rates", rates.toString(),
        log.toString()).out());
    // 0.05 USD at 100 is 5 RUB: 11.1% over the tariff's 4.5
    assertThat(k.get("flagged").get(0).get("reasons").get(0).get("reason").asText())
        .isEqualTo("reported 5, tariff 4.5 RUB (+11.1%)");
  }

  @Test
  void aModelOutsideTheTablesIsReconciledWithTheCatalog() throws Exception {
    Path log = dir.resolve("anthropic.jsonl");
    Files.writeString(log, "{\"id\":\"a\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"response\":{\"type\":\"message\","
        + "\"model\":\"claude-sonnet-4-5-20250929\",\"usage\":{\"input_tokens\":100,\"output_tokens\":20,"
        + "\"cache_creation_input_tokens\":2000,\"cache_read_input_tokens\":500}}}\n"
        + "{\"id\":\"b\",\"provider\":\"aws\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"response\":{\"type\":\"message\","
        + "\"model\":\"claude-sonnet-4-5-20250929\",\"usage\":{\"input_tokens\":100,\"output_tokens\":20,"
        + "\"cache_creation_input_tokens\":2000,\"cache_read_input_tokens\":500}}}\n");
    CliTest.Result r = CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", "--json", log.toString());
    assertThat(r.err()).isEmpty();
    JsonNode j = new ObjectMapper().readTree(r.out());
    // 0.00825 USD at Anthropic's prices, 0.009075 at Bedrock's
    assertThat(j.get("actual_total").get("USD").asText()).isEqualTo("0.017325");
    assertThat(j.get("by_model").get("claude-sonnet-4-5").get("records").asLong()).isEqualTo(1);
  }

  @Test
  void webSearchesAndOneHourWritesInALogArePricedByTheCatalog() throws Exception {
    Path log = dir.resolve("search.jsonl");
    Files.writeString(log, "{\"id\":\"a\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"response\":{\"type\":\"message\","
        + "\"model\":\"claude-sonnet-4-5-20250929\",\"usage\":{\"input_tokens\":100,\"output_tokens\":10,"
        + "\"cache_creation_input_tokens\":3000,\"cache_read_input_tokens\":0,\"cache_creation\":"
        + "{\"ephemeral_5m_input_tokens\":1000,\"ephemeral_1h_input_tokens\":2000},"
        + "\"server_tool_use\":{\"web_search_requests\":2}}}}\n");
    CliTest.Result r = CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", "--json", log.toString());
    assertThat(r.err()).isEmpty();
    JsonNode j = new ObjectMapper().readTree(r.out());
    // 100 x 3/1M + 1,000 x 3.75/1M + 2,000 x 6/1M + 10 x 15/1M + 2 searches x 10/1K = 0.0162 + 0.02
    assertThat(j.get("actual_total").get("USD").asText()).isEqualTo("0.0362");
  }

  @Test
  void millisecondsAndOverTheWindowInALog() throws Exception {
    Path log = dir.resolve("ms.jsonl");
    Files.writeString(log, "{\"id\":\"a\",\"timestamp\":1740830400000,\"usage\":{\"prompt_tokens\":2000000,"
        + "\"completion_tokens\":5}}\n");
    JsonNode j = new ObjectMapper().readTree(CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", "--json", log.toString()).out());
    assertThat(j.get("by_day").has("2025-03-01")).isTrue();
    assertThat(j.get("flagged").get(0).get("reasons").get(0).get("flag").asText()).isEqualTo("usage_over_context");
  }

  @Test
  void aCallLoggedTwiceIsCountedOnce() throws Exception {
    // issue 19 #3: the same id on two lines was counted twice, with no word
    Path log = dir.resolve("dup.jsonl");
    String line = "{\"id\":\"a\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}\n";
    Files.writeString(log, line + "{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}\n" + line);
    CliTest.Result r = CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", "--json", log.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(log + ", line 3: $.id: call \"a\" was reconciled on an earlier line; this one is"
        + " left out of the totals");
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("records").asLong()).isEqualTo(2);
    assertThat(j.get("actual_total").get("RUB").asText()).isEqualTo("0.0009");
  }

  @Test
  void aFolderAGzipLogAndATruncatedOne() throws Exception {
    // issue 19 #12: a folder was "internal error: UncheckedIOException"
    CliTest.Result folder = CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", dir.toString());
    assertThat(folder.code()).isEqualTo(2);
    assertThat(folder.err()).isEqualTo("kopeck reconcile: " + dir + ": is a folder, not a file" + System.lineSeparator());
    // issue 19 #17: a rotated .gz log is read, not reported as one bad UTF-8 line after another
    String lines = "{\"id\":\"a\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}\n".repeat(1)
        + "{\"id\":\"b\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}\n";
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bytes)) {
      gz.write(lines.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    Path log = dir.resolve("calls.jsonl.gz");
    Files.write(log, bytes.toByteArray());
    CliTest.Result r = CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", "--json", log.toString());
    assertThat(r.err()).isEmpty();
    assertThat(new ObjectMapper().readTree(r.out()).get("records").asLong()).isEqualTo(2);
    Path cut = dir.resolve("cut.jsonl.gz");
    Files.write(cut, java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() - 12));
    CliTest.Result c = CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", cut.toString());
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err()).startsWith("kopeck reconcile: " + cut + ": reading " + cut + " after line ");
  }

  @Test
  void aShortRequestsFewTokensAreNoEstimateGoneWrong() throws Exception {
    // issue 19 #9: 15 estimated against 18 actual was flagged at the default 10%
    Path log = dir.resolve("short.jsonl");
    Files.writeString(log, "{\"id\":\"s\",\"timestamp\":\"2025-03-02T00:00:00Z\",\"request\":{\"model\":"
        + "\"google/gemini-2.0-flash-001\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\""
        + hellos(10) + "\"}]},\"response\":{\"usage\":{\"prompt_tokens\":13,\"completion_tokens\":20}}}\n");
    JsonNode quiet = new ObjectMapper().readTree(CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", "--json", log.toString()).out());
    assertThat(quiet.get("flagged")).isEmpty();
    JsonNode strict = new ObjectMapper().readTree(CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", "--json", "--tolerance-tokens", "0",
        log.toString()).out());
    assertThat(strict.get("flagged").get(0).get("reasons").get(0).get("flag").asText()).isEqualTo("estimate_off");
  }

  @Test
  void nothingReportedIsNoneNotZero() throws Exception {
    // issue 19 #23: the table showed 0 where no charge was reported or estimated
    Path log = dir.resolve("plain.jsonl");
    Files.writeString(log, "{\"id\":\"a\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}\n");
    String out = CliTest.run("reconcile", "--default-model", "google/gemini-2.0-flash-001", log.toString()).out();
    assertThat(out).containsPattern("total +1 +0 +0.00045 +none +none +RUB");
  }
}
