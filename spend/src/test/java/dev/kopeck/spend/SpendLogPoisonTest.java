package dev.kopeck.spend;

import static dev.kopeck.testkit.GuardedClientContract.CLOCK;
import static dev.kopeck.testkit.GuardedClientContract.MODEL;
import static dev.kopeck.testkit.GuardedClientContract.TEAM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.testkit.GuardedClientContract;
import dev.kopeck.pricing.usage.Usage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records PostgreSQL will never take, journal lines of any length and a database lost under a
 * running log, against the real PostgreSQL, each test in a database of its own: the log keeps
 * flowing, and what it cannot ship is in its dead-letter file with the reason.
 */
class SpendLogPoisonTest {
  @TempDir
  Path dir;
  OwnDatabase db;
  String run;

  @BeforeEach
  void up() throws Exception {
    Pg.assumeUp();
    db = new OwnDatabase();
    run = "p-" + UUID.randomUUID() + "-";
  }

  @AfterEach
  void down() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  static SpendRecord withReason(String id, String reason) {
    return new SpendRecord(id, SpendRecord.Event.RELEASE, CLOCK.instant(), List.of("team:ml"), MODEL, null, null, null,
        0, 0, 0, false, false, 0, 0, 0, 0, 0, reason);
  }

  /** A 3 KB id is past the primary key's index limit, a NUL is not text to PostgreSQL: both set aside, the rest ship. */
  @Test
  void aRecordPostgresRefusesIsSetAsideAndTheRestShip() throws Exception {
    byte[] random = new byte[1500];
    new SecureRandom().nextBytes(random);
    String huge = run + HexFormat.of().formatHex(random); // 3,000+ characters that do not compress
    String nul = run + "nul\u0000id";
    try (SpendLog log = SpendLog.builder(dir, new PostgresSpendSink(db.url, SpendLogTest.USER, null)).batchSize(10)
        .maxBackoff(Duration.ofMillis(100)).build()) {
      log.append(SpendLogTest.record(run + "first"));
      log.append(SpendLogTest.record(huge));
      log.append(SpendLogTest.record(nul));
      for (int i = 0; i < 100; i++) {
        log.append(SpendLogTest.record(run + i));
      }
      assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(log.deadLettered()).isEqualTo(2);
      assertThat(log.lastDeadLetter()).contains("PostgreSQL refused the record").hasSizeLessThan(400);
      assertThat(log.lastFailure()).isNull();
    }
    assertThat(db.rows("request_id LIKE '" + run + "%'")).isEqualTo(101);
    List<String> dead = Files.readAllLines(dir.resolve("dead-letter.jsonl"));
    assertThat(dead).hasSize(2);
    ObjectMapper m = new ObjectMapper();
    JsonNode first = m.readTree(dead.get(0));
    assertThat(first.path("reason").asText()).contains("54000").contains("index row size");
    assertThat(first.path("record").path("request_id").asText()).isEqualTo(huge); // kept whole, to be repaired
    JsonNode second = m.readTree(dead.get(1));
    assertThat(second.path("reason").asText()).contains("SQL state 22");
    assertThat(second.path("record").path("request_id").asText()).isEqualTo(nul);
  }

  /** A 5 MB line (a record with a 5 MB reason) ships; the writer does not spin over it. */
  @Test
  void aFiveMegabyteJournalLineShips() throws Exception {
    String reason = "x".repeat(5 << 20);
    long cpuBefore;
    try (SpendLog log = SpendLog.builder(dir, new PostgresSpendSink(db.url, SpendLogTest.USER, null))
        .maxBackoff(Duration.ofMillis(100)).build()) {
      assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
      cpuBefore = writerCpu();
      log.append(SpendLogTest.record(run + "before"));
      log.append(withReason(run + "big", reason));
      log.append(SpendLogTest.record(run + "after"));
      assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(log.deadLettered()).isZero();
      assertThat(writerCpu() - cpuBefore).as("writer CPU, ns").isLessThan(5_000_000_000L);
    }
    assertThat(db.rows("request_id LIKE '" + run + "%'")).isEqualTo(3);
    assertThat(db.rows("request_id = '" + run + "big' AND length(reason) = " + reason.length())).isEqualTo(1);
  }

