package dev.kopeck.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.core.reconcile.Flag;
import dev.kopeck.core.reconcile.Reconciliation;
import dev.kopeck.core.reconcile.Summary;
import dev.kopeck.core.reconcile.TariffFinding;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** What {@code kopeck reconcile} prints, one writer per format: each call as it comes, bad lines, the summary. */
abstract class ReconcileWriter implements AutoCloseable {
  final PrintWriter out;

  ReconcileWriter(PrintWriter out) {
    this.out = out;
  }

  /** Every call reconciled, in log order. */
  void call(Reconciliation r) {}

  /** Every line that could not be reconciled (already reported on stderr). */
  void error(Summary.LineError e) {}

  /** The end of the run; {@code learned} is the calibration with its guard's verdicts, or null when none was asked. */
  abstract void summary(Summary s, Summary.CalibrationOutcome learned) throws IOException;

  @Override
  public void close() throws IOException {}

  static String plain(BigDecimal b) {
    return b.signum() == 0 ? "0" : b.stripTrailingZeros().toPlainString();
  }

  /** A table of totals by model and day, the first flagged calls, the tariff check and the calibration check. */
  static final class Text extends ReconcileWriter {
    Text(PrintWriter out) {
      super(out);
    }

    @Override
    void summary(Summary s, Summary.CalibrationOutcome learned) {
      out.println(Output.count(s.records(), "call") + " reconciled, " + Output.count(s.errors(), "line")
          + " with errors");
      if (!s.byModel().isEmpty() || s.records() > 0) {
        table("model", s.byModel(), s.total()).print(out);
      }
      if (!s.byDay().isEmpty()) {
        table("day", s.byDay(), s.total()).print(out);
      }
      int shown = 0;
      for (Summary.Flagged f : s.flagged()) {
        if (shown++ == 20) {
          out.println("... and " + Output.count(s.flagged().size() - 20 + s.flaggedNotListed(), "more flagged call")
              + " (--json lists them all)");
          break;
        }
        out.printf("flagged %s (line %d): %s%n", f.id(), f.line(), f.flags().stream().map(g -> g.code() + ": " + g.reason())
            .collect(Collectors.joining("; ")));
      }
      s.tariffFindings().forEach(t -> out.println("tariff check: " + t.message()));
      if (learned != null) {
        learned.checks().forEach(c -> out.printf(Locale.ROOT,
            "calibration %s: on %d held-out calls, input estimate error %.2f%% before, %.2f%% after%n", c.model(),
            c.heldOutCalls(), c.errorBeforePercent(), c.errorAfterPercent()));
        learned.refused().forEach((model, why) -> out.println("calibration " + model + ": not written, " + why));
      }
    }

    /**
     * Rows by {@code what}, then the total: a row for each currency a name's amounts are in (its
     * counts on the first), never two currencies added; "none" where nothing was estimated or reported.
     */
    static Table table(String what, Map<String, Summary.Totals> rows, Summary.Totals total) {
      Table t = Table.of(what, Table.Align.LEFT, "calls", Table.Align.RIGHT, "flagged", Table.Align.RIGHT,
          "actual", Table.Align.DECIMAL, "estimated", Table.Align.DECIMAL, "reported", Table.Align.DECIMAL,
          "currency", Table.Align.LEFT);
      rows.forEach((name, totals) -> rows(t, name, totals));
      rows(t, "total", total);
      return t;
    }

    private static void rows(Table t, String name, Summary.Totals s) {
      java.util.Set<Currency> currencies = new java.util.TreeSet<>(java.util.Comparator.comparing(
          Currency::getCurrencyCode));
      currencies.addAll(s.actual().keySet());
      currencies.addAll(s.estimated().keySet());
      currencies.addAll(s.reported().keySet());
      if (currencies.isEmpty()) {
        t.row(name, Table.count(s.records()), Table.count(s.flagged()), "none", "none", "none", "");
        return;
      }
      boolean first = true;
      for (Currency c : currencies) {
        t.row(first ? name : "", first ? Table.count(s.records()) : "", first ? Table.count(s.flagged()) : "",
            amount(s.actual(), c), amount(s.estimated(), c), amount(s.reported(), c), c.getCurrencyCode());
        first = false;
      }
    }

    private static String amount(Map<Currency, BigDecimal> m, Currency c) {
      BigDecimal v = m.get(c);
      return v == null ? "none" : plain(v);
    }
  }

  /** A header, then one row per call as it is reconciled; no summary. */
  static final class Csv extends ReconcileWriter {
    Csv(PrintWriter out) {
      super(out);
      out.println("id,line,model,day,input_tokens,output_tokens,estimated_input,text_count,actual_cost,estimated_cost,"
          + "reported_cost,reported_minus_tariff,currency,flags");
    }

