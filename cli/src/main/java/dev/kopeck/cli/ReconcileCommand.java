package dev.kopeck.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.base.InputException;
import dev.kopeck.estimate.Calibration;
import dev.kopeck.estimate.Estimator;
import dev.kopeck.reconcile.Flag;
import dev.kopeck.reconcile.LogReconciler;
import dev.kopeck.reconcile.Reconciler;
import dev.kopeck.reconcile.Reconciliation;
import dev.kopeck.reconcile.Summary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "reconcile", mixinStandardHelpOptions = true,
    description = {"Reconciles a log of calls, one JSON object a line: {\"id\", \"request\", \"response\"} (or \"usage\";"
        + " \"timestamp\" optional). Prices each usage with the tariff, compares it with the request's estimate and the"
        + " provider's charge, and flags every gap.",
      "Streams in constant memory. A malformed line is reported on stderr with its number, counted in errors, and the"
        + " run goes on; the exit code is then 2."})
final class ReconcileCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TariffOptions tariffOptions;

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

  @Option(names = "--calibration", paramLabel = "FILE", description = "Calibration for the estimates.")
  Path calibration;

  @Option(names = "--calibrate", paramLabel = "OUT.json",
      description = "Learn a calibration from the log and write it (with the held-out check in the summary).")
  Path calibrateOut;

  @Parameters(paramLabel = "LOG.jsonl|-")
  String file;

  InputStream stdin = System.in;

  @Override
  public Integer call() throws IOException {
    if (tolerance.signum() < 0) {
      throw new InputException(null, "--tolerance", "must not be negative: " + tolerance);
    }
    Estimator.Builder eb = Estimator.builder().catalog(tariffOptions.catalog());
    if (calibration != null) {
      eb.calibration(Calibration.read(calibration));
    }
    Reconciler rec = new Reconciler(tariffOptions.catalog(), eb.build(), tolerance);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean tty = System.console() != null;
    if (format.csv) {
      out.println("id,line,model,day,input_tokens,output_tokens,estimated_input,actual_cost,estimated_cost,"
          + "reported_cost,reported_minus_tariff,currency,flags");
    }
    Summary s;
    Path spill = Files.createTempFile("kopeck-flagged", ".jsonl");
    Path spillErrors = Files.createTempFile("kopeck-errors", ".jsonl");
    spill.toFile().deleteOnExit();
    spillErrors.toFile().deleteOnExit();
    try (InputStream in = input();
        JsonGenerator flaggedOut = JSON.createGenerator(Files.newBufferedWriter(spill));
        JsonGenerator errorsOut = JSON.createGenerator(Files.newBufferedWriter(spillErrors))) {
      flaggedOut.setRootValueSeparator(new SerializedString("\n"));
      errorsOut.setRootValueSeparator(new SerializedString("\n"));
      s = new LogReconciler(rec).run(Inputs.name(file), in, r -> {
            if (format.csv) {
              out.println(csv(r));
            }
            if (format.json && r.flagged()) {
              writeFlagged(flaggedOut, r);
            }
          },
          e -> {
            err.println("kopeck reconcile: " + e.message());
            if (format.json) {
              writeError(errorsOut, e);
            }
          },
          tty ? n -> {
            err.print("\rkopeck reconcile: " + String.format(Locale.ROOT, "%,d", n) + " lines");
            err.flush();
          } : null);
    }
    if (tty) {
      err.print("\r");
    }
    Calibration learned = null;
    if (calibrateOut != null) {
      learned = s.calibration(1);
      Files.writeString(calibrateOut, learned.toJson(), StandardCharsets.UTF_8);
    }
    if (format.json) {
      writeJson(out, s, learned, spill, spillErrors);
    } else if (!format.csv) {
      text(out, s, learned);
    }
    out.flush();
    err.flush();
    Files.deleteIfExists(spill);
    Files.deleteIfExists(spillErrors);
    return s.errors() == 0 ? Main.OK : Main.BAD_INPUT;
  }

  private static final JsonFactory JSON = new JsonFactory(new ObjectMapper());

  private static void writeFlagged(JsonGenerator g, Reconciliation r) {
    try {
      g.writeStartObject();
      g.writeStringField("id", r.id());
      g.writeNumberField("line", r.line());
      g.writeArrayFieldStart("reasons");
      for (Flag f : r.flags()) {
        g.writeStartObject();
        g.writeStringField("flag", f.code());
        g.writeStringField("reason", f.reason());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void writeError(JsonGenerator g, Summary.LineError e) {
    try {
      g.writeStartObject();
      g.writeNumberField("line", e.line());
      g.writeStringField("error", e.message());
      g.writeEndObject();
    } catch (IOException x) {
      throw new java.io.UncheckedIOException(x);
    }
  }

  /** The summary, streaming the flagged calls and error lines back from their spill files. */
  private static void writeJson(PrintWriter out, Summary s, Calibration learned, Path flagged, Path errors)
      throws IOException {
    ObjectNode head = json(s, learned);
    JsonGenerator g = JSON.createGenerator(out);
    g.writeStartObject();
    var fields = head.fields();
    while (fields.hasNext()) {
      var f = fields.next();
      if (f.getKey().equals("flagged") || f.getKey().equals("error_lines")) {
        g.writeArrayFieldStart(f.getKey());
        try (BufferedReader in = Files.newBufferedReader(f.getKey().equals("flagged") ? flagged : errors)) {
          for (String l = in.readLine(); l != null; l = in.readLine()) {
            if (!l.isBlank()) {
              g.writeRawValue(l);
            }
          }
        }
        g.writeEndArray();
      } else {
        g.writeFieldName(f.getKey());
        g.writeTree(f.getValue());
      }
    }
    g.writeEndObject();
    g.flush();
    out.println();
  }

  private InputStream input() throws IOException {
    if (file.equals("-")) {
      return stdin;
    }
    try {
      return Files.newInputStream(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new InputException(file, null, "no such file");
    }
  }

  private static String money(Map<Currency, BigDecimal> m) {
    if (m.isEmpty()) {
      return "0";
    }
    if (m.size() == 1) {
      return plain(m.values().iterator().next());
    }
    return m.entrySet().stream().map(e -> plain(e.getValue()) + " " + e.getKey().getCurrencyCode())
        .collect(Collectors.joining(" + "));
  }

  private static String plain(BigDecimal b) {
    return b.signum() == 0 ? "0" : b.stripTrailingZeros().toPlainString();
  }

  private static ObjectNode totals(Summary.Totals t) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("records", t.records());
    o.put("flagged", t.flagged());
    o.put("input_tokens", t.inputTokens());
    o.put("output_tokens", t.outputTokens());
    o.put("actual_total", money(t.actual()));
    o.put("estimated_total", money(t.estimated()));
    o.put("reported_total", money(t.reported()));
    return o;
  }

  private static ObjectNode json(Summary s, Calibration learned) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("records", s.records());
    o.put("errors", s.errors());
    o.put("lines", s.lines());
    var cur = s.total().actual().keySet();
    if (cur.size() == 1) {
      o.put("currency", cur.iterator().next().getCurrencyCode());
    }
    o.put("actual_total", money(s.total().actual()));
    o.put("estimated_total", money(s.total().estimated()));
    o.put("reported_total", money(s.total().reported()));
    o.putArray("flagged"); // streamed from the spill file by writeJson
    ObjectNode bm = o.putObject("by_model");
    s.byModel().forEach((k, v) -> bm.set(k, totals(v)));
    ObjectNode bd = o.putObject("by_day");
    s.byDay().forEach((k, v) -> bd.set(k, totals(v)));
    o.putArray("error_lines"); // streamed from the spill file by writeJson
    ArrayNode tf = o.putArray("tariff_check");
    s.tariffFindings().forEach(tf::add);
    if (learned != null) {
      ObjectNode cal = o.putObject("calibration");
      s.calibrationCheck(learned).forEach((model, v) -> cal.putObject(model).put("held_out_calls", (long) v[0])
          .put("input_error_before_pct", round(v[1])).put("input_error_after_pct", round(v[2])));
    }
    return o;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static String csv(Reconciliation r) {
    StringBuilder sb = new StringBuilder();
    sb.append(csvField(r.id())).append(',').append(r.line()).append(',').append(csvField(r.model())).append(',')
        .append(r.when().map(w -> w.atZone(java.time.ZoneOffset.UTC).toLocalDate().toString()).orElse("")).append(',')
        .append(r.usage().map(u -> String.valueOf(u.inputTokens())).orElse("")).append(',')
        .append(r.usage().map(u -> String.valueOf(u.outputTokens())).orElse("")).append(',')
        .append(r.estimate().map(e -> String.valueOf(e.inputTotal())).orElse("")).append(',')
        .append(r.cost().map(c -> c.total().toPlainString()).orElse("")).append(',')
        .append(r.estimate().map(e -> e.costExpected().toPlainString()).orElse("")).append(',')
        .append(r.reported().map(m -> m.toPlainString()).orElse("")).append(',')
        .append(r.reportedMinusTariff().map(m -> m.toPlainString()).orElse("")).append(',')
        .append(r.cost().map(c -> c.total().currency().getCurrencyCode()).orElse("")).append(',')
        .append(r.flags().stream().map(Flag::code).collect(Collectors.joining(";")));
    return sb.toString();
  }

  private static String csvField(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  private static void text(PrintWriter out, Summary s, Calibration learned) {
    out.printf("%,d calls reconciled, %,d lines with errors%n", s.records(), s.errors());
    out.printf("%-32s %8s %8s %14s %14s %14s%n", "", "calls", "flagged", "actual", "estimated", "reported");
    out.printf("%-32s %8d %8d %14s %14s %14s%n", "total", s.total().records(), s.total().flagged(),
        money(s.total().actual()), money(s.total().estimated()), money(s.total().reported()));
    s.byModel().forEach((k, v) -> out.printf("%-32s %8d %8d %14s %14s %14s%n", k, v.records(), v.flagged(),
        money(v.actual()), money(v.estimated()), money(v.reported())));
    s.byDay().forEach((k, v) -> out.printf("%-32s %8d %8d %14s %14s %14s%n", k, v.records(), v.flagged(),
        money(v.actual()), money(v.estimated()), money(v.reported())));
    int shown = 0;
    for (Summary.Flagged f : s.flagged()) {
      if (shown++ == 20) {
        out.printf("... and %,d more flagged calls (--json lists them all)%n", s.flagged().size() - 20 + s.flaggedNotListed());
        break;
      }
      out.printf("flagged %s (line %d): %s%n", f.id(), f.line(), f.flags().stream().map(g -> g.code() + ": " + g.reason())
          .collect(Collectors.joining("; ")));
    }
    s.tariffFindings().forEach(t -> out.println("tariff check: " + t));
    if (learned != null) {
      s.calibrationCheck(learned).forEach((m, v) -> out.printf(Locale.ROOT,
          "calibration %s: on %d held-out calls, input estimate error %.2f%% before, %.2f%% after%n", m, (long) v[0], v[1], v[2]));
    }
  }
}
