package dev.kopeck.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.base.InputException;
import dev.kopeck.spend.SpendReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "spend", mixinStandardHelpOptions = true,
    description = {"Reports what was spent, by scope, model or provider, a day, a week or a month: the committed"
        + " costs of a spend log (docs/spend-log.md), exact, each currency apart.",
      "Reads JSONL logs (FILE..., - for standard input) or --from the log in PostgreSQL"
        + " (postgresql://USER@HOST:PORT/DB, jdbc:postgresql://…) or a JSONL file."})
final class SpendCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--by", paramLabel = "WHAT", description = "scope (default), model or provider.")
  SpendReport.By by = SpendReport.By.SCOPE;

  @Option(names = "--per", paramLabel = "PERIOD", description = "day (default), week or month.")
  SpendReport.Per per = SpendReport.Per.DAY;

  @Option(names = "--json", description = "One JSON object a row.")
  boolean json;

  @Option(names = "--csv", description = "CSV with a header line.")
  boolean csv;

  @picocli.CommandLine.Mixin SpendSource source;

  @picocli.CommandLine.Mixin SpendWindow window;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    SpendReport report = new SpendReport(by, per, window.zone(), window.since, window.until);
    List<SpendReport.Row> rows;
    source.check();
    try (Progress progress = Progress.of(spec.commandLine().getErr(), "kopeck spend", "records", json)) {
      if (source.database()) {
        String[] jdbc = source.jdbc();
        // read in slices of time when progress is drawn, so that it can say how many commits were read
        rows = progress.timing(() -> report.fromPostgres(jdbc[0], jdbc[1], jdbc[2], progress.counter()));
      } else {
        rows = report.from(progress.counting(source.records(window.since, window.until)));
      }
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) { // the database's
      throw source.databaseError(e);
    }
    String keyName = by.name().toLowerCase(java.util.Locale.ROOT);
    if (json) {
      for (SpendReport.Row r : rows) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("period", r.period().toString());
        o.put(keyName, r.key());
        o.put("currency", r.currency());
        o.put("cost", r.cost().toPlainString());
        o.put("calls", r.calls());
        o.put("input_tokens", r.inputTokens());
        o.put("output_tokens", r.outputTokens());
        out.println(Output.json(o));
      }
    } else if (csv) {
      out.println("period," + keyName + ",currency,cost,calls,input_tokens,output_tokens");
      for (SpendReport.Row r : rows) {
        out.println(r.period() + "," + CsvCell.text(r.key()) + "," + CsvCell.text(r.currency()) + ","
            + r.cost().toPlainString() + "," + r.calls() + "," + r.inputTokens() + "," + r.outputTokens());
      }
    } else if (rows.isEmpty()) {
      out.println("no commits in the log" + (window.since != null || window.until != null ? " in that time" : ""));
    } else {
      table(rows, report.totals(), per.name().toLowerCase(java.util.Locale.ROOT), keyName).print(out);
    }
    return Main.OK;
  }

  /**
   * The rows as a table, then the total row of each currency of {@code totals} (amounts in two
   * currencies are never added; a call charged to two scopes is in both scopes' rows, and once in the total).
   */
  static Table table(List<SpendReport.Row> rows, List<SpendReport.Total> totals, String period, String key) {
    Table t = table(rows, period, key, false);
    for (SpendReport.Total x : totals) {
      t.row("total", "", Table.count(x.calls()), Table.count(x.inputTokens()), Table.count(x.outputTokens()),
          x.cost().toPlainString(), x.currency());
    }
    return t;
  }

  /** The rows as a table, then a total row for each currency summed from the rows. */
  static Table table(List<SpendReport.Row> rows, String period, String key) {
    return table(rows, period, key, true);
  }

  private static Table table(List<SpendReport.Row> rows, String period, String key, boolean sumRows) {
    Table t = Table.of(period, Table.Align.LEFT, key, Table.Align.LEFT, "calls", Table.Align.RIGHT,
        "input tokens", Table.Align.RIGHT, "output tokens", Table.Align.RIGHT, "cost", Table.Align.DECIMAL,
        "currency", Table.Align.LEFT);
    java.util.Map<String, java.math.BigDecimal> cost = new java.util.TreeMap<>(); // by currency
    java.util.Map<String, long[]> counts = new java.util.TreeMap<>(); // by currency: calls, input, output
    for (SpendReport.Row r : rows) {
      t.row(r.period().toString(), r.key(), Table.count(r.calls()), Table.count(r.inputTokens()),
          Table.count(r.outputTokens()), r.cost().toPlainString(), r.currency());
      cost.merge(r.currency(), r.cost(), java.math.BigDecimal::add);
      long[] n = counts.computeIfAbsent(r.currency(), c -> new long[3]);
      n[0] = Math.addExact(n[0], r.calls());
      n[1] = Math.addExact(n[1], r.inputTokens());
      n[2] = Math.addExact(n[2], r.outputTokens());
    }
    if (sumRows) {
      counts.forEach((currency, n) -> t.row("total", "", Table.count(n[0]), Table.count(n[1]), Table.count(n[2]),
          cost.get(currency).stripTrailingZeros().toPlainString(), currency));
    }
    return t;
  }
}