    @Override
    void call(Reconciliation r) {
      StringBuilder sb = new StringBuilder();
      sb.append(CsvCell.text(r.id())).append(',').append(r.line()).append(',').append(CsvCell.text(r.model())).append(',')
          .append(r.when() == null ? "" : r.when().atZone(java.time.ZoneOffset.UTC).toLocalDate().toString()).append(',')
          .append(r.usage() == null ? "" : String.valueOf(r.usage().inputTokens())).append(',')
          .append(r.usage() == null ? "" : String.valueOf(r.usage().outputTokens())).append(',')
          .append(r.estimate() == null ? "" : String.valueOf(r.estimate().input().total())).append(',')
          .append(r.estimate() == null ? "" : CsvCell.text(r.estimate().tokenizer().label())).append(',')
          .append(r.price() == null ? "" : r.price().toPlainString()).append(',')
          .append(r.estimate() == null ? "" : r.estimate().costExpected().toPlainString()).append(',')
          .append(r.reported() == null ? "" : r.reported().toPlainString()).append(',')
          .append(r.reportedMinusPrice() == null ? "" : r.reportedMinusPrice().toPlainString()).append(',')
          .append(r.price() == null ? "" : r.price().currency().getCurrencyCode()).append(',')
          .append(CsvCell.text(r.flags().stream().map(Flag::code).collect(Collectors.joining(";"))));
      out.println(sb);
    }

    @Override
    void summary(Summary s, Summary.CalibrationOutcome learned) {}

  }

  /**
   * One summary object. The flagged calls and the bad lines can be more than memory holds: they
   * are spilled to temporary files as they come and streamed back into the object at the end.
   */
  static final class Json extends ReconcileWriter {
    private static final JsonFactory JSON = new JsonFactory(new ObjectMapper());

    private final Path flagged;
    private final Path errors;
    private final JsonGenerator flaggedOut;
    private final JsonGenerator errorsOut;

    Json(PrintWriter out) throws IOException {
      super(out);
      flagged = Files.createTempFile("kopeck-flagged", ".jsonl");
      errors = Files.createTempFile("kopeck-errors", ".jsonl");
      flagged.toFile().deleteOnExit();
      errors.toFile().deleteOnExit();
      flaggedOut = JSON.createGenerator(Files.newBufferedWriter(flagged));
      errorsOut = JSON.createGenerator(Files.newBufferedWriter(errors));
      flaggedOut.setRootValueSeparator(new SerializedString("\n"));
      errorsOut.setRootValueSeparator(new SerializedString("\n"));
    }

    @Override
    void call(Reconciliation r) {
      if (!r.flagged()) {
        return;
      }
      try {
        JsonGenerator g = flaggedOut;
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
        throw new UncheckedIOException(e);
      }
    }

    @Override
    void error(Summary.LineError e) {
      try {
        errorsOut.writeStartObject();
        errorsOut.writeNumberField("line", e.line());
        errorsOut.writeStringField("error", e.message());
        errorsOut.writeEndObject();
      } catch (IOException x) {
        throw new UncheckedIOException(x);
      }
    }

    @Override
    void summary(Summary s, Summary.CalibrationOutcome learned) throws IOException {
      flaggedOut.flush();
      errorsOut.flush();
      ObjectNode head = head(s, learned);
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

    @Override
    public void close() throws IOException {
      flaggedOut.close();
      errorsOut.close();
      Files.deleteIfExists(flagged);
      Files.deleteIfExists(errors);
    }

    private static ObjectNode totals(Summary.Totals t) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("records", t.records());
      o.put("flagged", t.flagged());
      o.put("input_tokens", t.inputTokens());
      o.put("output_tokens", t.outputTokens());
      amounts(o, t);
      return o;
    }

    /** Each total as an object of exact decimal strings by currency code: never added across currencies. */
    private static void amounts(ObjectNode o, Summary.Totals t) {
      ObjectNode a = o.putObject("actual_total");
      t.actual().forEach((c, v) -> a.put(c.getCurrencyCode(), plain(v)));
      ObjectNode e = o.putObject("estimated_total");
      t.estimated().forEach((c, v) -> e.put(c.getCurrencyCode(), plain(v)));
      ObjectNode r = o.putObject("reported_total");
      t.reported().forEach((c, v) -> r.put(c.getCurrencyCode(), plain(v)));
    }

    /** Everything but the two long lists, which stand as empty arrays where they go. */
    private static ObjectNode head(Summary s, Summary.CalibrationOutcome learned) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("records", s.records());
      o.put("errors", s.errors());
      o.put("lines", s.lines());
      amounts(o, s.total());
      o.putArray("flagged");
      ObjectNode bm = o.putObject("by_model");
      s.byModel().forEach((k, v) -> bm.set(k, totals(v)));
      ObjectNode bd = o.putObject("by_day");
      s.byDay().forEach((k, v) -> bd.set(k, totals(v)));
      o.putArray("error_lines");
      ArrayNode tf = o.putArray("tariff_check");
      for (TariffFinding f : s.tariffFindings()) {
        tf.add(f.message());
      }
      if (learned != null) {
        ObjectNode cal = o.putObject("calibration");
        learned.checks().forEach(c -> cal.putObject(c.model()).put("held_out_calls", c.heldOutCalls())
            .put("input_error_before_pct", round(c.errorBeforePercent()))
            .put("input_error_after_pct", round(c.errorAfterPercent())));
        ObjectNode refused = o.putObject("calibration_refused");
        learned.refused().forEach(refused::put);
      }
      return o;
    }

    private static double round(double v) {
      return Math.round(v * 100) / 100.0;
    }
  }
}
