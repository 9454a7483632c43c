package dev.kopeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Progress is drawn only on a terminal: silent in a pipe (as here, under the test runner) and with --json. */
class ProgressTest {
  @Test
  void silentWhenStderrIsNoTerminalOrTheOutputIsJson() throws Exception {
    assertThat(Progress.stderrIsTerminal()).isFalse(); // surefire pipes the forked JVM's stderr
    for (boolean json : new boolean[] {false, true}) {
      StringWriter err = new StringWriter();
      try (Progress p = Progress.of(new PrintWriter(err, true), "kopeck reconcile", "lines", json)) {
        for (long i = 0; i < 1_000_000; i += 65_536) {
          p.at(i);
        }
        long[] seen = {0};
        p.counting(each -> each.accept(null)).forEach(r -> seen[0]++);
        assertThat(seen[0]).isEqualTo(1);
        assertThat(p.timing(() -> 42)).isEqualTo(42);
      }
      assertThat(err.toString()).isEmpty();
    }
  }

  @Test
  void reconcileInAPipePrintsNoProgress() throws Exception {
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < 70_000; i++) { // past the 65,536 lines at which progress is reported
      log.append("{\"id\":\"").append(i).append("\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}\n");
    }
    java.nio.file.Path f = java.nio.file.Files.createTempFile("kopeck-progress", ".jsonl");
    try {
      java.nio.file.Files.writeString(f, log);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Main.run(new String[] {"reconcile", "--default-model", "google/gemini-2.0-flash-001", f.toString()}, new PrintWriter(out, true),
          new PrintWriter(err, true));
      assertThat(code).isZero();
      assertThat(err.toString()).isEmpty();
      assertThat(out.toString()).startsWith("70,000 calls reconciled, 0 lines with errors");
    } finally {
      java.nio.file.Files.deleteIfExists(f);
    }
  }

  @Test
  void theLineSaysTheUnitsDoneTheTimeAndTheRate() {
    StringWriter err = new StringWriter();
    long[] now = {0};
    try (Progress p = Progress.drawn(new PrintWriter(err, true), "kopeck spend", "records", () -> now[0])) {
      now[0] = 1_000_000_000L;
      p.at(500_000); // before two seconds: nothing
      assertThat(err.toString()).isEmpty();
      now[0] = 4_000_000_000L;
      java.util.function.LongConsumer counter = p.counter();
      counter.accept(1_000_000); // as SpendReport tells it after each slice of the log in PostgreSQL
      assertThat(err.toString()).isEqualTo("\rkopeck spend: 1,000,000 records, 4 s, 250,000 records/s ");
      now[0] += 100_000_000L;
      p.at(1_100_000); // at most five times a second
      assertThat(err.toString()).doesNotContain("1,100,000");
    }
    assertThat(err.toString()).endsWith("\r\033[K"); // cleared at the end
  }

  @Test
  void nothingToTellWhenSilent() {
    assertThat(Progress.of(new PrintWriter(new StringWriter()), "kopeck spend", "records", true).counter()).isNull();
  }
}
