package dev.kopeck.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The in-place reading of a chunk's text gives what Jackson's tree gives, chunk after chunk. */
class ChunkTextTest {
  static final ObjectMapper M = new ObjectMapper();

  /** What Jackson says the chunk's text is: every string "content" of an object that is a "delta" value. */
  static void reference(JsonNode n, boolean isDelta, StringBuilder out) {
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (isDelta && e.getKey().equals("content") && e.getValue().isTextual()) {
          out.append(e.getValue().asText());
        }
        reference(e.getValue(), e.getKey().equals("delta"), out);
      }
    } else if (n.isArray()) {
      n.forEach(c -> reference(c, false, out));
    }
  }

  static String scanned(String chunk, boolean responses) {
    StringBuilder out = new StringBuilder();
    new ChunkText().append(chunk, 0, chunk.length(), responses, out);
    return out.toString();
  }

  static String words(Random r) {
    String[] pieces = {"Hello", " world", "\"quoted\"", "back\\slash", "tab\t", "line\n", "привет", "日本語", "😀",
        "\u0000", "\u001f", "/slash", "{\"content\":\"not me\"}", "", " ", "é"};
    StringBuilder b = new StringBuilder();
    for (int i = r.nextInt(4); i >= 0; i--) {
      b.append(pieces[r.nextInt(pieces.length)]);
    }
    return b.toString();
  }

  /** Random chunks as providers write them: several choices, role-only and tool-call deltas, nulls, extra fields. */
  @Test
  void givesWhatJacksonGivesOnTenThousandRandomChunks() throws Exception {
    Random r = new Random(42);
    for (int n = 0; n < 10_000; n++) {
      ObjectNode c = M.createObjectNode().put("id", "gen-" + n).put("object", "chat.completion.chunk");
      ArrayNode choices = c.putArray("choices");
      for (int k = r.nextInt(3); k >= 0; k--) {
        ObjectNode ch = choices.addObject().put("index", k);
        ObjectNode d = ch.putObject("delta");
        switch (r.nextInt(5)) {
          case 0 -> d.put("role", "assistant").put("content", "");
          case 1 -> d.putNull("content");
          case 2 -> d.putArray("tool_calls").addObject().put("index", 0).putObject("function")
              .put("name", "f").put("arguments", "{\"content\":\"" + words(r) + "\"}");
          case 3 -> d.put("reasoning_content", words(r)).put("content", words(r));
          default -> d.put("content", words(r));
        }
        if (r.nextBoolean()) {
          ch.putNull("finish_reason");
          ch.putObject("logprobs").putArray("content").addObject().put("token", "x").put("logprob", -0.5);
        }
      }
      if (r.nextBoolean()) {
        c.putObject("meta").putObject("delta").put("content", words(r)); // a "delta" object deeper than choices
      }
      String text = r.nextInt(4) == 0 ? M.writerWithDefaultPrettyPrinter().writeValueAsString(c) : M.writeValueAsString(c);
      if (r.nextInt(3) == 0) {
        text = text.replace("\\u0000", "\\u0000"); // Jackson's own escapes as written
      }
      StringBuilder expected = new StringBuilder();
      reference(M.readTree(text), false, expected);
      assertThat(scanned(text, false)).as(text).isEqualTo(expected.toString());
    }
  }

  @Test
  void readsEscapesAsJsonDefinesThem() {
    String chunk = "{\"choices\":[{\"delta\":{\"content\":\"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00\\u0041\"}}]}";
    assertThat(scanned(chunk, false)).isEqualTo("a\"b\\c/d\né😀A");
  }

  @Test
  void aKeyWrittenWithEscapesIsStillItsKey() {
    assertThat(scanned("{\"choices\":[{\"d\\u0065lta\":{\"cont\\u0065nt\":\"hi\"}}]}", false)).isEqualTo("hi");
  }

  @Test
  void aResponsesEventGivesItsTopLevelDelta() {
    assertThat(scanned("{\"type\":\"response.output_text.delta\",\"item_id\":\"m\",\"output_index\":0,"
        + "\"content_index\":0,\"delta\":\"Hel\\nlo\",\"logprobs\":[{\"delta\":\"no\"}]}", true)).isEqualTo("Hel\nlo");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "{", "{\"choices\":[{\"delta\":{\"content\":\"unterminated", "]]]}}}", "not json",
      "{\"choices\":[{\"delta\":{\"content\":\"a\\u12\"}}]}", "{\"a\":tru", "\"just a string\""})
  void malformedChunksStopQuietly(String chunk) {
    scanned(chunk, false);
    scanned(chunk, true);
  }

  @Test
  void aUsageOfNullIsNotAUsage() {
    assertThat(HttpChatGuard.hasUsageObject("data: {\"choices\":[],\"usage\":null}", 0)).isFalse();
    assertThat(HttpChatGuard.hasUsageObject("data: {\"choices\":[],\"usage\" : {\"prompt_tokens\":1}}", 0)).isTrue();
    assertThat(HttpChatGuard.hasUsageObject("data: {\"choices\":[{\"delta\":{\"content\":\"\\\"usage\\\" x\"}}]}", 0))
        .isFalse();
  }
}
