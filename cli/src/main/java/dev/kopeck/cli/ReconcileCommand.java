package dev.kopeck.cli;

import dev.kopeck.base.InputException;
import dev.kopeck.pricing.money.ExchangeRates;
import dev.kopeck.core.reconcile.LogReconciler;
import dev.kopeck.core.reconcile.Reconciler;
import dev.kopeck.core.reconcile.Reconciliation;
import dev.kopeck.core.reconcile.Summary;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The options and the run; what is printed is each format's writer's ({@link ReconcileWriter}). */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
    description = {"Reconciles a log of calls, one JSON object a line: {\"id\", \"request\", \"response\"} (or \"usage\";"
        + " \"timestamp\" optional). Prices each usage with the tariff, compares it with the request's estimate and the"
        + " provider's charge, and flags every gap.",
      "Streams, keeping 16 to 32 bytes a call id. A malformed line, or a call id an earlier line had, is reported on"
        + " stderr with its number, counted in errors and left out of the totals, and the"
        + " run goes on; the exit code is then 2."})
final class ReconcileCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Options.Tariffs tariffs;

  @Mixin Options.Calibrations calibration;

  static final class Format {
    @Option(names = "--json", description = "One summary object.")
    boolean json;

    @Option(names = "--csv", description = "One row per call.")
    boolean csv;
  }

  @ArgGroup(exclusive = true)
  Format format = new Format();

  @Option(names = "--tolerance", paramLabel = "FRACTION", defaultValue = "0.10",
      description = "Flag estimate_off beyond this relative error of the input estimate (default ${DEFAULT-VALUE}).")
  BigDecimal tolerance;

  @Option(names = "--tolerance-tokens", paramLabel = "N", defaultValue = "16",
      description = "...and beyond this many tokens, whatever the fraction (default ${DEFAULT-VALUE}): a short"
          + " request's few tokens of chat template are no estimate gone wrong.")
  long toleranceTokens;

  @Option(names = "--rates", paramLabel = "FILE",
      description = "Exchange rates (docs/money.md) to compare charges in another currency with the tariff's.")
  Path rates;

  @Option(names = "--calibrate", paramLabel = "OUT.json",
      description = "Learn a calibration from the log and write it (with the held-out check in the summary): each"
          + " model with enough calls whose calibration beats the defaults on the held-out calls; none, exit 2.")
  Path calibrateOut;

  @Option(names = "--min-calls", paramLabel = "N", defaultValue = "" + Summary.MIN_CALIBRATION_CALLS,
      description = "With --calibrate: the fewest calls with a request and a usage a model is calibrated from"
          + " (default ${DEFAULT-VALUE}).")
  long minCalls;

  @picocli.CommandLine.Parameters(paramLabel = "FILE|-", arity = "0..1",
      description = "The call log; - for standard input. Or --from.")
  String file;

  InputStream stdin = System.in;

  @Option(names = "--from", paramLabel = "URL|FILE",
      description = "Reconcile the commits of a spend log (docs/spend-log.md) instead, each commit's usage re-priced"
          + " with the tariff and its committed cost compared as the charge. " + SpendSource.FROM)
  String from;

  @Option(names = "--since", paramLabel = "WHEN", converter = Options.DateOrInstant.class,
      description = "With --from: commits from this date or instant.")
  java.time.Instant since;

  @Option(names = "--until", paramLabel = "WHEN", converter = Options.DateOrInstant.class,
      description = "With --from: commits up to (not including) this date or instant.")
  java.time.Instant until;

  @Option(names = "--scope", paramLabel = "SCOPE", description = "With --from: only the commits charged to this scope.")
  String scope;

  @Option(names = "--model", paramLabel = "MODEL", description = "With --from: only the commits of this model.")
  String model;

  private java.util.function.Predicate<dev.kopeck.spend.SpendRecord> filter() {
    return r -> (scope == null || r.scopes().contains(scope)) && (model == null || model.equals(r.model()));
  }

  private String name() {
    return from != null ? (SpendSource.isUrl(from) ? "spend log" : Inputs.name(from)) : Inputs.name(file);
  }

  @Override
  public Integer call() throws IOException {
    if (tolerance.signum() < 0) {
      throw new InputException(null, "--tolerance", "must not be negative: " + tolerance);
    }
    if (minCalls < 1) {
      throw new InputException(null, "--min-calls", "must be at least 1: " + minCalls);
    }
    if (toleranceTokens < 0) {
      throw new InputException(null, "--tolerance-tokens", "must not be negative: " + toleranceTokens);
    }
    Reconciler rec = Reconciler.builder().registry(tariffs.registry()).estimator(calibration.estimator(tariffs.registry()))
        .estimateTolerance(tolerance).estimateToleranceTokens(toleranceTokens).exchangeRates(rates == null ? ExchangeRates.none() : ExchangeRates.read(rates))
        .build();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Progress progress = Progress.of(err, "kopeck reconcile", "lines", format.json);
    Summary s;
    try (ReconcileWriter w = format.json ? new ReconcileWriter.Json(out) : format.csv ? new ReconcileWriter.Csv(out)
        : new ReconcileWriter.Text(out);
        InputStream in = open()) {
      s = new LogReconciler(rec).run(name(), in, new LogReconciler.Listener() {
        @Override
        public void call(Reconciliation r) {
          w.call(r);
        }

        @Override
        public void error(Summary.LineError e) {
          err.println("kopeck reconcile: " + e.message());
          w.error(e);
        }

        @Override
        public void progress(long lines) {
          progress.at(lines);
        }
      });
      progress.close();
      Summary.CalibrationOutcome learned = null;
      if (calibrateOut != null) {
        learned = s.calibrate(minCalls);
        if (!learned.calibration().models().isEmpty()) {
          Files.writeString(calibrateOut, learned.calibration().toJson(), StandardCharsets.UTF_8);
        }
      }
      w.summary(s, learned);
      if (learned != null && learned.calibration().models().isEmpty()) {
        out.flush();
        throw new InputException(calibrateOut.toString(), "--calibrate", "not written: no model calibrated"
            + (learned.refused().isEmpty() ? " (no call had a request and a usage)" : ": " + learned.refused()
            .entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(java.util.stream.Collectors
            .joining("; "))));
      }
    } catch (java.io.UncheckedIOException e) {
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        if (t instanceof InputException said) { // the spend log's database failed: its own one line
          throw said;
        }
      }
      // the file failed while being read (a truncated gzip stream, a disk error): said with where it stopped
      throw new InputException(name(), null, e.getMessage() + ": " + e.getCause().getMessage(), e);
    }
    out.flush();
    err.flush();
    return s.errors() == 0 ? Main.OK : Main.BAD_INPUT;
  }

  private InputStream open() throws IOException {
    if (from == null) {
      if (file == null) {
        throw new InputException(null, null, "give a call log (FILE or -) or --from");
      }
      if (since != null || until != null || scope != null || model != null) {
        throw new InputException(null, "--since", "--since, --until, --scope and --model go with --from");
      }
      return Inputs.stream(file, stdin);
    }
    if (file != null) {
      throw new InputException(null, "--from", "give a call log or --from, not both");
    }
    SpendSource src = new SpendSource();
    src.from = from;
    src.stdin = stdin;
    dev.kopeck.spend.SpendCalls.Source records = src.check().records(since, until);
    return dev.kopeck.spend.SpendCalls.stream(each -> {
      try {
        records.forEach(each);
      } catch (java.sql.SQLException e) {
        throw src.databaseError(e);
      }
    }, since, until, filter());
  }
}
