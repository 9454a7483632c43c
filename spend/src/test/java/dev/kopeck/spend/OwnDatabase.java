package dev.kopeck.spend;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * A database of the test's own on the shared PostgreSQL (made from {@code test}'s server, dropped
 * at the end), for tests that drop and re-create it: nobody else's tables are touched.
 */
final class OwnDatabase implements AutoCloseable {
  final String name = "kopeck_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  final String url = "jdbc:postgresql://127.0.0.1:5432/" + name;

  OwnDatabase() throws Exception {
    create();
  }

  void create() throws Exception {
    admin("CREATE DATABASE " + name);
  }

  /** Drops it with its connections (the log's pool is cut off, as a restore or a re-created database does). */
  void drop() throws Exception {
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private static void admin(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(SpendLogTest.URL, SpendLogTest.USER, null);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  long rows(String where) throws Exception {
    try (Connection c = DriverManager.getConnection(url, SpendLogTest.USER, null); Statement st = c.createStatement();
        var rs = st.executeQuery("SELECT count(*) FROM kopeck_spend_log WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  long sum(String column, String where) throws Exception {
    try (Connection c = DriverManager.getConnection(url, SpendLogTest.USER, null); Statement st = c.createStatement();
        var rs = st.executeQuery("SELECT coalesce(sum(" + column + "), 0) FROM kopeck_spend_log WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() throws Exception {
    drop();
  }
}
