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
 * A spend log as one self-contained HTML page people look at: the totals a currency and a month at
 * the top, spend a day by model (stacked bars, a chart a currency, with its exact figures), spend by scope, refusals and releases a day, overspend, and how much of its
 * reserved worst case each call used. Charts are inline SVG with labelled axes, gridlines, a legend
 * and a tooltip a bar; amounts are shown to the currency's minor unit plus two digits (half-up),
 * exact in the tooltips. The page loads nothing and runs no script. Fed record by record ({@link #add}); memory grows with days, models and scopes, not records.
 */
public final class HtmlReport {
  private static final String[] COLORS = {"#2f6fb3", "#e07b39", "#3c9d5d", "#b8433f", "#7d5bb0", "#8c6d46",
      "#c25d9e", "#6b6b6b", "#a3a23a", "#2aa3b8"};
  /** A chart's width, and where its plot starts (room for the y axis's title and ticks). */
  private static final int WIDTH = 900;
  private static final int LEFT = 90;

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
  private final Map<String, long[]> commitsByCurrency = new TreeMap<>();
  private long records;
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
    records++;
    first = first == null || r.at().isBefore(first) ? r.at() : first;
    last = last == null || r.at().isAfter(last) ? r.at() : last;
    LocalDate day = LocalDate.ofInstant(r.at(), zone);
    switch (r.event()) {
      case COMMIT -> {
        commits++;
        estimated += r.usageEstimated() ? 1 : 0;
        String cur = r.currency() == null ? "?" : r.currency();
        BigDecimal cost = r.cost() == null ? BigDecimal.ZERO : r.cost();
        commitsByCurrency.computeIfAbsent(cur, c -> new long[1])[0]++;
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

  /** How many records of the selection (from since to until) were counted: none is an empty report. */
  public long records() {
    return records;
  }

  /** The page. */
  public String html() {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Kopeck spend report</title>")
        .append("<style>body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}")
        .append("h1{font-size:22px}h2{font-size:17px;margin-top:28px}table{border-collapse:collapse}")
        .append("td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left}td.n{text-align:right;")
        .append("font-variant-numeric:tabular-nums}.legend span{display:inline-block;margin-right:14px}")
        .append(".sw{display:inline-block;width:10px;height:10px;margin-right:4px}figure{margin:0}")
        .append(".headline{display:flex;gap:28px;flex-wrap:wrap}.total{font-size:26px;font-weight:600}")
        .append(".total small{font-size:14px;font-weight:400;color:#555}</style></head><body>\n");
    h.append("<h1>Kopeck spend report</h1>\n<p class=\"period\">");
    if (first != null) {
      h.append(esc(LocalDate.ofInstant(first, zone).toString())).append(" to ")
          .append(esc(LocalDate.ofInstant(last, zone).toString())).append(" (").append(esc(zone.getId())).append("), ");
    }
    h.append(commits).append(commits == 1 ? " commit" : " commits").append(", ").append(estimated)
        .append(" committed from an estimate (a stream without usage).</p>\n");
    headline(h);
    for (var e : byDay.entrySet()) {
      h.append("<h2>Spend a day by model, ").append(esc(e.getKey())).append("</h2>\n");
      stacked(h, e.getKey(), e.getValue());
      figures(h, e.getKey(), e.getValue());
    }
    h.append("<h2>Spend by scope</h2>\n<table><tr><th>scope</th><th>currency</th><th>cost</th><th>calls</th></tr>");
    for (var e : byScope.entrySet()) {
      for (var s : e.getValue().entrySet()) {
        h.append("<tr><td>").append(esc(s.getKey())).append("</td><td>").append(esc(e.getKey()))
            .append("</td><td class=\"n\" title=\"").append(s.getValue().stripTrailingZeros().toPlainString())
            .append(" exact\">").append(shown(s.getValue(), e.getKey()))
            .append("</td><td class=\"n\">").append(scopeCalls.get(e.getKey()).get(s.getKey())[0]).append("</td></tr>");
      }
    }
    h.append("</table>\n<h2>Refusals and releases a day</h2>\n");
    eventsChart(h);
    h.append("<p>").append(expired).append(expired == 1 ? " reservation" : " reservations")
        .append(" expired (neither committed nor released in time).</p>\n");
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
        "> 50%"}, "estimate error", "estimated ÷ reported input tokens, less one");
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
    h.append("<p style=\"color:#777;margin-top:32px\">Made by kopeck report from the spend log. Amounts are shown to")
        .append(" the currency's minor unit plus two digits, rounded half-up; a bar's or a figure's tooltip, the tables")
        .append(" and \"exact figures\" give them exact. Bars are drawn to scale.</p>\n</body></html>\n");
    return h.toString();
  }

  /** The totals per currency, for the whole selection and for each month in it, at the top. */
  private void headline(StringBuilder h) {
    if (byDay.isEmpty()) {
      h.append("<p>No commits: nothing was spent.</p>\n");
      return;
    }
    h.append("<div class=\"headline\">");
    Map<String, TreeMap<java.time.YearMonth, BigDecimal>> months = new TreeMap<>();
    byDay.forEach((cur, days) -> {
      BigDecimal total = BigDecimal.ZERO;
      for (var d : days.entrySet()) {
        BigDecimal sum = d.getValue().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        total = total.add(sum);
        months.computeIfAbsent(cur, c -> new TreeMap<>()).merge(java.time.YearMonth.from(d.getKey()), sum,
            BigDecimal::add);
      }
      long n = commitsByCurrency.getOrDefault(cur, new long[1])[0];
      h.append("<div class=\"total\" data-currency=\"").append(esc(cur)).append("\" title=\"")
          .append(total.stripTrailingZeros().toPlainString()).append(' ').append(esc(cur)).append(" exact\">")
          .append(shown(total, cur)).append(' ').append(esc(cur)).append("<br><small>spent, ").append(n)
          .append(n == 1 ? " commit" : " commits").append("</small></div>");
    });
    h.append("</div>\n<table class=\"months\"><tr><th>month</th><th>currency</th><th>spent</th></tr>");
    months.forEach((cur, m) -> m.forEach((month, v) -> h.append("<tr><td>").append(month).append("</td><td>")
        .append(esc(cur)).append("</td><td class=\"n\" title=\"").append(v.stripTrailingZeros().toPlainString())
        .append(" exact\">").append(shown(v, cur)).append("</td></tr>")));
    h.append("</table>\n");
  }

  /** The exact figures of a chart a currency, folded: a day, a model, its cost. */
  private static void figures(StringBuilder h, String cur, TreeMap<LocalDate, TreeMap<String, BigDecimal>> days) {
    h.append("<details><summary>exact figures</summary><table><tr><th>day</th><th>model</th><th>")
        .append(esc(cur)).append("</th></tr>");
    days.forEach((d, m) -> m.forEach((model, v) -> h.append("<tr><td>").append(d).append("</td><td>").append(esc(model))
        .append("</td><td class=\"n\">").append(v.stripTrailingZeros().toPlainString()).append("</td></tr>")));
    h.append("</table></details>\n");
  }

  /** One chart: bars at x labels, a series each (stacked, or side by side), on a labelled y axis with gridlines. */
  private record Chart(String label, String xTitle, String yTitle, List<String> x, List<String> series,
      List<String> colors, double[][] values, String[][] tips, boolean stacked, java.util.function.DoubleFunction<String> tick) {}

  private void stacked(StringBuilder h, String cur, TreeMap<LocalDate, TreeMap<String, BigDecimal>> days) {
    TreeSet<String> models = new TreeSet<>();
    days.values().forEach(d -> models.addAll(d.keySet()));
    List<String> ms = new ArrayList<>(models);
    List<String> x = new ArrayList<>();
    double[][] v = new double[ms.size()][days.size()];
    String[][] tips = new String[ms.size()][days.size()];
    int i = 0;
    for (var d : days.entrySet()) {
      x.add(d.getKey().toString());
      for (var m : d.getValue().entrySet()) {
        int k = ms.indexOf(m.getKey());
        v[k][i] = m.getValue().doubleValue();
        tips[k][i] = d.getKey() + " " + m.getKey() + ": " + m.getValue().stripTrailingZeros().toPlainString() + " " + cur
            + " (exact)";
      }
      i++;
    }
    List<String> colors = new ArrayList<>();
    for (int k = 0; k < ms.size(); k++) {
      colors.add(COLORS[k % COLORS.length]);
    }
    chart(h, new Chart("spend a day by model, " + cur, "day (" + zone.getId() + ")", cur + " a day", x, ms, colors, v,
        tips, true, a -> shown(BigDecimal.valueOf(a), cur)));
  }

  private void eventsChart(StringBuilder h) {
    if (events.isEmpty()) {
      h.append("<p>None.</p>\n");
      return;
    }
    List<String> x = new ArrayList<>();
    double[][] v = new double[2][events.size()];
    String[][] tips = new String[2][events.size()];
    int i = 0;
    for (var e : events.entrySet()) {
      x.add(e.getKey().toString());
      for (int k = 0; k < 2; k++) {
        v[k][i] = e.getValue()[k];
        tips[k][i] = e.getKey() + ": " + e.getValue()[k] + (k == 0 ? " refused" : " released");
      }
      i++;
    }
    chart(h, new Chart("refusals and releases a day", "day (" + zone.getId() + ")", "calls a day", x,
        List.of("refused", "released"), List.of("#b8433f", "#999999"), v, tips, false, HtmlReport::count));
  }

  private void usedChart(StringBuilder h) {
    histogram(h, used, new String[] {"0-10%", "10-20%", "20-30%", "30-40%", "40-50%", "50-60%", "60-70%", "70-80%",
        "80-90%", "90-100%", "over", "none reserved"}, "cost over reserved", "cost ÷ reserved worst case");
  }

  private static void histogram(StringBuilder h, long[] counts, String[] labels, String what, String xTitle) {
    double[][] v = new double[1][counts.length];
    String[][] tips = new String[1][counts.length];
    for (int k = 0; k < counts.length; k++) {
      v[0][k] = counts[k];
      tips[0][k] = labels[k] + ": " + counts[k] + (counts[k] == 1 ? " call" : " calls");
    }
    chart(h, new Chart(what, xTitle, "calls", List.of(labels), List.of("calls"), List.of("#2f6fb3"), v, tips, false,
        HtmlReport::count));
  }

  private static String count(double v) {
    return String.format(java.util.Locale.ROOT, "%,d", Math.round(v));
  }

  /**
   * An amount as a person reads it on a chart: to the currency's minor unit plus two digits (4
   * decimals for roubles and dollars), half-up; the exact amount is in the tooltip and the tables.
   */
  static String shown(BigDecimal amount, String currency) {
    int minor;
    try {
      minor = Math.max(0, java.util.Currency.getInstance(currency).getDefaultFractionDigits());
    } catch (IllegalArgumentException e) {
      minor = 2;
    }
    return amount.setScale(minor + 2, RoundingMode.HALF_UP).toPlainString();
  }

  private static void chart(StringBuilder h, Chart c) {
    int n = c.x().size();
    int ch = 200;
    int top = 14;
    double max = 0;
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (double[] s : c.values()) {
        sum = c.stacked() ? sum + s[i] : Math.max(sum, s[i]);
      }
      max = Math.max(max, sum);
    }
    double step = niceStep(max <= 0 ? 1 : max);
    double scaleMax = Math.max(step, Math.ceil(max / step) * step);
    int plotW = WIDTH - LEFT - 20;
    double slot = (double) plotW / Math.max(1, n);
    int groups = c.stacked() ? 1 : c.series().size();
    double bw = Math.max(1, Math.min(60, slot * 0.8) / groups);
    h.append("<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
        .append(top + ch + 52).append("\" role=\"img\" aria-label=\"").append(esc(c.label())).append("\">");
    // gridlines and y labels
    for (double t = 0; t <= scaleMax + step / 2; t += step) {
      double y = top + ch - t / scaleMax * ch;
      h.append(String.format(java.util.Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\""
          + " stroke=\"%s\"/><text class=\"ytick\" x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>",
          LEFT, y, WIDTH - 20, y, t == 0 ? "#888" : "#e3e3e3", LEFT - 6, y + 4, esc(c.tick().apply(t))));
    }
    h.append(String.format(java.util.Locale.ROOT, "<text class=\"ytitle\" x=\"12\" y=\"%d\" font-size=\"12\""
        + " transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">%s</text>", top + ch / 2, top + ch / 2,
        esc(c.yTitle())));
    // x labels: at most about ten, evenly spaced, the last one always
    int every = n <= 12 ? 1 : (int) Math.ceil(n / 10.0);
    for (int i = 0; i < n; i++) {
      double x0 = LEFT + i * slot + (slot - bw * groups) / 2;
      double y = top + ch;
      for (int k = 0; k < c.series().size(); k++) {
        double v = c.values()[k][i];
        double hgt = v / scaleMax * ch;
        double x = c.stacked() ? x0 : x0 + k * bw;
        if (c.stacked()) {
          y -= hgt;
        }
        if (v > 0) {
          h.append(String.format(java.util.Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
              + " fill=\"%s\"><title>%s</title></rect>", x, c.stacked() ? y : top + ch - hgt, bw, hgt,
              c.colors().get(k), esc(c.tips()[k][i])));
        }
      }
      if (i == n - 1 || i % every == 0 && n - 1 - i >= every) {
        h.append(String.format(java.util.Locale.ROOT, "<text class=\"xtick\" x=\"%.1f\" y=\"%d\" font-size=\"10\""
            + " text-anchor=\"middle\">%s</text>", LEFT + (i + 0.5) * slot, top + ch + 16, esc(c.x().get(i))));
      }
    }
    h.append(String.format(java.util.Locale.ROOT, "<text class=\"xtitle\" x=\"%d\" y=\"%d\" font-size=\"12\""
        + " text-anchor=\"middle\">%s</text>", LEFT + plotW / 2, top + ch + 44, esc(c.xTitle())));
    h.append("</svg>");
    if (c.series().size() > 1 || c.stacked()) {
      h.append("<figcaption class=\"legend\">");
      for (int k = 0; k < c.series().size(); k++) {
        h.append("<span><i class=\"sw\" style=\"background:").append(c.colors().get(k)).append("\"></i>")
            .append(esc(c.series().get(k))).append("</span>");
      }
      h.append("</figcaption>");
    }
    h.append("</figure>\n");
  }

  /** A step of 1, 2 or 5 times a power of ten giving four or five gridlines up to {@code max}. */
  static double niceStep(double max) {
    double raw = max / 4;
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    double m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
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
