package dev.kopeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command on mutated inputs: real bodies, requests, logs and tariff tables with bytes flipped,
 * cut, duplicated, numbers swapped for extreme ones. No input may end in exit 1 (an internal fault),
 * a stack trace, or more than one line on stderr for one file; an exit 0 of cost must carry a total
 * that is a non-negative decimal. The seed is fixed so a failure reruns; longer runs (docs/fuzz.md):
 * {@code mvn -pl cli test -Dtest=CliFuzzTest -DargLine="-Dkopeck.fuzz.rounds=4000 -Dkopeck.fuzz.seed=N"}.
 */
class CliFuzzTest {
  @TempDir Path dir;

  static final long SEED = Long.getLong("kopeck.fuzz.seed", 19);
  static final int ROUNDS = Integer.getInteger("kopeck.fuzz.rounds", 400);

  static final String[] EXTREMES = {"-1", "0", "9223372036854775807", "9223372036854775808", "1e308", "-0.0",
      "1.5", "NaN", "\"7\"", "null", "[]", "{}", "true", "1000000000000000", "4294967296"};

  /** One mutation of {@code s}: a flipped byte, a cut, a duplicated run, a number swapped for an extreme. */
  static byte[] mutate(Random r, byte[] s) {
    byte[] b = s.clone();
    switch (r.nextInt(5)) {
      case 0 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
      case 1 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
      case 2 -> {
        int from = r.nextInt(b.length);
        int len = Math.min(b.length - from, 1 + r.nextInt(40));
        byte[] out = new byte[b.length + len];
        System.arraycopy(b, 0, out, 0, from + len);
        System.arraycopy(b, from, out, from + len, b.length - from);
        b = out;
      }
      default -> {
        String t = new String(b, StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?").matcher(t);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
          spans.add(new int[] {m.start(), m.end()});
        }
        if (spans.isEmpty()) {
          b[r.nextInt(b.length)] ^= 0x20;
        } else {
          int[] sp = spans.get(r.nextInt(spans.size()));
          t = t.substring(0, sp[0]) + EXTREMES[r.nextInt(EXTREMES.length)] + t.substring(sp[1]);
          b = t.getBytes(StandardCharsets.ISO_8859_1);
        }
      }
    }
    return b.length == 0 ? new byte[] {'{'} : b;
  }

  @Test
  void noInputMakesAnyCommandFailInternally() throws Exception {
    String response = Files.readString(Path.of("../docs/examples/openai-response.json"));
    String request = Files.readString(Path.of("../docs/examples/multimodal-request.json"));
    String anthropic = "{\"type\":\"message\",\"model\":\"claude-sonnet-4-5-20250929\",\"usage\":{\"input_tokens\":100,"
        + "\"output_tokens\":20,\"cache_creation_input_tokens\":2000,\"cache_read_input_tokens\":500,"
        + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":1000,\"ephemeral_1h_input_tokens\":1000},"
        + "\"server_tool_use\":{\"web_search_requests\":2}}}";
    String gemini = "{\"modelVersion\":\"gemini-2.0-flash-001\",\"createTime\":\"2025-03-01T00:00:00Z\",\"usageMetadata\":"
        + "{\"promptTokenCount\":2000,\"candidatesTokenCount\":100,\"thoughtsTokenCount\":50,\"toolUsePromptTokenCount\":10,"
        + "\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":1742},{\"modality\":\"IMAGE\",\"tokenCount\":258}],"
        + "\"totalTokenCount\":2160}}";
    String sse = "data: {\"model\":\"gpt-4o\",\"choices\":[]}\n\ndata: {\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":10,"
        + "\"completion_tokens\":5,\"total_tokens\":15}}\n\ndata: [DONE]\n";
    String log = "{\"id\":\"a\",\"timestamp\":\"2025-03-01T10:00:00Z\",\"response\":" + response.strip() + "}\n"
        + "{\"id\":\"b\",\"provider\":\"aws\",\"timestamp\":1740830400000,\"response\":" + anthropic + "}\n"
        + "{\"id\":\"c\",\"request\":" + request.strip().replace("\n", " ") + ",\"usage\":{\"prompt_tokens\":1434,"
        + "\"completion_tokens\":50}}\n";
    String table = Files.readString(Path.of("../tariffs/src/main/resources/dev/kopeck/tariffs/tables/routerai-rub.json"));
    String[][] cases = {
        {"cost", response}, {"cost", anthropic}, {"cost", gemini}, {"cost", sse}, {"estimate", request},
        {"fit", request}, {"count", request}, {"reconcile", log}, {"models", table}};
    Random r = new Random(SEED);
    List<String> failures = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      String[] c = cases[round % cases.length];
      byte[] input = c[1].getBytes(StandardCharsets.UTF_8);
      int n = 1 + r.nextInt(3);
      for (int k = 0; k < n; k++) {
        input = mutate(r, input);
      }
      Path f = dir.resolve("in-" + round);
      Files.write(f, input);
      String[] args = switch (c[0]) {
        case "cost" -> new String[] {"cost", "--json", f.toString()};
        case "fit" -> new String[] {"fit", "--max-output", "100", f.toString()};
        case "models" -> new String[] {"models", "--tariff", f.toString()};
        default -> new String[] {c[0], f.toString()};
      };
      CliTest.Result res = CliTest.run(args);
      String what = "round " + round + " (" + String.join(" ", args) + "): exit " + res.code() + ", stderr "
          + res.err().strip();
      if (res.code() == 1 || res.err().contains("\tat ") || res.err().contains("Exception")) {
        failures.add(what);
      } else if (!c[0].equals("reconcile") && res.code() == 2 && res.err().strip().lines().count() != 1) {
        failures.add(what + " (not one line)");
      } else if (c[0].equals("cost") && res.code() == 0) {
        String total = new com.fasterxml.jackson.databind.ObjectMapper().readTree(res.out()).path("total").asText("");
        if (total.isEmpty() || new BigDecimal(total).signum() < 0) {
          failures.add(what + " (total " + total + ")");
        }
      }
    }
    assertThat(failures).as("seed " + SEED).isEmpty();
  }
}
