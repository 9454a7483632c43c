package dev.kopeck.spend;

import static dev.kopeck.testkit.GuardedClientContract.CLOCK;
import static dev.kopeck.testkit.GuardedClientContract.MODEL;
import static dev.kopeck.testkit.GuardedClientContract.TEAM;
import static dev.kopeck.testkit.GuardedClientContract.guard;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.estimate.ChatRequestParser;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.pricing.usage.Usage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spend log against the real PostgreSQL at 127.0.0.1:5432 (database test; .ci/run starts it):
 * every charge in the log exactly once through a failing sink, a database restart and a kill -9 of
 * the writing process; the JSONL sink's lines and rotation.
 */
class SpendLogTest {
  static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String USER = "postgres";

  @TempDir
  Path dir;
  String run;


  @BeforeEach
  void clean(org.junit.jupiter.api.TestInfo info) throws Exception {
    run = "t-" + UUID.randomUUID() + "-";
    if (info.getTestMethod().map(java.lang.reflect.Method::getName).orElse("").contains("Jsonl")) {
      return; // the JSONL sink needs no database
    }
    Pg.assumeUp();
    try (PostgresSpendSink s = new PostgresSpendSink(URL, USER, null)) {
      s.migrate();
    }
  }

  static long rows(String where) throws Exception {
    try (Connection c = DriverManager.getConnection(URL, USER, null); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM kopeck_spend_log WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static ChatRequest request() {
    return ChatRequestParser.parse("r", "{\"model\":\"" + MODEL + "\",\"max_tokens\":100,\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"Say hello.\"}]}");
  }

  @Test
  void aGuardsCallsAreRecordedOnceEach() throws Exception {
    InMemoryLedger ledger = InMemoryLedger.builder().clock(CLOCK).build();
    ledger.setLimit(TEAM, 1_000_000_000L, BudgetPeriod.MONTH);
    try (SpendLog log = SpendLog.builder(dir, new PostgresSpendSink(URL, USER, null)).clock(CLOCK).build()) {
      BudgetGuard g = guard(ledger).withListener(log);
      ChatRequest r = request();
      g.admit(run + "1", r, List.of(TEAM));
      g.charge(run + "1", r, Usage.of(1000, 200), false);
      g.admit(run + "2", r, List.of(TEAM));
      g.fail(run + "2", "upstream answered 500");
      ledger.setLimit(TEAM, 1, BudgetPeriod.MONTH);
      g.admit(run + "3", r, List.of(TEAM));
      assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
    }
    assertThat(rows("request_id LIKE '" + run + "%'")).isEqualTo(5);
    try (Connection c = DriverManager.getConnection(URL, USER, null); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT cost, cost_nanos, scopes[1], input_tokens, output_tokens, currency,"
            + " tariff FROM kopeck_spend_log WHERE request_id = '" + run + "1' AND event = 'commit'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("0.027");
      assertThat(rs.getLong(2)).isEqualTo(27_000_000L);
      assertThat(rs.getString(3)).isEqualTo("team:ml");
      assertThat(rs.getLong(4)).isEqualTo(1000);
      assertThat(rs.getLong(5)).isEqualTo(200);
      assertThat(rs.getString(6)).isEqualTo("RUB");
      assertThat(rs.getString(7)).isEqualTo("routerai google/gemini-2.0-flash-001 from 2025-02-05T00:00:00Z");
    }
    try (Connection c = DriverManager.getConnection(URL, USER, null); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT max(version) FROM kopeck_schema_version")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(PostgresSpendSink.MIGRATIONS.size()); // migrated, once
    }
    assertThat(rows("request_id = '" + run + "3' AND event = 'refuse'")).isEqualTo(1);
  }

  /** A reservation neither committed nor released within its time to live is recorded as expired; a late commit after it keeps its scopes. */
  @Test
  void anExpiredReservationIsRecorded() throws Exception {
    Instant[] now = {Instant.parse("2025-03-10T12:00:00Z")};
    java.time.Clock clock = new java.time.Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public java.time.Clock withZone(java.time.ZoneId z) {
        return this;
      }

      @Override
      public Instant instant() {
        return now[0];
      }
    };
    InMemoryLedger ledger = InMemoryLedger.builder().clock(clock).reservationTtl(Duration.ofSeconds(30)).build();
    ledger.setLimit(TEAM, 1_000_000_000L, BudgetPeriod.MONTH);
    dev.kopeck.core.estimate.Estimator est = dev.kopeck.core.estimate.Estimator.builder().clock(clock).build();
    try (SpendLog log = SpendLog.builder(dir, new PostgresSpendSink(URL, USER, null)).clock(clock).build()) {
      BudgetGuard g = new BudgetGuard(est, dev.kopeck.core.reconcile.Reconciler.builder().estimator(est).clock(clock).build(),
          ledger, clock).withListener(log);
      g.admit(run + "slow", request(), List.of(TEAM));
      now[0] = now[0].plusSeconds(31);
      log.recordExpiries();
      g.charge(run + "slow", request(), Usage.of(1000, 200), false); // the answer came after all
      assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
    }
    assertThat(rows("request_id = '" + run + "slow' AND event = 'expire' AND scopes[1] = 'team:ml'")).isEqualTo(1);
    assertThat(rows("request_id = '" + run + "slow' AND event = 'commit' AND late AND scopes[1] = 'team:ml'"))
        .isEqualTo(1);
  }

  /** A sink that fails its first tries, as a database that is down does: the same records go in once. */
  @Test
  void aFailingSinkIsRetriedAndNothingIsLostOrDoubled() throws Exception {
    PostgresSpendSink pg = new PostgresSpendSink(URL, USER, null);
    AtomicInteger failures = new AtomicInteger(3);
    SpendSink flaky = new SpendSink() {
      @Override
      public void write(List<SpendRecord> batch) throws Exception {
        pg.write(batch); // written, and then the acknowledgement is lost: the log must send it again
        if (failures.getAndDecrement() > 0) {
          throw new java.sql.SQLException("connection reset");
        }
      }

      @Override
      public void close() {
        pg.close();
      }
    };
    try (SpendLog log = SpendLog.builder(dir, flaky).batchSize(7).maxBackoff(Duration.ofMillis(100)).build()) {
      for (int i = 0; i < 50; i++) {
        log.append(record(run + i));
      }
      assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(log.backlogBytes()).isZero();
    }
    assertThat(rows("request_id LIKE '" + run + "%'")).isEqualTo(50);
  }

  static SpendRecord record(String id) {
    return new SpendRecord(id, SpendRecord.Event.COMMIT, CLOCK.instant(), List.of("team:ml"), MODEL, "routerai",
        "RUB", new java.math.BigDecimal("0.027"), 75_000_000L, 27_000_000L, 0, false, false, 1000, 0, 0, 200, 0, null);
  }

  /** The database restarts under a running log: the records of the outage wait in the journal, then go in. */
  @Test
  void aDatabaseRestartLosesNothing() throws Exception {
    Path ctl = Path.of("/usr/bin/pg_ctlcluster");
    Assumptions.assumeTrue(Files.isExecutable(ctl) && "root".equals(System.getProperty("user.name")),
        "restarting PostgreSQL needs pg_ctlcluster and root");
    try (SpendLog log = SpendLog.builder(dir, new PostgresSpendSink(URL, USER, null))
        .maxBackoff(Duration.ofMillis(200)).build()) {
      for (int i = 0; i < 20; i++) {
        log.append(record(run + "a" + i));
      }
      assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
      String version = Files.list(Path.of("/etc/postgresql")).findFirst().orElseThrow().getFileName().toString();
      Process stop = new ProcessBuilder(ctl.toString(), "--skip-systemctl-redirect", version, "main", "stop")
          .inheritIO().start();
      assertThat(stop.waitFor(60, TimeUnit.SECONDS)).isTrue();
      try {
        for (int i = 0; i < 20; i++) {
          log.append(record(run + "b" + i)); // the database is down: the calls go on
        }
        assertThat(log.flush(Duration.ofMillis(500))).isFalse();
        assertThat(log.backlogBytes()).isPositive();
      } finally {
        Process start = new ProcessBuilder(ctl.toString(), "--skip-systemctl-redirect", version, "main", "start")
            .inheritIO().start();
        assertThat(start.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(log.flush(Duration.ofSeconds(60))).isTrue();
    }
    assertThat(rows("request_id LIKE '" + run + "%'")).isEqualTo(40);
  }

  /**
   * A process writing records is killed with -9 after it said how many it appended: a log opened
   * on its folder ships every one of them, once.
   */
  @Test
  void aKilledWriterLosesNothingItAcknowledged() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Writer.class.getName(),
        dir.toString(), run, URL, USER).redirectErrorStream(true).start();
    java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
    int acknowledged = 0;
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith("appended ")) {
        acknowledged = Integer.parseInt(line.substring(9));
        if (acknowledged >= 2000) {
          break;
        }
      }
    }
    p.destroyForcibly(); // kill -9
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(acknowledged).isGreaterThanOrEqualTo(2000);
    try (SpendLog log = SpendLog.builder(dir, new PostgresSpendSink(URL, USER, null)).build()) {
      assertThat(log.flush(Duration.ofSeconds(60))).isTrue();
    }
    // every record it said it appended is there once; it may have appended a few more before the kill
    assertThat(rows("request_id LIKE '" + run + "%'")).isBetween((long) acknowledged, (long) acknowledged + 1000);
    try (Connection c = DriverManager.getConnection(URL, USER, null); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM kopeck_spend_log WHERE request_id IN ("
            + String.join(",", ids(run, acknowledged)) + ")")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(acknowledged);
    }
  }

  static List<String> ids(String run, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("'" + run + i + "'");
    }
    return out;
  }

  /** The process the test kills: appends records without end, saying how many after each. */
  public static final class Writer {
    public static void main(String[] a) throws Exception {
      SpendLog log = SpendLog.builder(Path.of(a[0]), new PostgresSpendSink(a[2], a[3], null)).batchSize(100).build();
      for (int i = 0; ; i++) {
        log.append(record(a[1] + i));
        System.out.println("appended " + (i + 1));
        System.out.flush();
      }
    }
  }

  @Test
  void theJsonlSinkWritesLinesAndRotates() throws Exception {
    Path f = dir.resolve("spend.jsonl");
    try (JsonlSpendSink s = new JsonlSpendSink(f, 2_000, 2, true)) {
      for (int i = 0; i < 20; i++) {
        s.write(List.of(record("j" + i)));
      }
    }
    List<SpendRecord> back = new ArrayList<>();
    for (String name : new String[] {"spend.jsonl.2", "spend.jsonl.1", "spend.jsonl"}) {
      File file = dir.resolve(name).toFile();
      if (file.exists()) {
        for (String l : Files.readAllLines(file.toPath())) {
          back.add(SpendJson.parse(l));
        }
      }
    }
    assertThat(Files.exists(dir.resolve("spend.jsonl.3"))).isFalse(); // two kept
    assertThat(back).isNotEmpty().allSatisfy(r -> assertThat(r.cost()).isEqualByComparingTo("0.027"));
    assertThat(back.get(back.size() - 1).requestId()).isEqualTo("j19");
    assertThat(SpendJson.parse(SpendJson.line(record("x")))).isEqualTo(record("x"));
  }
}
