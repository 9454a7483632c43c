package dev.kopeck.cli;

import dev.kopeck.base.InputException;
import dev.kopeck.spend.HtmlReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Writes the spend log as one self-contained HTML page: spend a day by model, spend by scope,"
        + " refusals and releases, overspend, and how much of its reserved worst case each call used (docs/spend-log.md).",
      "Reads JSONL spend logs (FILE..., - for standard input) or --from the log in PostgreSQL"
        + " (postgresql://USER@HOST:PORT/DB, jdbc:postgresql://…) or a JSONL file."})
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--html", paramLabel = "OUT", required = true, description = "The page to write.")
  Path out;

  @picocli.CommandLine.Mixin SpendSource source;

  @picocli.CommandLine.Mixin SpendWindow window;

  @Override
  public Integer call() throws IOException {
    HtmlReport report = new HtmlReport(window.zone(), window.since, window.until);
    try (Progress progress = Progress.of(spec.commandLine().getErr(), "kopeck report", "records", false)) {
      progress.counting(source.check().records(window.since, window.until)).forEach(report::add);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) { // the database's
      throw source.databaseError(e);
    }
    if (report.records() == 0) {
      throw new InputException(source.from != null ? SpendSource.redact(source.from) : String.join(", ", source.files),
          null, "no records " + window.describe() + ": no page written");
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
