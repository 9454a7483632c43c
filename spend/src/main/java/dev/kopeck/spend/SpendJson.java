package dev.kopeck.spend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A record as one line of JSON, and back. */
public final class SpendJson {
  private static final ObjectMapper M = new ObjectMapper();

  private SpendJson() {}

  public static String line(SpendRecord r) {
    ObjectNode o = M.createObjectNode();
    o.put("request_id", r.requestId());
    o.put("event", r.event().name().toLowerCase(Locale.ROOT));
    o.put("at", r.at().toString());
    ArrayNode sc = o.putArray("scopes");
    r.scopes().forEach(sc::add);
    putText(o, "model", r.model());
    putText(o, "provider", r.provider());
    putText(o, "currency", r.currency());
    if (r.cost() != null) {
      o.put("cost", r.cost().toPlainString());
    }
    o.put("reserved_nanos", r.reservedNanos());
    o.put("cost_nanos", r.costNanos());
    o.put("overspend_nanos", r.overspendNanos());
    o.put("late", r.late());
    o.put("usage_estimated", r.usageEstimated());
    o.put("input_tokens", r.inputTokens());
    o.put("cache_read_tokens", r.cacheReadTokens());
    o.put("cache_write_tokens", r.cacheWriteTokens());
    o.put("output_tokens", r.outputTokens());
    o.put("reasoning_tokens", r.reasoningTokens());
    putText(o, "reason", r.reason());
    return o.toString();
  }

  private static void putText(ObjectNode o, String k, String v) {
    if (v != null) {
      o.put(k, v);
    }
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
        text(o, "reason"));
  }

  private static String text(JsonNode o, String k) {
    return o.hasNonNull(k) ? o.get(k).asText() : null;
  }
}
