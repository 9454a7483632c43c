package dev.kopeck.spend;

import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Assumptions;

/** The PostgreSQL the tests use, at 127.0.0.1:5432 (database test): .ci/run starts it. */
final class Pg {
  private static Boolean up;

  private Pg() {}

  /** Skips the test, saying so, when no PostgreSQL answers (as the Redis tests do without Redis). */
  static synchronized void assumeUp() {
    if (up == null) {
      DriverManager.setLoginTimeout(3);
      try (Connection c = DriverManager.getConnection(SpendLogTest.URL, SpendLogTest.USER, null)) {
        up = c.isValid(3);
      } catch (Exception e) {
        up = false;
      }
    }
    Assumptions.assumeTrue(up, "no PostgreSQL answers at 127.0.0.1:5432 (database test): .ci/run starts one");
  }
}
