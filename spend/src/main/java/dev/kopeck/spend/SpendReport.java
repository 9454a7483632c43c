package dev.kopeck.spend;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Spend by scope, model or provider, a day, a week or a month: the committed costs of a spend log,
 * exact, a currency kept apart from another. A call charged to two scopes counts in both when the
 * report is by scope. Read from JSONL logs (a line at a time, the first record of each request and
 * event kept) or from PostgreSQL (the database groups: one query, or one a slice of time when
 * the reader is told its progress).
 */
public final class SpendReport {
  /** What the rows are by. */
  public enum By { SCOPE, MODEL, PROVIDER }

  /** How long a row's period is. */
  public enum Per { DAY, WEEK, MONTH }

  /**
   * One row: in {@code period} (its first day), {@code key} spent {@code cost} of {@code currency}
   * in {@code calls} calls.
   */
  public record Row(LocalDate period, String key, String currency, BigDecimal cost, long calls, long inputTokens,
      long outputTokens) {}

  private final By by;
  private final Per per;
  private final ZoneId zone;
  private final Instant since;
  private final Instant until;

  /**
   * @param since the first instant counted, or null
   * @param until the first instant not counted, or null
   */
  public SpendReport(By by, Per per, ZoneId zone, Instant since, Instant until) {
    this.by = Objects.requireNonNull(by, "by");
    this.per = Objects.requireNonNull(per, "per");
    this.zone = Objects.requireNonNull(zone, "zone");
    this.since = since;
    this.until = until;
  }

  /**
   * A currency's total over the rows last read, each call counted once: a call charged to two scopes
   * is in both scopes' rows, and once here.
   */
  public record Total(String currency, BigDecimal cost, long calls, long inputTokens, long outputTokens) {}

  private volatile List<Total> totals = List.of();

  /** Each currency's total of what the last {@code from…} call read, each call once, in currency order. */
  public List<Total> totals() {
    return totals;
  }

  /**
   * The sums both readers add into: per period, key and currency (a call charged to two scopes in
   * both scopes' rows), and per currency (each group of calls once).
   */
  private static final class Tally {
    /** One group's running sums. */
    private static final class Sum {
      long calls;
      long in;
      long out;
      BigDecimal cost = BigDecimal.ZERO;

      void add(BigDecimal c, long n, long i, long o) {
        calls = Math.addExact(calls, n);
        in = Math.addExact(in, i);
        out = Math.addExact(out, o);
        cost = cost.add(c);
      }
    }

    private final Map<List<Object>, Sum> rows = new TreeMap<>(SpendReport::compareKeys);
    private final Map<String, Sum> totals = new TreeMap<>();

    /** {@code calls} calls of {@code period} in {@code currency}, charged to {@code keys}. */
    void add(LocalDate period, List<String> keys, String currency, BigDecimal cost, long calls, long in, long out) {
      for (String k : keys) {
        rows.computeIfAbsent(List.of(period, k, currency), x -> new Sum()).add(cost, calls, in, out);
      }
      totals.computeIfAbsent(currency, x -> new Sum()).add(cost, calls, in, out);
    }

    /** The rows, in order of period, key and currency (one order for every reader, whatever a database's collation). */
    List<Row> rows() {
      List<Row> out = new ArrayList<>();
      rows.forEach((k, v) -> out.add(new Row((LocalDate) k.get(0), (String) k.get(1), (String) k.get(2),
          v.cost.stripTrailingZeros(), v.calls, v.in, v.out)));
      return out;
    }

    List<Total> totals() {
      List<Total> out = new ArrayList<>();
      totals.forEach((c, v) -> out.add(new Total(c, v.cost.stripTrailingZeros(), v.calls, v.in, v.out)));
      return List.copyOf(out);
    }
  }

