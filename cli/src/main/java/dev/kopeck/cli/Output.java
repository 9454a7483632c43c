package dev.kopeck.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON output: one compact object per line. */
final class Output {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Output() {}

  /** A count with its noun, singular for one: "1 input token", "1,410 input tokens". */
  static String count(long n, String noun) {
    return String.format(java.util.Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
  }

  static String json(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
