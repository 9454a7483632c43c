package dev.kopeck.spend;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import java.util.Objects;

/**
 * Records in PostgreSQL, table {@code kopeck_spend_log}, keyed by request id and event: a batch is
 * one transaction of inserts that skip a record already stored ({@code ON CONFLICT DO NOTHING}), so
 * a retried batch adds nothing. The schema is created and migrated by versioned SQL in this module
 * ({@code schema/V1__spend_log.sql}, ...), recorded in {@code kopeck_schema_version}; a migration
 * runs once, under an advisory lock, whichever instance starts first: before the sink's first
 * batch, and again after a batch found the table missing (a database re-created under a running
 * log). A record PostgreSQL refuses as data (an id too long for the key's index, a NUL in a text, a
 * value out of range: SQL states 22, 23 and 54) is a {@link SpendSink.RefusedException}, so the log
 * sets it aside and the records after it go in; anything else (the database down, a connection
 * lost) is a failure the log retries. Connections come from a HikariCP pool.
 */
public final class PostgresSpendSink implements SpendSink {
  /** The migrations, in order: each runs once. */
  static final List<String> MIGRATIONS = List.of("V1__spend_log.sql", "V2__tariff.sql", "V3__expire.sql", "V4__estimate.sql");
  private static final String INSERT = "INSERT INTO kopeck_spend_log (request_id, event, at, scopes, model, provider,"
      + " currency, cost, reserved_nanos, cost_nanos, overspend_nanos, late, usage_estimated, input_tokens,"
      + " cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, reason, tariff,"
      + " estimated_input_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      + " ON CONFLICT (request_id, event) DO NOTHING";

  private final HikariDataSource pool;
  /** Whether the schema is known to be there; false at first and after a batch found it missing. */
  private volatile boolean migrated;

  /**
   * @param jdbcUrl {@code jdbc:postgresql://host:port/db}
   * @param user the database user, or null
   * @param password or null
   */
  public PostgresSpendSink(String jdbcUrl, String user, String password) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(Objects.requireNonNull(jdbcUrl, "jdbcUrl"));
    if (user != null) {
      c.setUsername(user);
    }
    if (password != null) {
      c.setPassword(password);
    }
    c.setMaximumPoolSize(2);
    c.setPoolName("kopeck-spend");
    c.setInitializationFailTimeout(-1); // a database down at start is retried by the log, not fatal here
    c.setConnectionTimeout(5_000);
    pool = new HikariDataSource(c);
  }

  /** Creates or migrates the schema, unless this sink knows it is there. */
  @Override
  public void prepare() throws SQLException, IOException {
    if (!migrated) {
      migrate();
      migrated = true;
    }
  }

  /** Creates or migrates the schema (once per version, whichever instance comes first). */
  public void migrate() throws SQLException, IOException {
    try (Connection con = pool.getConnection()) {
      con.setAutoCommit(false);
      try (Statement st = con.createStatement()) {
        st.execute("SELECT pg_advisory_xact_lock(7270270)"); // one migrating instance at a time
        st.execute("CREATE TABLE IF NOT EXISTS kopeck_schema_version (version int PRIMARY KEY, applied_at timestamptz"
            + " NOT NULL DEFAULT now())");
        int done = 0;
        try (ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM kopeck_schema_version")) {
          rs.next();
          done = rs.getInt(1);
        }
        for (int v = done + 1; v <= MIGRATIONS.size(); v++) {
          st.execute(sql(MIGRATIONS.get(v - 1)));
          st.execute("INSERT INTO kopeck_schema_version (version) VALUES (" + v + ")");
        }
      }
      con.commit();
    }
  }

  private static String sql(String name) throws IOException {
    try (InputStream in = PostgresSpendSink.class.getResourceAsStream("schema/" + name)) {
      if (in == null) {
        throw new IOException("the migration " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Override
  public void write(List<SpendRecord> batch) throws SQLException, IOException, RefusedException {
    prepare();
    try {
      insert(batch);
    } catch (SQLException e) {
      String state = state(e);
      if ("42P01".equals(state)) { // undefined_table: the database was re-created; migrate on the next try
        migrated = false;
      } else if (state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"))) {
        throw new RefusedException("PostgreSQL refused the record (SQL state " + state + "): "
            + SpendLog.shortText(message(e), 300), e);
      }
      throw e;
    }
  }

  /** The SQL state of the cause: a batch's own exception says only that the batch failed; its last next exception says why. */
  private static String state(SQLException e) {
    String state = e.getSQLState();
    for (SQLException x = e.getNextException(); x != null; x = x.getNextException()) {
      if (x.getSQLState() != null) {
        state = x.getSQLState();
      }
    }
    return state;
  }

  private static String message(SQLException e) {
    SQLException last = e;
    while (last.getNextException() != null) {
      last = last.getNextException();
    }
    return String.valueOf(last.getMessage());
  }

  private void insert(List<SpendRecord> batch) throws SQLException {
    try (Connection con = pool.getConnection()) {
      con.setAutoCommit(false);
      try (PreparedStatement ps = con.prepareStatement(INSERT)) {
        for (SpendRecord r : batch) {
          ps.setString(1, r.requestId());
          ps.setString(2, r.event().name().toLowerCase(java.util.Locale.ROOT));
          ps.setTimestamp(3, Timestamp.from(r.at()));
          ps.setArray(4, con.createArrayOf("text", r.scopes().toArray()));
          ps.setString(5, r.model());
          ps.setString(6, r.provider());
          ps.setString(7, r.currency());
          if (r.cost() == null) {
            ps.setNull(8, Types.NUMERIC);
          } else {
            ps.setBigDecimal(8, r.cost());
          }
          ps.setLong(9, r.reservedNanos());
          ps.setLong(10, r.costNanos());
          ps.setLong(11, r.overspendNanos());
          ps.setBoolean(12, r.late());
          ps.setBoolean(13, r.usageEstimated());
          ps.setLong(14, r.inputTokens());
          ps.setLong(15, r.cacheReadTokens());
          ps.setLong(16, r.cacheWriteTokens());
          ps.setLong(17, r.outputTokens());
          ps.setLong(18, r.reasoningTokens());
          ps.setString(19, r.reason());
          ps.setString(20, r.tariff());
          if (r.estimatedInputTokens() < 0) {
            ps.setNull(21, Types.BIGINT);
          } else {
            ps.setLong(21, r.estimatedInputTokens());
          }
          ps.addBatch();
        }
        ps.executeBatch();
      }
      con.commit();
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