  /** The rows of JSONL logs, in order of period, key and currency. */
  public List<Row> fromJsonl(List<Path> files) throws IOException {
    try {
      return from(SpendCalls.files(files));
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e); // files throw nothing else
    }
  }

  /**
   * The rows of any source of records (JSONL read from standard input, a source that counts its
   * records as they pass), grouped here, in order of period, key and currency.
   *
   * @throws Exception what the source throws
   */
  public List<Row> from(SpendCalls.Source source) throws Exception {
    Tally tally = new Tally();
    source.forEach(r -> {
      if (r.event() != SpendRecord.Event.COMMIT || since != null && r.at().isBefore(since)
          || until != null && !r.at().isBefore(until)) {
        return;
      }
      List<String> keys = switch (by) {
        case SCOPE -> r.scopes().isEmpty() ? List.of("(none)") : r.scopes();
        case MODEL -> List.of(r.model() == null ? "(none)" : r.model());
        case PROVIDER -> List.of(r.provider() == null ? "(none)" : r.provider());
      };
      tally.add(start(LocalDate.ofInstant(r.at(), zone)), keys, r.currency() == null ? "" : r.currency(),
          r.cost() == null ? BigDecimal.ZERO : r.cost(), 1, r.inputTokens(), r.outputTokens());
    });
    totals = tally.totals();
    return tally.rows();
  }

  /** The rows of the spend log in PostgreSQL, grouped by the database, in one query. */
  public List<Row> fromPostgres(String jdbcUrl, String user, String password) throws SQLException {
    return fromPostgres(jdbcUrl, user, password, null);
  }

  /** How many slices of time a log is read in when the reader is told its progress. */
  static final int SLICES = 20;

  /**
   * The rows of the spend log in PostgreSQL, grouped by the database. With {@code progress}, the
   * window is read in {@value #SLICES} slices of time (between its first and last commit), each
   * grouped by the database, and {@code progress} is told the commits read after each: a query that
   * groups says nothing until it ends. Without, one query.
   *
   * @param progress told the number of commits read so far, or null
   */
  public List<Row> fromPostgres(String jdbcUrl, String user, String password, java.util.function.LongConsumer progress)
      throws SQLException {
    String trunc = per.name().toLowerCase(Locale.ROOT);
    String raw = switch (by) {
      case SCOPE -> "scopes";
      case MODEL -> "coalesce(model, '(none)')";
      case PROVIDER -> "coalesce(provider, '(none)')";
    };
    Tally tally = new Tally();
    try (Connection con = DriverManager.getConnection(jdbcUrl, user, password)) {
      con.setAutoCommit(false);
      try (java.sql.Statement hints = con.createStatement()) {
        // the planner cannot know how few groups there are and sorts 10 M rows to group them; hashing
        // them takes half the time (9.4 s against 5.2 s, bench SpendAt10M). For this transaction only.
        hints.execute("SET LOCAL work_mem = '64MB'");
        hints.execute("SET LOCAL enable_sort = off");
      }
      long read = 0;
      for (Instant[] slice : slices(con, progress == null ? 1 : SLICES)) {
        // grouped by the stored scopes' array (few groups), each array's scopes counted here: 4.6 s over 10 M rows
        // against 11-15 s unnesting every row (bench SpendAt10M); and each group is distinct calls, so the
        // currencies' totals come from the same rows, a call once. The zone and the bounds are written into the
        // query, not bound: a parameter the planner cannot see cost it its parallel plan (10 s against 5 s over
        // 10 M rows). A zone id holds no quote (ZoneId checked it).
        String sql = "SELECT date_trunc('" + trunc + "', at AT TIME ZONE '" + zone.getId() + "')::date AS p, " + raw
            + " AS g, coalesce(currency, '') AS c, sum(coalesce(cost, 0)) AS cost, count(*) AS n,"
            + " sum(input_tokens) AS it, sum(output_tokens) AS ot FROM kopeck_spend_log WHERE event = 'commit'"
            + bounds(slice[0], slice[1]) + " GROUP BY 1, 2, 3";
        try (java.sql.Statement st = con.createStatement(); ResultSet rs = st.executeQuery(sql)) {
          while (rs.next()) {
            List<String> keys;
            if (by == By.SCOPE) {
              String[] scopes = (String[]) rs.getArray(2).getArray();
              keys = scopes.length == 0 ? List.of("(none)") : List.of(scopes);
            } else {
              keys = List.of(rs.getString(2));
            }
            long n = rs.getLong(5);
            tally.add(rs.getDate(1).toLocalDate(), keys, rs.getString(3), rs.getBigDecimal(4), n, rs.getLong(6),
                rs.getLong(7));
            read += n;
          }
        }
        if (progress != null) {
          progress.accept(read);
        }
      }
      con.rollback(); // read only
    }
    totals = tally.totals();
    return tally.rows();
  }

  /** The window's condition on {@code at}, from {@code from} (or since) to {@code to} (or until); null: open. */
  private static String bounds(Instant from, Instant to) {
    return (from == null ? "" : " AND at >= '" + from + "'") + (to == null ? "" : " AND at < '" + to + "'");
  }

  /**
   * The window cut into {@code n} slices of equal time between its first and last commit, the first
   * and last open as the window is; one slice, the window, when {@code n} is 1 or there is nothing to cut.
   */
  private List<Instant[]> slices(Connection con, int n) throws SQLException {
    List<Instant[]> out = new ArrayList<>();
    if (n > 1) {
      try (java.sql.Statement st = con.createStatement(); ResultSet rs = st.executeQuery("SELECT min(at), max(at)"
          + " FROM kopeck_spend_log WHERE event = 'commit'" + bounds(since, until))) {
        rs.next();
        java.sql.Timestamp lo = rs.getTimestamp(1);
        java.sql.Timestamp hi = rs.getTimestamp(2);
        long micros = lo == null ? 0 : java.time.temporal.ChronoUnit.MICROS.between(lo.toInstant(), hi.toInstant());
        if (micros >= n) {
          Instant first = lo.toInstant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
          Instant from = since;
          for (int i = 1; i < n; i++) {
            Instant to = first.plus(micros / n * i, java.time.temporal.ChronoUnit.MICROS);
            out.add(new Instant[] {from, to});
            from = to;
          }
          out.add(new Instant[] {from, until});
          return out;
        }
      }
    }
    out.add(new Instant[] {since, until});
    return out;
  }

  private LocalDate start(LocalDate d) {
    return switch (per) {
      case DAY -> d;
      case WEEK -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> d.withDayOfMonth(1);
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compareKeys(List<Object> a, List<Object> b) {
    for (int i = 0; i < a.size(); i++) {
      int c = ((Comparable) a.get(i)).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
