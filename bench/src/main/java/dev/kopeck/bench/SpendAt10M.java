package dev.kopeck.bench;

import dev.kopeck.spend.PostgresSpendSink;
import dev.kopeck.spend.SpendReport;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;

/**
 * {@code kopeck spend} over 10 million records in PostgreSQL: seeds database {@code kopeck_bench} at
 * 127.0.0.1:5432 once (generate_series: 10 M commits over a year, 50 scopes, 20 models, two
 * currencies), then times the report by scope a day and by model a month, three times each, in one
 * query and in the slices of time it is read in while {@code kopeck spend} shows progress.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.kopeck.bench.SpendAt10M</pre>
 */
public final class SpendAt10M {
  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", null);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'kopeck_bench'")) {
      if (!rs.next()) {
        st.execute("CREATE DATABASE kopeck_bench");
      }
    }
    String url = "jdbc:postgresql://127.0.0.1:5432/kopeck_bench";
    try (PostgresSpendSink sink = new PostgresSpendSink(url, "postgres", null)) {
      sink.migrate();
    }
    try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement st = c.createStatement()) {
      long have;
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM kopeck_spend_log")) {
        rs.next();
        have = rs.getLong(1);
      }
      if (have < rows) {
        long t = System.nanoTime();
        st.execute("TRUNCATE kopeck_spend_log");
        st.execute("INSERT INTO kopeck_spend_log SELECT 'b' || i, 'commit', timestamptz '2025-01-01' + (i % 31536000)"
            + " * interval '1 second', ARRAY['team:' || (i % 50)], 'model-' || (i % 20), 'routerai',"
            + " CASE WHEN i % 7 = 0 THEN 'USD' ELSE 'RUB' END, (i % 100000) / 1000000.0, 0, 0, 0, false, false, 1000,"
            + " 0, 0, 200, 0, null FROM generate_series(1, " + rows + ") i");
        st.execute("ANALYZE kopeck_spend_log");
        System.out.printf("seeded %,d rows in %.1f s%n", rows, (System.nanoTime() - t) / 1e9);
      }
    }
    for (int k = 0; k < 3; k++) {
      for (Object[] q : new Object[][] {{SpendReport.By.SCOPE, SpendReport.Per.DAY}, {SpendReport.By.MODEL,
          SpendReport.Per.MONTH}}) {
        for (boolean sliced : new boolean[] {false, true}) {
          long t = System.nanoTime();
          long[] told = {0};
          int n = new SpendReport((SpendReport.By) q[0], (SpendReport.Per) q[1], ZoneId.of("UTC"), null, null)
              .fromPostgres(url, "postgres", null, sliced ? r -> told[0] = r : null).size();
          System.out.printf("by %s per %s%s: %,d rows in %.2f s%n", q[0], q[1], sliced ? ", in slices (progress told "
              + String.format("%,d", told[0]) + ")" : "", n, (System.nanoTime() - t) / 1e9);
        }
      }
    }
  }
}
