package dev.kopeck.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kopeck.core.reconcile.Summary;
import dev.kopeck.spend.SpendReport;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tables {@code spend}, {@code reconcile}, {@code cost} and {@code models} print, against golden
 * files in {@code src/test/resources/dev/kopeck/cli/tables/} (rewrite them with {@code
 * -Dkopeck.golden.write=true}, then read the diff): one currency, two currencies, long names, large
 * counts. {@code cost} and {@code models} price with the made-up catalog and table in {@code tables/in/},
 * so that a new catalog snapshot does not move them.
 */
class TableTest {
  private static final Path GOLDEN = Path.of("src/test/resources/dev/kopeck/cli/tables");

  static SpendReport.Row row(String day, String key, String currency, String cost, long calls, long in, long out) {
    return new SpendReport.Row(LocalDate.parse(day), key, currency, new BigDecimal(cost), calls, in, out);
  }

  static Stream<Arguments> spend() {
    return Stream.of(
        Arguments.of("spend-one-currency", List.of(
            row("2026-11-26", "team:ml", "RUB", "0.0375", 2, 2000, 400),
            row("2026-11-26", "org:x", "RUB", "0.0105", 1, 1000, 200),
            row("2026-11-27", "team:ml", "RUB", "12.5", 1, 1000, 200))),
        Arguments.of("spend-two-currencies", List.of(
            row("2026-11-26", "team:ml", "RUB", "0.0375", 2, 2000, 400),
            row("2026-11-27", "team:ml", "USD", "1.5", 1, 1000, 200),
            row("2026-11-27", "org:x", "USD", "0.000125", 1, 10, 2))),
        Arguments.of("spend-long-names", List.of(
            row("2026-11-26", "huggingface_fireworks-ai/accounts/fireworks/models/llama4-maverick-instruct-basic", "USD",
                "0.25", 1, 100, 20),
            row("2026-11-26", "a", "USD", "3", 1, 100, 20))),
        Arguments.of("spend-large-counts", List.of(
            row("2026-11-01", "team:ml", "RUB", "123456789.123456789", 9_876_543_210L, 1_234_567_890_123L,
                98_765_432_109L),
            row("2026-11-02", "team:ml", "RUB", "0.000000001", 1, 1, 1))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("spend")
  void spendTables(String name, List<SpendReport.Row> rows) throws IOException {
    golden(name, String.join("\n", SpendCommand.table(rows, "day", "scope").lines()) + "\n");
  }

  static Summary.Totals totals(long records, long flagged, Map<Currency, BigDecimal> actual,
      Map<Currency, BigDecimal> estimated, Map<Currency, BigDecimal> reported) {
    return new Summary.Totals(records, flagged, 0, 0, actual, estimated, reported);
  }

  static Map<Currency, BigDecimal> money(String... codeAmount) {
    Map<Currency, BigDecimal> m = new java.util.HashMap<>();
    for (int i = 0; i < codeAmount.length; i += 2) {
      m.put(Currency.getInstance(codeAmount[i]), new BigDecimal(codeAmount[i + 1]));
    }
    return m;
  }

  static Stream<Arguments> reconcile() {
    Map<String, Summary.Totals> two = new java.util.LinkedHashMap<>();
    two.put("google/gemini-2.0-flash-001", totals(5, 2, money("RUB", "0.044965"), money("RUB", "0.04"),
        money("RUB", "0.045")));
    two.put("openai/gpt-4o", totals(3, 1, money("USD", "0.0017"), money(), money("USD", "0.0017")));
    Map<String, Summary.Totals> one = new java.util.LinkedHashMap<>();
    one.put("google/gemini-2.0-flash-001", totals(1_234_567, 0, money("RUB", "98765.4321"),
        money("RUB", "98000"), money()));
    one.put("huggingface_fireworks-ai/accounts/fireworks/models/deepseek-r1", totals(1, 1, money("RUB", "0.5"),
        money("RUB", "0.45"), money("RUB", "0.5")));
    return Stream.of(
        Arguments.of("reconcile-two-currencies", two, totals(8, 3, money("RUB", "0.044965", "USD", "0.0017"),
            money("RUB", "0.04"), money("RUB", "0.045", "USD", "0.0017"))),
        Arguments.of("reconcile-one-currency-long-names-large-counts", one, totals(1_234_568, 1,
            money("RUB", "98765.9321"), money("RUB", "98000.45"), money("RUB", "0.5"))),
        Arguments.of("reconcile-nothing-priced", Map.of(), totals(1, 0, money(), money(), money())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reconcile")
  void reconcileTables(String name, Map<String, Summary.Totals> rows, Summary.Totals total) throws IOException {
    golden(name, String.join("\n", ReconcileWriter.Text.table("model", rows, total).lines()) + "\n");
  }

  private static final String IN = "src/test/resources/dev/kopeck/cli/tables/in/";
  private static final String CATALOG = IN + "catalog.json";
  private static final String EUR = IN + "eur-tariff.json";

  static Stream<Arguments> commands() {
    return Stream.of(
        Arguments.of("cost-one-currency", List.of("cost", "--catalog", CATALOG, "--at", "2026-06-01",
            IN + "acme-1.json")),
        Arguments.of("cost-two-currencies", List.of("cost", "--catalog", CATALOG, "--tariff", EUR, "--at",
            "2026-06-01", IN + "acme-1.json", IN + "acme-eu.json", IN + "acme-1.json")),
        Arguments.of("cost-long-names-large-counts", List.of("cost", "--catalog", CATALOG, "--at", "2026-06-01",
            IN + "large.json")),
        Arguments.of("models-one-currency", List.of("models", "--catalog", CATALOG, "--provider", "acme", "--at",
            "2026-06-01")),
        Arguments.of("models-two-currencies", List.of("models", "--catalog", CATALOG, "--tariff", EUR, "--provider",
            "acme", "--at", "2026-06-01")),
        Arguments.of("models-long-names-large-counts", List.of("models", "--catalog", CATALOG, "--provider",
            "huggingface_fireworks-ai", "--at", "2026-06-01")),
        // the JSON of the same: tiers and dated prices, of the tables and of the catalog
        Arguments.of("models-json", List.of("models", "--json", "--catalog", CATALOG, "--tariff", EUR, "--provider",
            "acme", "--at", "2026-06-01")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commands")
  void commandTables(String name, List<String> args) throws IOException {
    CliTest.Result r = CliTest.run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    golden(name, r.out());
  }

  /** spend --json and --csv: the same rows, under the same names, in the same order, whatever the grouping. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"scope", "model", "provider"})
  void jsonAndCsvKeepOneSchema(String by) throws IOException {
    String log = "../docs/examples/spend.jsonl";
    CliTest.Result json = CliTest.run("spend", "--by", by, "--json", log);
    CliTest.Result csv = CliTest.run("spend", "--by", by, "--csv", log);
    assertThat(json.code()).as(json.err()).isZero();
    assertThat(csv.code()).as(csv.err()).isZero();
    List<String> csvLines = csv.out().lines().toList();
    List<String> header = List.of(csvLines.get(0).split(","));
    assertThat(header).containsExactly("period", by, "currency", "cost", "calls", "input_tokens", "output_tokens");
    List<String> objects = json.out().lines().toList();
    assertThat(objects).isNotEmpty().hasSize(csvLines.size() - 1);
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    for (int i = 0; i < objects.size(); i++) {
      com.fasterxml.jackson.databind.JsonNode o = mapper.readTree(objects.get(i));
      List<String> names = new java.util.ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      assertThat(names).as("row " + i).isEqualTo(header);
      List<String> values = new java.util.ArrayList<>();
      o.elements().forEachRemaining(v -> values.add(v.asText()));
      assertThat(String.join(",", values)).as("row " + i).isEqualTo(csvLines.get(i + 1));
    }
  }

  @Test
  void aTotalRowPerCurrencyAddsItsColumn() {
    List<String> lines = SpendCommand.table(List.of(row("2026-11-26", "a", "RUB", "0.1", 1, 10, 1),
        row("2026-11-26", "b", "RUB", "0.25", 2, 20, 2), row("2026-11-26", "c", "USD", "7", 3, 30, 3)), "day", "scope")
        .lines();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(4)).matches("total +3 +30 +3 +0\\.35 +RUB");
    assertThat(lines.get(5)).matches("total +3 +30 +3 +7 +USD");
  }

  @Test
  void decimalPointsLineUp() {
    List<String> lines = Table.of("x", Table.Align.LEFT, "amount", Table.Align.DECIMAL, "c", Table.Align.LEFT)
        .row("a", "0.0375", "RUB").row("b", "1234.5", "RUB").row("c", "none", "").row("d", "7", "USD").lines();
    assertThat(lines).containsExactly(
        "x     amount  c",
        "a     0.0375  RUB",
        "b  1234.5     RUB",
        "c  none",
        "d     7       USD");
  }

  @Test
  void aNumberFollowedByWordsSitsOnItsPoint() {
    List<String> lines = Table.of("x", Table.Align.LEFT, "amount", Table.Align.DECIMAL)
        .row("a", "289589.963907942").row("b", "0.125").row("total", "10044200.6569311092 USD  (10044200.66 USD)")
        .lines();
    assertThat(lines).containsExactly(
        "x                   amount", // over the numbers, not the words after the last
        "a        289589.963907942",
        "b             0.125",
        "total  10044200.6569311092 USD  (10044200.66 USD)");
  }

  @Test
  void aRowOfTheWrongWidthIsMisuse() {
    assertThatThrownBy(() -> Table.of("a", Table.Align.LEFT).row("1", "2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 cells in a table of 1");
  }

  static void golden(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve(name + ".txt");
    if (Boolean.getBoolean("kopeck.golden.write")) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).as(file.toString()).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }
}
