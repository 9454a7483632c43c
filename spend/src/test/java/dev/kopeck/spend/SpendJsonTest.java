package dev.kopeck.spend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The journal's hand-written JSON is JSON, and reads back to the record, whatever its names hold. */
class SpendJsonTest {
  @Test
  void linesAreJsonAndReadBack() throws Exception {
    String odd = "team \"ml\" \\ \n\t\u0001 привет 😀";
    for (SpendRecord r : List.of(
        new SpendRecord(odd, SpendRecord.Event.COMMIT, Instant.parse("2026-11-27T10:00:00.123456Z"), List.of(odd, "x"),
            odd, "routerai", "RUB", new BigDecimal("0.000000027"), 1, 2, 3, true, true, 4, 5, 6, 7, 8, odd, odd, 42),
        new SpendRecord("r", SpendRecord.Event.REFUSE, Instant.EPOCH, List.of(), null, null, null, null, 0, 0, 0, false,
            false, 0, 0, 0, 0, 0, null))) {
      String line = SpendJson.line(r);
      assertThat(line).doesNotContain("\n");
      new ObjectMapper().readTree(line); // valid JSON
      assertThat(SpendJson.parse(line)).isEqualTo(r);
    }
  }
}