  /** A line past maxRecordBytes is copied aside a piece at a time and passed over; the records around it ship. */
  @Test
  void aLineLongerThanTheLimitIsSetAside() throws Exception {
    try (SpendLog log = SpendLog.builder(dir, new PostgresSpendSink(db.url, SpendLogTest.USER, null))
        .maxRecordBytes(1 << 20).maxBackoff(Duration.ofMillis(100)).build()) {
      log.append(SpendLogTest.record(run + "before"));
      log.append(withReason(run + "big", "y".repeat(5 << 20)));
      log.append(SpendLogTest.record(run + "after"));
      assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(log.deadLettered()).isEqualTo(1);
      assertThat(log.lastDeadLetter()).contains("longer than maxRecordBytes");
    }
    assertThat(db.rows("request_id LIKE '" + run + "%'")).isEqualTo(2);
    try (var files = Files.list(dir)) {
      Path raw = files.filter(p -> p.getFileName().toString().endsWith(".raw")).findFirst().orElseThrow();
      assertThat(Files.size(raw)).isGreaterThan(5 << 20);
      assertThat(SpendJson.parse(Files.readString(raw)).requestId()).isEqualTo(run + "big");
    }
  }

  /** The database dropped and created again under a running log: the schema is made again, the records go in. */
  @Test
  void aRecreatedDatabaseGetsItsSchemaAndTheRecords() throws Exception {
    try (SpendLog log = SpendLog.builder(dir, new PostgresSpendSink(db.url, SpendLogTest.USER, null))
        .maxBackoff(Duration.ofMillis(200)).build()) {
      for (int i = 0; i < 10; i++) {
        log.append(SpendLogTest.record(run + "a" + i));
      }
      assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
      db.drop();
      for (int i = 0; i < 10; i++) {
        log.append(SpendLogTest.record(run + "b" + i)); // the database is gone: the calls go on
      }
      assertThat(log.flush(Duration.ofMillis(500))).isFalse();
      db.create(); // empty: no table
      assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(log.deadLettered()).isZero();
    }
    assertThat(db.rows("request_id LIKE '" + run + "b%'")).isEqualTo(10);
  }

  /** The log creates its table when it starts, before any record: the folder-and-URL snippet is all a service writes. */
  @Test
  void theSchemaIsCreatedOnStart() throws Exception {
    try (SpendLog log = SpendLog.builder(dir, new PostgresSpendSink(db.url, SpendLogTest.USER, null)).build()) {
      assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() < deadline) {
        try {
          assertThat(db.rows("true")).isZero();
          return;
        } catch (java.sql.SQLException notYet) {
          Thread.sleep(20);
        }
      }
      throw new AssertionError("no kopeck_spend_log table 30 s after the log started");
    }
  }

  /**
   * The snippet of docs/spend-log.md, as written there, against a database made for it: 50 calls
   * of a guard, every reserve and commit in the table.
   */
  @Test
  void theDocumentedSnippetShipsEveryRecord() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "spend-log.md"));
    InMemoryLedger ledger = InMemoryLedger.builder().clock(CLOCK).build();
    ledger.setLimit(TEAM, 1_000_000_000_000L, BudgetPeriod.MONTH);
    BudgetGuard guard = GuardedClientContract.guard(ledger);
    String jdbcUrl = db.url;
    String user = SpendLogTest.USER;
    String password = null;
    // the snippet, line for line (checked against the doc below)
    dev.kopeck.spend.SpendLog log = dev.kopeck.spend.SpendLog.builder(dir,
        new dev.kopeck.spend.PostgresSpendSink(jdbcUrl, user, password)).build();
    BudgetGuard logged = guard.withListener(log);   // every integration built on it is logged
    // end of the snippet
    assertThat(doc).contains("""
        dev.kopeck.spend.SpendLog log = dev.kopeck.spend.SpendLog.builder(dir,
            new dev.kopeck.spend.PostgresSpendSink(jdbcUrl, user, password)).build();
        BudgetGuard logged = guard.withListener(log);   // every integration built on it is logged
        """);
    try (log) {
      ChatRequest r = SpendLogTest.request();
      for (int i = 0; i < 50; i++) {
        logged.admit(run + i, r, List.of(TEAM));
        logged.charge(run + i, r, Usage.of(1000, 200), false);
      }
      assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
    }
    assertThat(db.rows("request_id LIKE '" + run + "%' AND event = 'commit'")).isEqualTo(50);
    assertThat(db.rows("request_id LIKE '" + run + "%' AND event = 'reserve'")).isEqualTo(50);
  }

  private static long writerCpu() {
    var mx = ManagementFactory.getThreadMXBean();
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("kopeck-spend-writer"))
        .mapToLong(t -> Math.max(0, mx.getThreadCpuTime(t.getId()))).sum();
  }
}
