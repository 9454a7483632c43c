package dev.kopeck.cli;

import dev.kopeck.base.InputException;
import dev.kopeck.spend.HtmlReport;
import dev.kopeck.spend.SpendDb;
import dev.kopeck.spend.SpendFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Writes the spend log as one self-contained HTML page: spend a day by model, spend by scope,"
        + " refusals and releases, overspend, and how much of its reserved worst case each call used (docs/spend-log.md).",
      "Reads JSONL spend logs (FILE...) or the log in PostgreSQL (--from postgresql://USER@HOST:PORT/DB)."})
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--html", paramLabel = "OUT", required = true, description = "The page to write.")
  Path out;

  @Option(names = "--zone", paramLabel = "ZONE", description = "Where a day starts (Europe/Moscow); default UTC.")
  String zone = "UTC";

  @Option(names = "--since", paramLabel = "WHEN", converter = Options.DateOrInstant.class,
      description = "From this date or instant.")
  Instant since;

  @Option(names = "--until", paramLabel = "WHEN", converter = Options.DateOrInstant.class,
      description = "Up to (not including) this date or instant.")
  Instant until;

  @Option(names = "--from", paramLabel = "URL",
      description = "The spend log in PostgreSQL: postgresql://USER[:PASSWORD]@HOST[:PORT]/DB.")
  String from;

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "JSONL spend logs.")
  List<Path> files = new ArrayList<>();

  @Override
  public Integer call() throws IOException {
    ZoneId z;
    try {
      z = ZoneId.of(zone);
    } catch (java.time.DateTimeException e) {
      throw new InputException(null, "--zone", "unknown time zone \"" + zone + "\"");
    }
    if ((from == null) == files.isEmpty()) {
      throw new InputException(null, null, "give JSONL files or --from postgresql://…, one of the two");
    }
    HtmlReport report = new HtmlReport(z, since, until);
    if (from != null) {
      String[] jdbc = SpendCommand.jdbc(from);
      try {
        SpendDb.forEach(jdbc[0], jdbc[1], jdbc[2], since, until, report::add);
      } catch (SQLException e) {
        throw new InputException(null, "--from", "PostgreSQL: " + e.getMessage());
      }
    } else {
      for (Path f : files) {
        if (!Files.isRegularFile(f)) {
          throw new InputException(f.toString(), null, Files.isDirectory(f) ? "is a folder, not a file" : "no such file");
        }
      }
      SpendFiles.forEach(files, report::add);
    }
    try {
      Files.writeString(out, report.html(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputException(out.toString(), null, "cannot write: " + e.getMessage());
    }
    spec.commandLine().getOut().println("wrote " + out);
    return Main.OK;
  }
}
