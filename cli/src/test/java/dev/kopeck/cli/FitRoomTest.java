package dev.kopeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fit leaves room for what the request itself may produce, when that is more than --max-output; and
 * what cannot fit is one line naming the limit and what takes the room.
 */
class FitRoomTest {
  @TempDir Path dir;

  @Test
  void theRequestsOwnMaxTokensIsTheRoomLeftWhenLarger() throws Exception {
    StringBuilder text = new StringBuilder("hello");
    for (int i = 1; i < 1200; i++) {
      text.append(" hello"); // 1,200 gemma3 tokens
    }
    Path f = dir.resolve("r.json");
    Files.writeString(f, "{\"model\":\"google/gemini-2.0-flash-001\",\"max_tokens\":500,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"" + text + "\"}]}", StandardCharsets.UTF_8);
    CliTest.Result r = CliTest.run("fit", "--limit", "1000", "--max-output", "100", f.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("budget 500 (1,000 input limit - 500 output: the request's own max_tokens, more than"
        + " --max-output 100)");
    assertThat(r.err()).contains("cut $.messages[0].content from 1,200 to "); // counts with thousands separators
    // what was printed fits: its input and its max_tokens within the limit
    Path out = dir.resolve("out.json");
    Files.writeString(out, r.out(), StandardCharsets.UTF_8);
    CliTest.Result e = CliTest.run("estimate", "--json", out.toString());
    long input = new com.fasterxml.jackson.databind.ObjectMapper().readTree(e.out()).at("/input/total").asLong();
    assertThat(input + 500).isLessThanOrEqualTo(1000);
  }

  @Test
  void aSystemPromptOverTheBudgetIsNamedInOneLine() throws Exception {
    StringBuilder text = new StringBuilder("hello");
    for (int i = 1; i < 1200; i++) {
      text.append(" hello"); // 1,200 gemma3 tokens
    }
    Path f = dir.resolve("r.json");
    Files.writeString(f, "{\"model\":\"google/gemini-2.0-flash-001\",\"messages\":[{\"role\":\"system\","
        + "\"content\":\"" + text + "\"},{\"role\":\"user\",\"content\":\"hi\"}]}", StandardCharsets.UTF_8);
    CliTest.Result r = CliTest.run("fit", "--limit", "1000", "--max-output", "100", f.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines()).singleElement().asString()
        .startsWith("kopeck fit: " + f + ": cannot fit: ")
        .contains("over the budget of 900 (--limit 1,000 - 100 output); the room is taken by the system prompt 1,200"
            + " (never cut), the messages kept ")
        .doesNotContain("media").doesNotContain("tool");
  }
}
