package dev.kopeck.spend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A record as one line of JSON, and back. */
public final class SpendJson {
  private static final ObjectMapper M = new ObjectMapper();

  private SpendJson() {}

  /**
   * One line of JSON, written directly (no tree): the journal writes one a call, and Jackson's tree
   * cost about as much as the rest of the append. {@link #parse} reads it back; SpendJsonTest holds
   * the two together.
   */
  public static String line(SpendRecord r) {
    StringBuilder b = new StringBuilder(400);
    b.append("{\"request_id\":");
    str(b, r.requestId());
    b.append(",\"event\":\"").append(r.event().name().toLowerCase(Locale.ROOT)).append("\",\"at\":\"")
        .append(r.at()).append("\",\"scopes\":[");
    for (int i = 0; i < r.scopes().size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      str(b, r.scopes().get(i));
    }
    b.append(']');
    opt(b, "model", r.model());
    opt(b, "provider", r.provider());
    opt(b, "currency", r.currency());
    if (r.cost() != null) {
      b.append(",\"cost\":\"").append(r.cost().toPlainString()).append('"');
    }
    b.append(",\"reserved_nanos\":").append(r.reservedNanos()).append(",\"cost_nanos\":").append(r.costNanos())
        .append(",\"overspend_nanos\":").append(r.overspendNanos()).append(",\"late\":").append(r.late())
        .append(",\"usage_estimated\":").append(r.usageEstimated()).append(",\"input_tokens\":").append(r.inputTokens())
        .append(",\"cache_read_tokens\":").append(r.cacheReadTokens()).append(",\"cache_write_tokens\":")
        .append(r.cacheWriteTokens()).append(",\"output_tokens\":").append(r.outputTokens())
        .append(",\"reasoning_tokens\":").append(r.reasoningTokens());
    opt(b, "reason", r.reason());
    opt(b, "tariff", r.tariff());
    if (r.estimatedInputTokens() >= 0) {
      b.append(",\"estimated_input_tokens\":").append(r.estimatedInputTokens());
    }
    return b.append('}').toString();
  }

  private static void opt(StringBuilder b, String key, String v) {
    if (v != null) {
      b.append(",\"").append(key).append("\":");
      str(b, v);
    }
  }

  /** A JSON string: quotes, backslashes and control characters escaped (a line holds no newline). */
  static void str(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    b.append('"');
  }

  /** A line written by {@link #line}. */
  public static SpendRecord parse(String line) throws java.io.IOException {
    JsonNode o = M.readTree(line);
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    for (String f : List.of("request_id", "event", "at")) {
      if (!o.path(f).isTextual()) {
        throw new IllegalArgumentException("\"" + f + "\" is missing or not a string");
      }
    }
    try {
      SpendRecord.Event.valueOf(o.get("event").asText().toUpperCase(Locale.ROOT));
      Instant.parse(o.get("at").asText());
    } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("unknown event \"" + o.get("event").asText() + "\" or time \""
          + o.get("at").asText() + "\"");
    }
    List<String> scopes = new ArrayList<>();
    o.path("scopes").forEach(s -> scopes.add(s.asText()));
    return new SpendRecord(o.path("request_id").asText(), SpendRecord.Event.valueOf(
        o.path("event").asText().toUpperCase(Locale.ROOT)), Instant.parse(o.path("at").asText()), scopes,
        text(o, "model"), text(o, "provider"), text(o, "currency"),
        o.has("cost") ? new java.math.BigDecimal(o.get("cost").asText()) : null, o.path("reserved_nanos").asLong(),
        o.path("cost_nanos").asLong(), o.path("overspend_nanos").asLong(), o.path("late").asBoolean(),
        o.path("usage_estimated").asBoolean(), o.path("input_tokens").asLong(), o.path("cache_read_tokens").asLong(),
        o.path("cache_write_tokens").asLong(), o.path("output_tokens").asLong(), o.path("reasoning_tokens").asLong(),
        text(o, "reason"), text(o, "tariff"), o.has("estimated_input_tokens") ? o.get("estimated_input_tokens").asLong()
        : -1);
  }

  private static String text(JsonNode o, String k) {
    return o.hasNonNull(k) ? o.get(k).asText() : null;
  }
}
