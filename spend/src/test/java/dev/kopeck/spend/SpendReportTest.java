package dev.kopeck.spend;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same records read back from JSONL and from PostgreSQL give the same report, to the last digit. */
class SpendReportTest {
  static final Instant FROM = Instant.parse("2031-01-01T00:00:00Z");
  static final Instant TO = Instant.parse("2032-01-01T00:00:00Z");

  @TempDir
  Path dir;

  @Test
  void jsonlAndPostgresAgreeToTheLastDigit() throws Exception {
    Pg.assumeUp();
    try (Connection c = DriverManager.getConnection(SpendLogTest.URL, SpendLogTest.USER, null);
        Statement st = c.createStatement()) {
      new PostgresSpendSink(SpendLogTest.URL, SpendLogTest.USER, null).migrate();
      st.execute("DELETE FROM kopeck_spend_log WHERE at >= '2031-01-01' AND at < '2032-01-01'");
    }
    Random rnd = new Random(31);
    List<SpendRecord> all = new ArrayList<>();
    String[] models = {"google/gemini-2.0-flash-001", "openai/gpt-4o", "anthropic/claude-sonnet-4"};
    String[] currencies = {"RUB", "USD"};
    for (int i = 0; i < 3000; i++) {
      Instant at = FROM.plusSeconds(rnd.nextInt(365 * 86400));
      List<String> scopes = rnd.nextInt(5) == 0 ? List.of() : rnd.nextBoolean() ? List.of("team:a")
          : List.of("team:b", "org:x");
      BigDecimal cost = new BigDecimal(rnd.nextInt(1_000_000)).movePointLeft(rnd.nextInt(9));
      SpendRecord.Event e = rnd.nextInt(4) == 0 ? SpendRecord.Event.RESERVE : SpendRecord.Event.COMMIT;
      all.add(new SpendRecord("r" + i, e, at, scopes, models[rnd.nextInt(3)], rnd.nextBoolean() ? "routerai" : null,
          currencies[rnd.nextInt(2)], e == SpendRecord.Event.COMMIT ? cost : null, 0, 0, 0, false, false,
          rnd.nextInt(5000), 0, 0, rnd.nextInt(900), 0, null));
    }
    // a batch written twice (a retried batch whose first write went in): read once by both
    List<SpendRecord> withRetry = new ArrayList<>(all);
    withRetry.addAll(all.subList(100, 200));
    try (JsonlSpendSink j = new JsonlSpendSink(dir.resolve("spend.jsonl"))) {
      j.write(withRetry);
    }
    try (PostgresSpendSink pg = new PostgresSpendSink(SpendLogTest.URL, SpendLogTest.USER, null)) {
      pg.write(withRetry);
    }
    for (SpendReport.By by : SpendReport.By.values()) {
      for (SpendReport.Per per : SpendReport.Per.values()) {
        SpendReport r = new SpendReport(by, per, ZoneId.of("Europe/Moscow"), FROM, TO);
        List<SpendReport.Row> files = r.fromJsonl(List.of(dir.resolve("spend.jsonl")));
        List<SpendReport.Row> db = r.fromPostgres(SpendLogTest.URL, SpendLogTest.USER, null);
        assertThat(db).as(by + " per " + per).isEqualTo(files).isNotEmpty();
        // each currency's total counts a call once, whichever the grouping (a call of team:b and org:x too)
        List<SpendReport.Total> fileTotals = r.totals();
        r.fromPostgres(SpendLogTest.URL, SpendLogTest.USER, null);
        assertThat(r.totals()).as(by + " per " + per).isEqualTo(fileTotals).hasSize(2);
        // read in slices of time to tell progress: the same rows and totals, and the commits read told as they grow
        List<Long> told = new ArrayList<>();
        assertThat(r.fromPostgres(SpendLogTest.URL, SpendLogTest.USER, null, told::add)).as(by + " per " + per)
            .isEqualTo(files);
        assertThat(r.totals()).isEqualTo(fileTotals);
        assertThat(told).hasSize(SpendReport.SLICES).isSorted()
            .endsWith(fileTotals.stream().mapToLong(SpendReport.Total::calls).sum());
        for (SpendReport.Total t : fileTotals) {
          List<SpendRecord> commits = all.stream().filter(x -> x.event() == SpendRecord.Event.COMMIT
              && x.currency().equals(t.currency())).toList();
          assertThat(t.calls()).isEqualTo(commits.size());
          assertThat(t.cost()).isEqualByComparingTo(commits.stream().map(SpendRecord::cost)
              .reduce(BigDecimal.ZERO, BigDecimal::add));
        }
      }
    }
  }
}
