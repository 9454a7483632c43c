package dev.kopeck.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.base.InputException;
import dev.kopeck.spend.SpendReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
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

  @Option(names = "--zone", paramLabel = "ZONE", description = "Where a day starts (Europe/Moscow); default UTC.")
  String zone = "UTC";

  @Option(names = "--since", paramLabel = "WHEN", converter = Options.DateOrInstant.class,
      description = "Count from this date or instant.")
  Instant since;

  @Option(names = "--until", paramLabel = "WHEN", converter = Options.DateOrInstant.class,
      description = "Count up to (not including) this date or instant.")
  Instant until;

  @Option(names = "--from", paramLabel = "URL",
      description = "The spend log in PostgreSQL: postgresql://USER[:PASSWORD]@HOST[:PORT]/DB.")
  String from;

  @Option(names = "--json", description = "One JSON object a row.")
  boolean json;

  @Option(names = "--csv", description = "CSV with a header line.")
  boolean csv;

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "JSONL spend logs.")
  List<Path> files = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    ZoneId z;
    try {
      z = ZoneId.of(zone);
    } catch (java.time.DateTimeException e) {
      throw new InputException(null, "--zone", "unknown time zone \"" + zone + "\"");
    }
    if ((from == null) == files.isEmpty()) {
      throw new InputException(null, null, "give JSONL files or --from postgresql://…, one of the two");
    }
    SpendReport report = new SpendReport(by, per, z, since, until);
    List<SpendReport.Row> rows;
    if (from != null) {
      String[] jdbc = jdbc(from);
      try {
        rows = report.fromPostgres(jdbc[0], jdbc[1], jdbc[2]);
      } catch (SQLException e) {
        throw new InputException(redact(from), null, "PostgreSQL: " + e.getMessage());
      }
    } else {
      for (Path f : files) {
        if (!Files.isRegularFile(f)) {
          throw new InputException(f.toString(), null, Files.isDirectory(f) ? "is a folder, not a file" : "no such file");
        }
      }
      rows = report.fromJsonl(files);
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
      out.println("no commits in the log" + (since != null || until != null ? " in that time" : ""));
    }
    return Main.OK;
  }

  private static String csvField(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /** postgresql://user:password@host:port/db as a JDBC URL, a user and a password. */
  static String[] jdbc(String url) {
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new InputException(redact(url), "--from", "not a URL: " + e.getMessage());
    }
    if (!"postgresql".equals(u.getScheme()) && !"postgres".equals(u.getScheme()) || u.getHost() == null
        || u.getPath() == null || u.getPath().length() < 2) {
      throw new InputException(redact(url), "--from", "expected postgresql://USER[:PASSWORD]@HOST[:PORT]/DB");
    }
    String user = null;
    String password = null;
    if (u.getRawUserInfo() != null) {
      String[] ui = u.getRawUserInfo().split(":", 2);
      user = java.net.URLDecoder.decode(ui[0], java.nio.charset.StandardCharsets.UTF_8);
      password = ui.length > 1 ? java.net.URLDecoder.decode(ui[1], java.nio.charset.StandardCharsets.UTF_8) : null;
    }
    return new String[] {"jdbc:postgresql://" + u.getHost() + ":" + (u.getPort() < 0 ? 5432 : u.getPort())
        + u.getPath(), user, password};
  }

  private static String redact(String url) {
    return url.replaceAll("(//[^:/@]+):[^@]*@", "$1:***@");
  }
}
