package dev.kopeck.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.base.InputException;
import dev.kopeck.spend.SpendReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "spend", mixinStandardHelpOptions = true,
    description = {"Reports what was spent, by scope, model or provider, a day, a week or a month: the committed"
        + " costs of a spend log (docs/spend-log.md), exact, each currency apart.",
      "Reads JSONL logs (FILE...) or the log in PostgreSQL (--from postgresql://USER@HOST:PORT/DB)."})
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
    if (source.check().database()) {
      String[] jdbc = source.jdbc();
      try {
        rows = report.fromPostgres(jdbc[0], jdbc[1], jdbc[2]);
      } catch (SQLException e) {
        throw new InputException(SpendSource.redact(source.from), null, "PostgreSQL: "
            + dev.kopeck.base.Urls.redactAll(e.getMessage()));
      }
    } else {
      rows = report.fromJsonl(source.files);
    }
    String keyName = by.name().toLowerCase(java.util.Locale.ROOT);
    if (csv) {
      out.println("period," + keyName + ",currency,cost,calls,input_tokens,output_tokens");
    }
    for (SpendReport.Row r : rows) {
      if (json) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("period", r.period().toString());
        o.put(keyName, r.key());
        o.put("currency", r.currency());
        o.put("cost", r.cost().toPlainString());
        o.put("calls", r.calls());
        o.put("input_tokens", r.inputTokens());
        o.put("output_tokens", r.outputTokens());
        out.println(Output.json(o));
      } else if (csv) {
        out.println(r.period() + "," + csvField(r.key()) + "," + r.currency() + "," + r.cost().toPlainString() + ","
            + r.calls() + "," + r.inputTokens() + "," + r.outputTokens());
      } else {
        out.printf("%s  %-40s %16s %s  %,d calls%n", r.period(), r.key(), r.cost().toPlainString(), r.currency(),
            r.calls());
      }
    }
    if (!json && !csv && rows.isEmpty()) {
      out.println("no commits in the log" + (window.since != null || window.until != null ? " in that time" : ""));
    }
    return Main.OK;
  }

  private static String csvField(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
