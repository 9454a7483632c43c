package dev.kopeck.spend;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A spend log as one self-contained HTML page people look at: spend a day by model (stacked bars, a
 * chart a currency), spend by scope, refusals and releases a day, overspend, and how much of its
 * reserved worst case each call used. Charts are inline SVG; the page loads nothing and runs no
 * script. Fed record by record ({@link #add}); memory grows with days, models and scopes, not records.
 */
public final class HtmlReport {
  private static final String[] COLORS = {"#2f6fb3", "#e07b39", "#3c9d5d", "#b8433f", "#7d5bb0", "#8c6d46",
      "#c25d9e", "#6b6b6b", "#a3a23a", "#2aa3b8"};

  private final ZoneId zone;
  private final Instant since;
  private final Instant until;
  /** currency -> day -> model -> cost */
  private final Map<String, TreeMap<LocalDate, TreeMap<String, BigDecimal>>> byDay = new TreeMap<>();
  /** currency -> scope -> {cost} and calls */
  private final Map<String, TreeMap<String, BigDecimal>> byScope = new TreeMap<>();
  private final Map<String, TreeMap<String, long[]>> scopeCalls = new TreeMap<>();
  private final TreeMap<LocalDate, long[]> events = new TreeMap<>(); // {refusals, releases, commit failures}
  private final Map<String, long[]> overspend = new TreeMap<>(); // currency -> {nanos, calls, late}
  private final long[] used = new long[12]; // cost / reserved: 0-10 %, ... 90-100 %, over 100 %, nothing reserved
  /** (estimated - reported) / reported input tokens: below -50 %, -50..-20, -20..-5, -5..5, 5..20, 20..50, over 50 % */
  private final long[] estimateError = new long[7];
  /** tariff -> {commits}, cost by currency; model -> the tariffs that priced it */
  private final Map<String, long[]> tariffCalls = new TreeMap<>();
  private final Map<String, TreeMap<String, BigDecimal>> tariffCost = new TreeMap<>();
  private final Map<String, TreeSet<String>> modelTariffs = new TreeMap<>();
  private long expired;
  private long commits;
  private long estimated;
  private Instant first;
  private Instant last;

  public HtmlReport(ZoneId zone, Instant since, Instant until) {
    this.zone = Objects.requireNonNull(zone, "zone");
    this.since = since;
    this.until = until;
  }

  /** Counts one record (records outside since/until are left out). */
  public void add(SpendRecord r) {
    if (since != null && r.at().isBefore(since) || until != null && !r.at().isBefore(until)) {
      return;
    }
    first = first == null || r.at().isBefore(first) ? r.at() : first;
    last = last == null || r.at().isAfter(last) ? r.at() : last;
    LocalDate day = LocalDate.ofInstant(r.at(), zone);
    switch (r.event()) {
      case COMMIT -> {
        commits++;
        estimated += r.usageEstimated() ? 1 : 0;
        String cur = r.currency() == null ? "?" : r.currency();
        BigDecimal cost = r.cost() == null ? BigDecimal.ZERO : r.cost();
        byDay.computeIfAbsent(cur, c -> new TreeMap<>()).computeIfAbsent(day, d -> new TreeMap<>())
            .merge(r.model() == null ? "(none)" : r.model(), cost, BigDecimal::add);
        for (String s : r.scopes().isEmpty() ? List.of("(none)") : r.scopes()) {
          byScope.computeIfAbsent(cur, c -> new TreeMap<>()).merge(s, cost, BigDecimal::add);
          scopeCalls.computeIfAbsent(cur, c -> new TreeMap<>()).computeIfAbsent(s, x -> new long[1])[0]++;
        }
        if (r.overspendNanos() > 0) {
          long[] o = overspend.computeIfAbsent(cur, c -> new long[3]);
          o[0] += r.overspendNanos();
          o[1]++;
          o[2] += r.late() ? 1 : 0;
        }
        if (r.estimatedInputTokens() >= 0 && !r.usageEstimated() && r.inputTokens() > 0) {
          double e = (double) (r.estimatedInputTokens() - r.inputTokens()) / r.inputTokens();
          estimateError[e < -0.5 ? 0 : e < -0.2 ? 1 : e < -0.05 ? 2 : e <= 0.05 ? 3 : e <= 0.2 ? 4 : e <= 0.5 ? 5 : 6]++;
        }
        String tariff = r.tariff() == null ? "(not recorded)" : r.tariff();
        tariffCalls.computeIfAbsent(tariff, t -> new long[1])[0]++;
        tariffCost.computeIfAbsent(tariff, t -> new TreeMap<>()).merge(cur, cost, BigDecimal::add);
        modelTariffs.computeIfAbsent(r.model() == null ? "(none)" : r.model(), m -> new TreeSet<>()).add(tariff);
        if (r.reservedNanos() <= 0) {
          used[11]++;
        } else if (r.costNanos() > r.reservedNanos()) {
          used[10]++;
        } else {
          used[(int) Math.min(9, r.costNanos() * 10 / r.reservedNanos())]++;
        }
      }
      case REFUSE -> events.computeIfAbsent(day, d -> new long[3])[0]++;
      case RELEASE -> events.computeIfAbsent(day, d -> new long[3])[1]++;
      case COMMIT_FAILED -> events.computeIfAbsent(day, d -> new long[3])[2]++;
      case EXPIRE -> expired++;
      default -> { }
    }
  }

  /** The page. */
  public String html() {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Kopeck spend report</title>")
        .append("<style>body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}")
        .append("h1{font-size:22px}h2{font-size:17px;margin-top:28px}table{border-collapse:collapse}")
        .append("td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left}td.n{text-align:right;")
        .append("font-variant-numeric:tabular-nums}.legend span{display:inline-block;margin-right:14px}")
        .append(".sw{display:inline-block;width:10px;height:10px;margin-right:4px}</style></head><body>\n");
    h.append("<h1>Kopeck spend report</h1><p>").append(commits).append(" commits");
    if (first != null) {
      h.append(", ").append(esc(LocalDate.ofInstant(first, zone).toString())).append(" to ")
          .append(esc(LocalDate.ofInstant(last, zone).toString())).append(" (").append(esc(zone.getId())).append(')');
    }
    h.append(". ").append(estimated).append(" committed from an estimate (a stream without usage).</p>\n");
    for (var e : byDay.entrySet()) {
      h.append("<h2>Spend a day by model, ").append(esc(e.getKey())).append("</h2>\n");
      stacked(h, e.getValue());
    }
    h.append("<h2>Spend by scope</h2>\n<table><tr><th>scope</th><th>currency</th><th>cost</th><th>calls</th></tr>");
    for (var e : byScope.entrySet()) {
      for (var s : e.getValue().entrySet()) {
        h.append("<tr><td>").append(esc(s.getKey())).append("</td><td>").append(esc(e.getKey()))
            .append("</td><td class=\"n\">").append(s.getValue().stripTrailingZeros().toPlainString())
            .append("</td><td class=\"n\">").append(scopeCalls.get(e.getKey()).get(s.getKey())[0]).append("</td></tr>");
      }
    }
    h.append("</table>\n<h2>Refusals and releases a day</h2>\n");
    eventsChart(h);
    h.append("<p>").append(expired).append(" reservations expired (neither committed nor released in time).</p>\n");
    h.append("<h2>Overspend</h2>\n");
    if (overspend.isEmpty()) {
      h.append("<p>No call cost more than it reserved.</p>\n");
    } else {
      h.append("<table><tr><th>currency</th><th>beyond reservations</th><th>calls</th><th>late commits</th></tr>");
      for (var o : overspend.entrySet()) {
        h.append("<tr><td>").append(esc(o.getKey())).append("</td><td class=\"n\">")
            .append(BigDecimal.valueOf(o.getValue()[0], 9).stripTrailingZeros().toPlainString())
            .append("</td><td class=\"n\">").append(o.getValue()[1]).append("</td><td class=\"n\">")
            .append(o.getValue()[2]).append("</td></tr>");
      }
      h.append("</table>\n");
    }
    h.append("<h2>How much of its reserved worst case each call used</h2>\n");
    usedChart(h);
    h.append("<h2>The estimate's error: estimated ÷ reported input tokens, less one</h2>\n");
    histogram(h, estimateError, new String[] {"< -50%", "-50..-20%", "-20..-5%", "±5%", "5..20%", "20..50%",
        "> 50%"}, "estimate error");
    h.append("<h2>Tariffs</h2>\n<table><tr><th>tariff</th><th>commits</th><th>cost</th></tr>");
    for (var t : tariffCalls.entrySet()) {
      StringBuilder costs = new StringBuilder();
      tariffCost.get(t.getKey()).forEach((c, v) -> costs.append(costs.length() == 0 ? "" : ", ")
          .append(v.stripTrailingZeros().toPlainString()).append(' ').append(esc(c)));
      h.append("<tr><td>").append(esc(t.getKey())).append("</td><td class=\"n\">").append(t.getValue()[0])
          .append("</td><td class=\"n\">").append(costs).append("</td></tr>");
    }
    h.append("</table>\n");
    for (var m : modelTariffs.entrySet()) {
      if (m.getValue().size() > 1) {
        h.append("<p><b>").append(esc(m.getKey())).append("</b> was priced by ").append(m.getValue().size())
            .append(" tariffs in this time: a price changed; <code>kopeck reconcile --from</code> re-prices each"
                + " commit with the tariff of its time.</p>\n");
      }
    }
    h.append("<p style=\"color:#777;margin-top:32px\">Made by kopeck report from the spend log. Amounts are exact;")
        .append(" bars are drawn to scale.</p>\n</body></html>\n");
    return h.toString();
  }

  private void stacked(StringBuilder h, TreeMap<LocalDate, TreeMap<String, BigDecimal>> days) {
    TreeSet<String> models = new TreeSet<>();
    BigDecimal max = BigDecimal.ZERO;
    for (var d : days.values()) {
      models.addAll(d.keySet());
      BigDecimal sum = d.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
      max = max.max(sum);
    }
    List<String> ms = new ArrayList<>(models);
    int n = days.size();
    int w = 900;
    int ch = 220;
    double bw = Math.max(2, Math.min(40, (w - 60.0) / Math.max(1, n) - 2));
    h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(ch + 40)
        .append("\" role=\"img\" aria-label=\"spend a day by model\">");
    axis(h, w, ch, max.toPlainString());
    int i = 0;
    for (var d : days.entrySet()) {
      double x = 50 + i * (bw + 2);
      double y = ch;
      for (var m : d.getValue().entrySet()) {
        double hgt = max.signum() == 0 ? 0 : m.getValue().divide(max, 9, RoundingMode.HALF_UP).doubleValue() * (ch - 10);
        y -= hgt;
        h.append(String.format(java.util.Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
            + " fill=\"%s\"><title>%s %s: %s</title></rect>", x, y, bw, hgt, COLORS[ms.indexOf(m.getKey())
            % COLORS.length], esc(d.getKey().toString()), esc(m.getKey()), m.getValue().toPlainString()));
      }
      if (i == 0 || i == n - 1) { // the last label ends at its bar, inside the chart
        h.append(String.format(java.util.Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\"%s>%s</text>",
            i == 0 ? x : x + bw, ch + 16, i == 0 || n == 1 ? "" : " text-anchor=\"end\"", esc(d.getKey().toString())));
      }
      i++;
    }
    h.append("</svg>\n<div class=\"legend\">");
    for (int k = 0; k < ms.size(); k++) {
      h.append("<span><i class=\"sw\" style=\"background:").append(COLORS[k % COLORS.length]).append("\"></i>")
          .append(esc(ms.get(k))).append("</span>");
    }
    h.append("</div>\n");
  }

  private void eventsChart(StringBuilder h) {
    if (events.isEmpty()) {
      h.append("<p>None.</p>\n");
      return;
    }
    long max = 1;
    for (long[] e : events.values()) {
      max = Math.max(max, Math.max(e[0], e[1]));
    }
    int w = 900;
    int ch = 160;
    int n = events.size();
    double bw = Math.max(2, Math.min(20, (w - 60.0) / Math.max(1, n) / 2 - 2));
    h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(ch + 40)
        .append("\" role=\"img\" aria-label=\"refusals and releases a day\">");
    axis(h, w, ch, Long.toString(max));
    int i = 0;
    for (var e : events.entrySet()) {
      double x = 50 + i * (2 * bw + 4);
      for (int k = 0; k < 2; k++) {
        double hgt = (double) e.getValue()[k] / max * (ch - 10);
        h.append(String.format(java.util.Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
            + " fill=\"%s\"><title>%s: %d %s</title></rect>", x + k * bw, ch - hgt, bw, hgt, k == 0 ? "#b8433f"
            : "#999999", esc(e.getKey().toString()), e.getValue()[k], k == 0 ? "refused" : "released"));
      }
      i++;
    }
    h.append("</svg>\n<div class=\"legend\"><span><i class=\"sw\" style=\"background:#b8433f\"></i>refused</span>")
        .append("<span><i class=\"sw\" style=\"background:#999999\"></i>released</span></div>\n");
  }

  private void usedChart(StringBuilder h) {
    String[] labels = {"0-10%", "10-20%", "20-30%", "30-40%", "40-50%", "50-60%", "60-70%", "70-80%", "80-90%",
        "90-100%", "over", "none reserved"};
    long max = 1;
    for (long u : used) {
      max = Math.max(max, u);
    }
    int ch = 160;
    h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"").append(ch + 40)
        .append("\" role=\"img\" aria-label=\"cost over reserved\">");
    axis(h, 900, ch, Long.toString(max));
    for (int k = 0; k < used.length; k++) {
      double x = 50 + k * 70;
      double hgt = (double) used[k] / max * (ch - 10);
      h.append(String.format(java.util.Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"60\" height=\"%.1f\""
          + " fill=\"%s\"><title>%s: %d calls</title></rect><text x=\"%.1f\" y=\"%d\" font-size=\"10\">%s</text>", x,
          ch - hgt, hgt, k == 10 ? "#b8433f" : "#2f6fb3", labels[k], used[k], x, ch + 16, labels[k]));
    }
    h.append("</svg>\n");
  }

  private static void histogram(StringBuilder h, long[] counts, String[] labels, String what) {
    long max = 1;
    for (long c : counts) {
      max = Math.max(max, c);
    }
    int ch = 160;
    h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"").append(ch + 40)
        .append("\" role=\"img\" aria-label=\"").append(esc(what)).append("\">");
    axis(h, 900, ch, Long.toString(max));
    for (int k = 0; k < counts.length; k++) {
      double x = 50 + k * 110;
      double hgt = (double) counts[k] / max * (ch - 10);
      h.append(String.format(java.util.Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"90\" height=\"%.1f\""
          + " fill=\"%s\"><title>%s: %d calls</title></rect><text x=\"%.1f\" y=\"%d\" font-size=\"10\">%s</text>",
          x, ch - hgt, hgt, k == 3 ? "#3c9d5d" : "#2f6fb3", esc(labels[k]), counts[k], x, ch + 16, esc(labels[k])));
    }
    h.append("</svg>\n");
  }

  private static void axis(StringBuilder h, int w, int ch, String max) {
    h.append("<line x1=\"48\" y1=\"").append(ch).append("\" x2=\"").append(w - 10).append("\" y2=\"").append(ch)
        .append("\" stroke=\"#888\"/><text x=\"0\" y=\"14\" font-size=\"11\">").append(esc(max)).append("</text>");
  }

  /** Text as HTML: a model or scope name cannot open a tag. */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
