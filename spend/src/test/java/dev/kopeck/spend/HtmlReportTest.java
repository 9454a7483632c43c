package dev.kopeck.spend;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report: its content, and a real headless Chromium rendering it without a console error. */
class HtmlReportTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir
  Path dir;

  /** A month of calls: three models, two scopes, refusals, releases and some overspend. */
  static HtmlReport month() {
    HtmlReport r = new HtmlReport(ZoneId.of("Europe/Moscow"), null, null);
    Random rnd = new Random(5);
    String[] models = {"google/gemini-2.0-flash-001", "openai/gpt-4o", "anthropic/claude-sonnet-4"};
    Instant start = Instant.parse("2026-11-01T00:00:00Z");
    for (int i = 0; i < 3000; i++) {
      Instant at = start.plusSeconds(rnd.nextInt(27 * 86400));
      String scope = rnd.nextBoolean() ? "team:ml" : "team:<search>";
      int kind = rnd.nextInt(20);
      SpendRecord.Event e = kind == 0 ? SpendRecord.Event.REFUSE : kind == 1 ? SpendRecord.Event.RELEASE
          : SpendRecord.Event.COMMIT;
      long reserved = 50_000_000L;
      long cost = kind == 2 ? 60_000_000L : rnd.nextInt(50_000_000);
      long input = 100 + rnd.nextInt(5000);
      String model = models[rnd.nextInt(3)];
      String tariff = "routerai " + model + (model.startsWith("openai") && at.isAfter(start.plusSeconds(15 * 86400))
          ? " from 2026-11-16T00:00:00Z" : " from 2025-02-05T00:00:00Z"); // one price changed mid-month
      r.add(new SpendRecord("r" + i, e, at, List.of(scope), model, "routerai", "RUB", BigDecimal.valueOf(cost, 9),
          reserved, cost, Math.max(0, cost - reserved), false, kind == 3, input, 0, 0, rnd.nextInt(900), 0, null,
          tariff, (long) (input * (0.8 + 0.4 * rnd.nextDouble()))));
      if (kind == 4) {
        r.add(new SpendRecord("x" + i, SpendRecord.Event.EXPIRE, at, List.of(scope), model, null, null, null, reserved,
            0, 0, false, false, 0, 0, 0, 0, 0, "neither committed nor released"));
      }
    }
    return r;
  }

  @Test
  void theReportHoldsItsChartsAndEscapesNames() {
    String html = month().html();
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("Spend a day by model, RUB")
        .contains("team:&lt;search&gt;").doesNotContain("team:<search>").doesNotContain("<script")
        .doesNotContain("src=").doesNotContain("href=").contains("How much of its reserved worst case")
        .contains("The estimate's error").contains("was priced by 2 tariffs").contains("reservations expired");
  }

  /** Issue 32: a headline total a currency, amounts to the minor unit plus two digits, labelled axes and a legend. */
  @Test
  void theReportReadsAtAGlance() {
    HtmlReport r = new HtmlReport(ZoneId.of("UTC"), null, null);
    r.add(commit("a", "2026-11-01T10:00:00Z", "RUB", "2.7615304"));
    r.add(commit("b", "2026-11-02T10:00:00Z", "RUB", "0.5"));
    r.add(commit("c", "2026-12-02T10:00:00Z", "USD", "1.25"));
    String html = r.html();
    assertThat(r.records()).isEqualTo(3);
    assertThat(html).contains("<div class=\"total\" data-currency=\"RUB\" title=\"3.2615304 RUB exact\">3.2615 RUB")
        .contains("<div class=\"total\" data-currency=\"USD\" title=\"1.25 USD exact\">1.2500 USD")
        .contains("<td>2026-11</td><td>RUB</td><td class=\"n\" title=\"3.2615304 exact\">3.2615</td>")
        .contains("<td>2026-12</td><td>USD</td>")
        .contains(">RUB a day</text>").contains(">day (UTC)</text>")
        .contains("class=\"xtick\"").contains(">2026-11-01</text>").contains(">2026-11-02</text>")
        .contains("class=\"grid\"").contains("class=\"legend\"")
        .contains("<title>2026-11-01 m: 2.7615304 RUB (exact)</title>")
        .contains("<summary>exact figures</summary>");
    assertThat(HtmlReport.shown(new java.math.BigDecimal("2.761530"), "RUB")).isEqualTo("2.7615");
    assertThat(HtmlReport.shown(new java.math.BigDecimal("12"), "JPY")).isEqualTo("12.00");
    assertThat(HtmlReport.niceStep(2.76)).isEqualTo(1.0);
    assertThat(HtmlReport.niceStep(7300)).isEqualTo(2000.0);
  }

  static SpendRecord commit(String id, String at, String currency, String cost) {
    return new SpendRecord(id, SpendRecord.Event.COMMIT, Instant.parse(at), List.of("team:ml"), "m", "p", currency,
        new BigDecimal(cost), 0, 0, 0, false, false, 10, 0, 0, 1, 0, null);
  }

  @Test
  void aRealBrowserRendersItWithoutAConsoleError() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed (.ci/run installs it)");
    Path page = dir.resolve("report.html");
    Files.writeString(page, month().html());
    Path shot = dir.resolve("report.png");
    List<String> args = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + dir.resolve("profile"), "--enable-logging=stderr", "--v=0",
        "--window-size=1100,2300", "--screenshot=" + shot, page.toUri().toString()));
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.size(shot)).as(log).isGreaterThan(10_000);
    assertThat(log).doesNotContain("CONSOLE").doesNotContain("Uncaught");
    args.set(args.size() - 2, "--dump-dom");
    Process dom = new ProcessBuilder(args).start();
    String html = new String(dom.getInputStream().readAllBytes());
    assertThat(dom.waitFor(120, TimeUnit.SECONDS)).isTrue();
    // the DOM as the browser built it: the totals, the axes' labels, the legend
    assertThat(html).contains("<svg").contains("Spend by scope").contains("class=\"total\" data-currency=\"RUB\"")
        .contains("class=\"ytitle\"").contains(">RUB a day</text>").contains(">day (Europe/Moscow)</text>")
        .contains("class=\"xtick\"").contains(">calls a day</text>").contains("class=\"legend\"");
    String keep = System.getProperty("kopeck.report.screenshot");
    if (keep != null) { // docs/report.png is made this way
      Files.copy(shot, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
