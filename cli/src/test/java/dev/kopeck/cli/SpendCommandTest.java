package dev.kopeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kopeck spend over a JSONL spend log: text, JSON and CSV; and its errors in one line. */
class SpendCommandTest {
  @TempDir
  Path dir;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  static String line(String id, String event, String at, String scopes, String cost, String currency) {
    return "{\"request_id\":\"" + id + "\",\"event\":\"" + event + "\",\"at\":\"" + at + "\",\"scopes\":[" + scopes
        + "],\"model\":\"google/gemini-2.0-flash-001\",\"provider\":\"routerai\",\"currency\":\"" + currency + "\""
        + (cost == null ? "" : ",\"cost\":\"" + cost + "\"") + ",\"reserved_nanos\":0,\"cost_nanos\":0,"
        + "\"overspend_nanos\":0,\"late\":false,\"usage_estimated\":false,\"input_tokens\":1000,"
        + "\"cache_read_tokens\":0,\"cache_write_tokens\":0,\"output_tokens\":200,\"reasoning_tokens\":0}";
  }

  static Run runWithStdin(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    java.io.InputStream saved = System.in;
    System.setIn(new java.io.ByteArrayInputStream(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    try {
      int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
      return new Run(code, out.toString(), err.toString());
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void spendByScopeAndDay() throws Exception {
    Path log = dir.resolve("spend.jsonl");
    Files.writeString(log, String.join("\n",
        line("a", "reserve", "2026-11-26T10:00:00Z", "\"team:ml\"", null, "RUB"),
        line("a", "commit", "2026-11-26T10:00:01Z", "\"team:ml\"", "0.027", "RUB"),
        line("a", "commit", "2026-11-26T10:00:01Z", "\"team:ml\"", "0.027", "RUB"), // written twice: counted once
        line("b", "commit", "2026-11-26T23:30:00Z", "\"team:ml\",\"org:x\"", "0.0105", "RUB"),
        line("c", "commit", "2026-11-27T08:00:00Z", "\"team:ml\"", "1.5", "USD")) + "\n");
    Run text = run("spend", log.toString());
    assertThat(text.code()).isZero();
    assertThat(text.out().lines().toList()).containsExactly(
        "day         scope    calls  input tokens  output tokens    cost  currency",
        "2026-11-26  org:x        1         1,000            200  0.0105  RUB",
        "2026-11-26  team:ml      2         2,000            400  0.0375  RUB",
        "2026-11-27  team:ml      1         1,000            200  1.5     USD",
        "total                    2         2,000            400  0.0375  RUB",
        "total                    1         1,000            200  1.5     USD");
    Run stdin = runWithStdin(Files.readString(log), "spend", "-");
    assertThat(stdin.out()).as(stdin.err()).isEqualTo(text.out());
    assertThat(run("spend", "--from", log.toString()).out()).isEqualTo(text.out());
    Run csv = run("spend", "--csv", "--per", "month", "--zone", "Europe/Moscow", log.toString());
    assertThat(csv.out().lines().toList()).containsExactly("period,scope,currency,cost,calls,input_tokens,output_tokens",
        "2026-11-01,org:x,RUB,0.0105,1,1000,200", "2026-11-01,team:ml,RUB,0.0375,2,2000,400",
        "2026-11-01,team:ml,USD,1.5,1,1000,200");
    Run json = run("spend", "--json", "--by", "model", log.toString());
    assertThat(json.out()).contains("\"model\":\"google/gemini-2.0-flash-001\"").contains("\"cost\":\"0.0375\"");
  }

  /** The ledger's store was lost: its limit set again, its spending rebuilt from the log, twice the same. */
  @Test
  void budgetRebuildFromTheLog() throws Exception {
    String prefix = "kopeck-cli-rebuild-" + java.util.UUID.randomUUID();
    String now = java.time.Instant.now().toString();
    Path log = dir.resolve("spend.jsonl");
    Files.writeString(log, String.join("\n",
        line("a", "commit", now, "\"team:ml\"", "0.027", "RUB").replace("\"cost_nanos\":0", "\"cost_nanos\":27000000"),
        line("b", "commit", now, "\"team:ml\",\"org:x\"", "0.5", "RUB").replace("\"cost_nanos\":0",
            "\"cost_nanos\":500000000"),
        line("c", "commit", "2020-01-01T00:00:00Z", "\"team:ml\"", "9", "RUB").replace("\"cost_nanos\":0",
            "\"cost_nanos\":9000000000")) + "\n"); // another month: not this period's spending
    try {
      assertThat(run("budget", "set-limit", "--prefix", prefix, "--limit", "5", "--period", "month", "team:ml").code())
          .isZero();
      for (int i = 0; i < 2; i++) {
        Run r = run("budget", "rebuild", "--prefix", prefix, "--scope", "team:ml", log.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("-> 0.527 RUB, from 2 commits");
      }
      assertThat(run("budget", "status", "--prefix", prefix, "team:ml").out()).contains("spent 0.527");
      Run none = run("budget", "rebuild", "--prefix", prefix, "--scope", "org:x", log.toString());
      assertThat(none.code()).isEqualTo(2);
      assertThat(none.err()).contains("org:x has no limit in the ledger: set its limit first");
    } finally {
      try (dev.kopeck.budget.redis.RedisLedger l = dev.kopeck.budget.redis.RedisLedger.builder()
          .url("redis://127.0.0.1:6379").prefix(prefix).build()) {
        l.deleteAll();
      }
    }
  }

  /** A scope's spending is rebuilt in its limit's currency; a commit in another is reported, never added (issue 28). */
  @Test
  void budgetRebuildNeverAddsTwoCurrencies() throws Exception {
    String prefix = "kopeck-cli-rebuild-cur-" + java.util.UUID.randomUUID();
    String now = java.time.Instant.now().toString();
    String log = String.join("\n",
        line("a", "commit", now, "\"team:ml\"", "0.115245", "RUB").replace("\"cost_nanos\":0",
            "\"cost_nanos\":115245000"),
        line("b", "commit", now, "\"team:ml\"", "0.088509", "USD").replace("\"cost_nanos\":0",
            "\"cost_nanos\":88509000")) + "\n";
    try {
      assertThat(run("budget", "set-limit", "--prefix", prefix, "--limit", "5", "--currency", "RUB", "--period", "month",
          "team:ml").code()).isZero();
      Run r = runWithStdin(log, "budget", "rebuild", "--prefix", prefix, "--scope", "team:ml", "-");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("-> 0.115245 RUB, from 1 commit; not added: 1 commit in USD (0.088509 USD)");
      assertThat(run("budget", "status", "--prefix", prefix, "team:ml").out()).contains("spent 0.115245");
    } finally {
      try (dev.kopeck.budget.redis.RedisLedger l = dev.kopeck.budget.redis.RedisLedger.builder()
          .url("redis://127.0.0.1:6379").prefix(prefix).build()) {
        l.deleteAll();
      }
    }
  }

  /** A cell a spreadsheet would run as a formula is defused; a line break inside a cell is quoted (OWASP). */
  @Test
  void csvCellsAreSafeInASpreadsheet() throws Exception {
    Path log = dir.resolve("spend.jsonl");
    Files.writeString(log, line("a", "commit", "2026-11-26T10:00:01Z", "\"=HYPERLINK(\\\"http://x\\\")\"", "0.027",
        "RUB") + "\n" + line("b", "commit", "2026-11-26T10:00:01Z", "\"team\\r\\nml\"", "0.5", "RUB") + "\n");
    Run csv = run("spend", "--csv", log.toString());
    assertThat(csv.code()).as(csv.err()).isZero();
    assertThat(csv.out()).contains("\n2026-11-26,\"'=HYPERLINK(\"\"http://x\"\")\",RUB,0.027,")
        .contains("\n2026-11-26,\"team\r\nml\",RUB,0.5,");
    assertThat(CsvCell.text("-1+2")).isEqualTo("'-1+2");
    assertThat(CsvCell.text("+x")).isEqualTo("'+x");
    assertThat(CsvCell.text("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(CsvCell.text("\tx")).isEqualTo("'\tx");
    assertThat(CsvCell.text("\rx")).isEqualTo("\"'\rx\"");
    assertThat(CsvCell.text("team:ml")).isEqualTo("team:ml");
  }

  @Test
  void everyDatabaseErrorIsOneLineSayingWhatToDo() {
    Run refused = run("spend", "--from", "postgresql://127.0.0.1:1/test");
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err().strip()).doesNotContain("\n")
        .endsWith("no server answers at that host and port: is PostgreSQL running there?");
    Run jdbcUrl = run("spend", "--from", "jdbc:postgresql://127.0.0.1:1/test?user=x");
    assertThat(jdbcUrl.err()).contains("is PostgreSQL running there?");
    // read through a pipe by reconcile: the failure reaches the end of the stream, not a shorter log
    Run reconcile = run("reconcile", "--from", "postgresql://127.0.0.1:1/test");
    assertThat(reconcile.code()).isEqualTo(2);
    assertThat(reconcile.err().strip()).doesNotContain("\n").contains("is PostgreSQL running there?");
  }

  /** A database without the log's table: one line that says how the table comes to be. */
  @Test
  void aDatabaseWithoutTheTableSaysHowItIsMade() throws Exception {
    String admin = "jdbc:postgresql://127.0.0.1:5432/test";
    java.sql.DriverManager.setLoginTimeout(3);
    String db = "kopeck_cli_notable_" + Long.toHexString(System.nanoTime());
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(admin, "postgres", null);
        java.sql.Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + db);
    } catch (java.sql.SQLException e) {
      org.junit.jupiter.api.Assumptions.assumeTrue(false, "no PostgreSQL at 127.0.0.1:5432 to create a database in: "
          + e.getMessage());
    }
    try {
      for (String[] args : new String[][] {{"spend", "--from", "postgresql://postgres@127.0.0.1:5432/" + db},
          {"report", "--html", dir.resolve("r.html").toString(), "--from", "jdbc:postgresql://127.0.0.1:5432/" + db
              + "?user=postgres"}}) {
        Run r = run(args);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("--from: PostgreSQL: the database has no spend log"
            + " table (kopeck_spend_log): it is created when a SpendLog with a PostgresSpendSink first writes to this"
            + " database");
      }
    } finally {
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(admin, "postgres", null);
          java.sql.Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + db);
      }
    }
  }

  @Test
  void reportWritesOnePage() throws Exception {
    Path log = dir.resolve("spend.jsonl");
    Files.writeString(log, line("a", "commit", "2026-11-26T10:00:01Z", "\"team:ml\"", "0.027", "RUB") + "\n");
    Path page = dir.resolve("r.html");
    Run r = run("report", "--html", page.toString(), log.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(page)).contains("<svg").contains("team:ml").contains("0.027");
    assertThat(run("report", "--html", page.toString()).err()).contains("give JSONL files (- for standard input) or --from");
    Path none = dir.resolve("none.html");
    Run empty = run("report", "--html", none.toString(), "--since", "2027-01-01", "--until", "2027-02-01", log.toString());
    assertThat(empty.code()).isEqualTo(2);
    assertThat(empty.err().strip()).isEqualTo("kopeck report: " + log + ": no records between 2027-01-01 and 2027-02-01:"
        + " no page written");
    assertThat(none).doesNotExist();
  }

  /**
   * One convention for inputs (issue 32): - is standard input and --from FILE is the file, in spend, report,
   * reconcile and budget rebuild alike; one call is "1 call".
   */
  @Test
  void dashAndFromMeanTheSameInEveryCommand() throws Exception {
    Path log = dir.resolve("spend.jsonl");
    String text = line("a", "commit", "2026-11-26T10:00:01Z", "\"team:ml\"", "0.027", "RUB") + "\n";
    Files.writeString(log, text);
    Run byFile = run("spend", log.toString());
    assertThat(byFile.out()).containsPattern("team:ml +1 +1,000 +200 +0\\.027 +RUB");
    assertThat(runWithStdin(text, "spend", "-").out()).isEqualTo(byFile.out());
    assertThat(run("spend", "--from", log.toString()).out()).isEqualTo(byFile.out());
    assertThat(runWithStdin(text, "spend", "--from", "-").out()).isEqualTo(byFile.out());
    // reconcile's FILEs are call logs; --from is the spend log, as in the others
    Run reconciled = run("reconcile", "--from", log.toString());
    assertThat(reconciled.code()).as(reconciled.err()).isZero();
    assertThat(reconciled.out()).startsWith("1 call reconciled, 0 lines with errors");
    assertThat(runWithStdin(text, "reconcile", "--from", "-").out()).isEqualTo(reconciled.out());
    for (String[] args : new String[][] {{"-"}, {"--from", log.toString()}, {"--from", "-"}}) {
      Path page = dir.resolve("r" + args.length + args[args.length - 1].length() + ".html");
      java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("report", "--html", page.toString()));
      all.addAll(java.util.List.of(args));
      Run r = runWithStdin(text, all.toArray(String[]::new));
      assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
      assertThat(Files.readString(page)).contains("team:ml").contains("0.027");
    }
    String prefix = "kopeck-cli-dash-" + java.util.UUID.randomUUID();
    try {
      assertThat(run("budget", "set-limit", "--prefix", prefix, "--limit", "5", "--currency", "RUB", "--period",
          "month", "team:ml").code()).isZero();
      String now = line("b", "commit", java.time.Instant.now().toString(), "\"team:ml\"", "0.027", "RUB")
          .replace("\"cost_nanos\":0", "\"cost_nanos\":27000000") + "\n";
      Path current = dir.resolve("now.jsonl");
      Files.writeString(current, now);
      Run fromStdin = runWithStdin(now, "budget", "rebuild", "--prefix", prefix, "--scope", "team:ml", "-");
      assertThat(fromStdin.code()).as(fromStdin.err()).isZero();
      assertThat(fromStdin.out()).contains("spent 0 -> 0.027 RUB, from 1 commit");
      Run fromFile = run("budget", "rebuild", "--prefix", prefix, "--scope", "team:ml", "--from", current.toString());
      assertThat(fromFile.code()).as(fromFile.err()).isZero();
      assertThat(fromFile.out()).contains("spent 0.027 -> 0.027 RUB, from 1 commit"); // the same commit, rebuilt again
    } finally {
      try (dev.kopeck.budget.redis.RedisLedger l = dev.kopeck.budget.redis.RedisLedger.builder()
          .url("redis://127.0.0.1:6379").prefix(prefix).build()) {
        l.deleteAll();
      }
    }
  }

  /** kopeck reconcile over the spend log in PostgreSQL equals it over the same records as JSONL, to the last digit. */
  @Test
  void reconcileFromTheDatabaseEqualsFromTheFile() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:5432/test";
    java.sql.DriverManager.setLoginTimeout(3);
    boolean up;
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "postgres", null)) {
      up = true;
    } catch (java.sql.SQLException e) {
      up = false;
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(up,
        "no PostgreSQL answers at 127.0.0.1:5432 (database test): .ci/run starts one");
    try (dev.kopeck.spend.PostgresSpendSink pg = new dev.kopeck.spend.PostgresSpendSink(url, "postgres", null)) {
      pg.migrate();
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "postgres", null);
          java.sql.Statement st = c.createStatement()) {
        st.execute("DELETE FROM kopeck_spend_log WHERE at >= '2032-01-01' AND at < '2033-01-01'");
      }
      java.util.List<dev.kopeck.spend.SpendRecord> records = new java.util.ArrayList<>();
      java.util.Random rnd = new java.util.Random(9);
      for (int i = 0; i < 200; i++) {
        long in = 100 + rnd.nextInt(5000);
        long out = 10 + rnd.nextInt(900);
        // the tariff's price (15 and 60 RUB a million), or now and then a charge that differs
        java.math.BigDecimal cost = java.math.BigDecimal.valueOf(in * 15 + out * 60, 6);
        if (i % 17 == 0) {
          cost = cost.add(new java.math.BigDecimal("0.05"));
        }
        records.add(new dev.kopeck.spend.SpendRecord("rc" + i, dev.kopeck.spend.SpendRecord.Event.COMMIT,
            java.time.Instant.parse("2032-03-01T00:00:00Z").plusSeconds(i * 3600L), java.util.List.of("team:ml"),
            "google/gemini-2.0-flash-001", "routerai", "RUB", cost, 0, 0, 0, false, false, in, 0, 0, out, 0, null));
      }
      pg.write(records);
      Path log = dir.resolve("spend.jsonl");
      try (dev.kopeck.spend.JsonlSpendSink j = new dev.kopeck.spend.JsonlSpendSink(log)) {
        j.write(records);
      }
      Run db = run("reconcile", "--json", "--from", "postgresql://postgres@127.0.0.1:5432/test", "--since", "2032-01-01",
          "--until", "2033-01-01");
      Run file = run("reconcile", "--json", "--from", log.toString());
      Run jdbc = run("reconcile", "--json", "--from", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres", "--since",
          "2032-01-01", "--until", "2033-01-01");
      assertThat(jdbc.out()).as(jdbc.err()).isEqualTo(db.out());
      assertThat(db.code()).as(db.err()).isZero();
      assertThat(file.code()).as(file.err()).isZero();
      com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
      assertThat(m.readTree(db.out())).isEqualTo(m.readTree(file.out()));
      assertThat(db.out()).contains("\"records\":200").contains("reported_cost_mismatch");
      Run none = run("reconcile", "--json", "--from", log.toString(), "--model", "openai/gpt-4o");
      assertThat(none.out()).contains("\"records\":0");
      Run scoped = run("reconcile", "--json", "--from", "postgresql://postgres@127.0.0.1:5432/test", "--since",
          "2032-01-01", "--until", "2033-01-01", "--scope", "team:ml", "--model", "google/gemini-2.0-flash-001");
      assertThat(m.readTree(scoped.out())).isEqualTo(m.readTree(db.out()));
    }
  }

  @Test
  void badInputIsOneLineAndExit2() throws Exception {
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"request_id\":\"a\"\n");
    Run r = run("spend", bad.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("kopeck spend: " + bad + ": line 1: not a spend record");
    assertThat(run("spend", dir.toString()).err()).contains("is a folder, not a file");
    assertThat(run("spend", "--from", "mysql://x/y").err()).contains("expected postgresql://USER[:PASSWORD]@HOST[:PORT]/DB");
    assertThat(run("spend", "--from", "postgresql://u:secret@127.0.0.1:1/db").err()).contains("u:***@")
        .doesNotContain("secret");
  }
}
