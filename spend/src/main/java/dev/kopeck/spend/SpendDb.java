package dev.kopeck.spend;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** The spend log in PostgreSQL read back as records, a batch of rows at a time (a cursor), in time order. */
public final class SpendDb {
  private SpendDb() {}

  /** Gives each record from {@code since} (or the first) to {@code until} (or the last) to {@code each}. */
  public static void forEach(String jdbcUrl, String user, String password, Instant since, Instant until,
      Consumer<SpendRecord> each) throws SQLException {
    try (Connection con = DriverManager.getConnection(jdbcUrl, user, password)) {
      con.setAutoCommit(false);
      try (PreparedStatement ps = con.prepareStatement("SELECT request_id, event, at, scopes, model, provider,"
          + " currency, cost, reserved_nanos, cost_nanos, overspend_nanos, late, usage_estimated, input_tokens,"
          + " cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, reason, tariff, coalesce(estimated_input_tokens, -1) FROM kopeck_spend_log"
          + " WHERE (?::timestamptz IS NULL OR at >= ?) AND (?::timestamptz IS NULL OR at < ?) ORDER BY at")) {
        ps.setFetchSize(10_000);
        Timestamp s = since == null ? null : Timestamp.from(since);
        Timestamp u = until == null ? null : Timestamp.from(until);
        ps.setTimestamp(1, s);
        ps.setTimestamp(2, s);
        ps.setTimestamp(3, u);
        ps.setTimestamp(4, u);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            each.accept(new SpendRecord(rs.getString(1), SpendRecord.Event.valueOf(rs.getString(2)
                .toUpperCase(Locale.ROOT)), rs.getTimestamp(3).toInstant(), List.of((String[]) rs.getArray(4).getArray()),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getBigDecimal(8), rs.getLong(9), rs.getLong(10),
                rs.getLong(11), rs.getBoolean(12), rs.getBoolean(13), rs.getLong(14), rs.getLong(15), rs.getLong(16),
                rs.getLong(17), rs.getLong(18), rs.getString(19), rs.getString(20), rs.getLong(21)));
          }
        }
      }
    }
  }
}
