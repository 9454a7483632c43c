package dev.kopeck.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Turns JMH JSON results into the results section of docs/benchmarks.md and a throughput-by-size
 * chart:
 * {@code java -cp bench/target/benchmarks.jar dev.kopeck.bench.Report --command "..." [--oracle TSV] RESULT.json...}.
 * The section between {@code <!-- results:start -->} and {@code <!-- results:end -->} is replaced.
 */
public final class Report {
  private Report() {}

  public static void main(String[] args) throws Exception {
    String command = "";
    Path oracle = null;
    Path doc = Path.of("docs/benchmarks.md");
    Path chart = Path.of("docs/benchmarks-throughput.png");
    List<Path> inputs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--command":
          command = args[++i];
          break;
        case "--oracle":
          oracle = Path.of(args[++i]);
          break;
        case "--doc":
          doc = Path.of(args[++i]);
          break;
        case "--chart":
          chart = Path.of(args[++i]);
          break;
        default:
          inputs.add(Path.of(args[i]));
      }
    }
    List<JsonNode> results = new ArrayList<>();
    ObjectMapper m = new ObjectMapper();
    for (Path p : inputs) {
      m.readTree(p.toFile()).forEach(results::add);
    }
    if (results.isEmpty()) {
      throw new IllegalArgumentException("no JMH results given");
    }
    StringBuilder md = new StringBuilder();
    JsonNode first = results.get(0);
    md.append("Measured ").append(LocalDate.now()).append(" on ").append(machine()).append("; ")
        .append(first.path("vmName").asText()).append(' ').append(first.path("jdkVersion").asText())
        .append(". Command: `").append(command).append("`.\n\n");
    tokenizerSection(results, md, chart);
    if (oracle != null && Files.exists(oracle)) {
      md.append("### The same file through the reference tokenizers\n\n")
          .append("One 8 MiB natural text (`bench/oracle-timing.sh`), side by side in the same run: the reference ")
          .append("(`node ../shared/oracle/count.js`: HuggingFace tokenizers' Rust core, or tiktoken's) against Kopeck. ")
          .append("*encode* is the encode of the whole text alone, the vocabulary loaded (Kopeck: ")
          .append("`dev.kopeck.bench.CountFile`, best of 10 after one cold count); *process* is the whole process, ")
          .append("wall clock, best of 3 (`node count.js ENC FILE` against `java -jar cli/target/kopeck.jar count ")
          .append("--tokenizer ENC FILE`): start, vocabulary, read, count, exit.\n\n")
          .append("| tokenizer | implementation | tokens | encode ms | encode MB/s | process ms |\n")
          .append("|---|---|---:|---:|---:|---:|\n");
      for (String line : Files.readAllLines(oracle)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        double ms = Double.parseDouble(f[3]);
        double mb = Double.parseDouble(f[5]) / 1e6;
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %s |%n", f[0], f[1], f[2], ms,
            mb / (ms / 1e3), f[4]));
      }
      md.append('\n');
    }
    allSection(results, md);
    String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n\n<!-- results:start -->\n<!-- results:end -->\n";
    int a = text.indexOf("<!-- results:start -->");
    int b = text.indexOf("<!-- results:end -->");
    if (a < 0 || b < a) {
      throw new IllegalStateException(doc + " has no <!-- results:start --> ... <!-- results:end --> section");
    }
    String out = text.substring(0, a) + "<!-- results:start -->\n" + md + text.substring(b);
    Files.writeString(doc, out, StandardCharsets.UTF_8);
    System.out.println("updated " + doc + " and " + chart);
  }

  private static String machine() {
    try {
      String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
      long memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
          .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
      return String.format(Locale.ROOT, "%d cores (%s), %.0f GiB", Runtime.getRuntime().availableProcessors(), cpu,
          memKb / 1024.0 / 1024.0);
    } catch (IOException | RuntimeException e) {
      return Runtime.getRuntime().availableProcessors() + " cores";
    }
  }

  /** MB/s by encoding, text and size, as a table and a chart. */
  private static void tokenizerSection(List<JsonNode> results, StringBuilder md, Path chart) throws IOException {
    Map<String, TreeMap<Integer, double[]>> series = new LinkedHashMap<>();
    for (JsonNode r : results) {
      if (!r.path("benchmark").asText().endsWith("TokenizerBenchmark.count")) {
        continue;
      }
      JsonNode p = r.path("params");
      int size = p.path("size").asInt();
      double us = r.path("primaryMetric").path("score").asDouble();
      double err = r.path("primaryMetric").path("scoreError").asDouble();
      double alloc = r.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score").asDouble(Double.NaN);
      String name = p.path("encoding").asText() + " " + p.path("text").asText();
      // MB/s = bytes per microsecond; its error to first order: size * err / us^2
      double mbs = size / us;
      double mbsErr = Double.isNaN(err) ? Double.NaN : size * err / (us * us);
      series.computeIfAbsent(name, k -> new TreeMap<>()).put(size, new double[] {mbs, mbsErr, alloc});
    }
    if (series.isEmpty()) {
      return;
    }
    md.append("### Token counting throughput, single thread\n\n")
        .append("`TokenizerBenchmark`: MB/s = UTF-8 bytes / time (±: from JMH's 99.9% error), and bytes allocated per ")
        .append("count (`gc.alloc.rate.norm`). Every encoding is Kopeck's own engine except `jtokkit-*`, JTokkit 1.1.0 in the same run.\n\n")
        .append("![throughput by input size](").append(chart.getFileName()).append(")\n\n");
    List<Integer> sizes = new ArrayList<>();
    series.values().forEach(t -> t.keySet().forEach(s -> {
      if (!sizes.contains(s)) {
        sizes.add(s);
      }
    }));
    sizes.sort(null);
    md.append("| tokenizer, text |");
    sizes.forEach(s -> md.append(' ').append(human(s)).append(" |"));
    md.append("\n|---|");
    sizes.forEach(s -> md.append("---:|"));
    md.append('\n');
    for (Map.Entry<String, TreeMap<Integer, double[]>> e : series.entrySet()) {
      md.append("| ").append(e.getKey()).append(" |");
      for (int s : sizes) {
        double[] v = e.getValue().get(s);
        md.append(v == null ? " |" : Double.isNaN(v[1]) || v[1] > v[0]
            ? String.format(Locale.ROOT, " %.1f MB/s (noisy), %s |", v[0], bytes(v[2]))
            : String.format(Locale.ROOT, " %.1f MB/s ±%.1f, %s |", v[0], v[1], bytes(v[2])));
      }
      md.append('\n');
    }
    md.append('\n');
    XYChart c = new XYChartBuilder().width(900).height(520).title("Token counting throughput by input size")
        .xAxisTitle("input size (bytes, log scale)").yAxisTitle("MB/s (log scale)").build();
    c.getStyler().setXAxisLogarithmic(true);
    c.getStyler().setYAxisLogarithmic(true);
    c.getStyler().setMarkerSize(7);
    for (Map.Entry<String, TreeMap<Integer, double[]>> e : series.entrySet()) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      e.getValue().forEach((k, v) -> {
        xs.add((double) k);
        ys.add(v[0]);
      });
      c.addSeries(e.getKey(), xs, ys).setMarker(SeriesMarkers.CIRCLE);
    }
    Files.createDirectories(chart.toAbsolutePath().getParent());
    BitmapEncoder.saveBitmap(c, chart.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** Every result: benchmark, parameters, score, allocation. */
  private static void allSection(List<JsonNode> results, StringBuilder md) {
    md.append("### All results\n\n| benchmark | parameters | score | unit | allocated/op |\n|---|---|---:|---|---:|\n");
    for (JsonNode r : results) {
      String name = r.path("benchmark").asText().replace("dev.kopeck.bench.", "");
      StringBuilder params = new StringBuilder();
      Iterator<Map.Entry<String, JsonNode>> it = r.path("params").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        params.append(params.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(e.getValue().asText());
      }
      JsonNode pm = r.path("primaryMetric");
      double alloc = r.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score").asDouble(Double.NaN);
      String score = String.format(Locale.ROOT, "%.3f ± %.3f", pm.path("score").asDouble(),
          pm.path("scoreError").asDouble(Double.NaN));
      JsonNode pct = pm.path("scorePercentiles");
      if (r.path("mode").asText().equals("sample") && pct.has("50.0")) {
        score += String.format(Locale.ROOT, " (p50 %.1f, p99 %.1f, p99.9 %.1f)", pct.path("50.0").asDouble(),
            pct.path("99.0").asDouble(), pct.path("99.9").asDouble());
      }
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", name, params, score, pm.path("scoreUnit").asText(),
          bytes(alloc)));
    }
    md.append('\n');
  }

  private static String human(int size) {
    return size >= 1 << 20 ? (size >> 20) + " MB" : size >= 1024 ? (size >> 10) + " KB" : size + " B";
  }

  private static String bytes(double b) {
    if (Double.isNaN(b)) {
      return "–";
    }
    return b >= 1e6 ? String.format(Locale.ROOT, "%.1f MB", b / 1e6)
        : b >= 1e3 ? String.format(Locale.ROOT, "%.1f KB", b / 1e3) : String.format(Locale.ROOT, "%.0f B", b);
  }
}
