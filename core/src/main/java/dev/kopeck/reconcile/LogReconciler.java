package dev.kopeck.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kopeck.base.InputException;
import dev.kopeck.estimate.ChatRequest;
import dev.kopeck.estimate.internal.ChatRequestReader;
import dev.kopeck.usage.Usage;
import dev.kopeck.usage.internal.UsageReader;
import dev.kopeck.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Reconciles a log of calls, one JSON object a line: {@code {"id", "request", "response"}} (or
 * {@code "usage"} instead of {@code "response"}; {@code "timestamp"} optional, ISO or Unix seconds).
 * Streams: memory does not grow with the log. A malformed line never stops the run and is never
 * dropped silently: it is reported with its line number and counted in the summary's errors.
 */
public final class LogReconciler {
  private final Reconciler reconciler;

  public LogReconciler(Reconciler reconciler) {
    this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
  }

  /**
   * @param each receives every reconciled call (for per-call output), or null
   * @param errors receives every line that failed, or null
   * @param progress receives the line count every 65,536 lines, or null
   */
  public Summary run(String source, BufferedReader in, Consumer<Reconciliation> each,
      Consumer<Summary.LineError> errors, LongConsumer progress) {
    Summary s = new Summary();
    long line = 0;
    try {
      for (String text = in.readLine(); text != null; text = in.readLine()) {
        line++;
        if (progress != null && (line & 0xFFFF) == 0) {
          progress.accept(line);
        }
        handle(s, source, line, text, each, errors);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + source + " at line " + (line + 1), e);
    }
    s.lines = line;
    return s;
  }

  /**
   * As {@link #run(String, BufferedReader, Consumer, Consumer, LongConsumer)}, from bytes: each
   * line is decoded on its own, strictly, so a line that is not UTF-8 is reported (with the byte
   * offset in it) and the run goes on.
   */
  public Summary run(String source, java.io.InputStream in, Consumer<Reconciliation> each,
      Consumer<Summary.LineError> errors, LongConsumer progress) {
    Summary s = new Summary();
    long line = 0;
    byte[] buf = new byte[1 << 16];
    byte[] lineBuf = new byte[1024];
    int lineLen = 0;
    try (java.io.InputStream input = in) {
      int n;
      boolean pending = false;
      while ((n = input.read(buf)) >= 0) {
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          if (b == '\n') {
            line++;
            one(s, source, line, lineBuf, lineLen, each, errors, progress);
            lineLen = 0;
            pending = false;
          } else {
            if (lineLen == lineBuf.length) {
              lineBuf = java.util.Arrays.copyOf(lineBuf, lineLen * 2);
            }
            lineBuf[lineLen++] = b;
            pending = true;
          }
        }
      }
      if (pending) {
        line++;
        one(s, source, line, lineBuf, lineLen, each, errors, progress);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + source + " after line " + line, e);
    }
    s.lines = line;
    return s;
  }

  private void one(Summary s, String source, long line, byte[] bytes, int len, Consumer<Reconciliation> each,
      Consumer<Summary.LineError> errors, LongConsumer progress) {
    if (progress != null && (line & 0xFFFF) == 0) {
      progress.accept(line);
    }
    if (len > 0 && bytes[len - 1] == '\r') {
      len--;
    }
    String text = new String(bytes, 0, len, java.nio.charset.StandardCharsets.UTF_8);
    if (text.indexOf('\uFFFD') >= 0) {
      // replaced bytes, or a real U+FFFD: the strict decoder tells which, and where
      try {
        text = dev.kopeck.base.Utf8.decode(source + ", line " + line, java.util.Arrays.copyOf(bytes, len));
      } catch (InputException e) {
        report(s, source, line, e, errors);
        return;
      }
    }
    handle(s, source, line, text, each, errors);
  }

  /** Reconciles one line of text, or reports it; a blank line is skipped. */
  private void handle(Summary s, String source, long line, String text, Consumer<Reconciliation> each,
      Consumer<Summary.LineError> errors) {
    if (text.isBlank()) {
      return;
    }
    try {
      Reconciliation r = one(source, line, text);
      s.add(r);
      if (each != null) {
        each.accept(r);
      }
    } catch (InputException e) {
      report(s, source, line, e, errors);
    }
  }

  private static void report(Summary s, String source, long line, InputException e, Consumer<Summary.LineError> errors) {
    // an error that does not know where it is (an unknown model, no tariff in force) gets the line
    String msg = e.source() == null ? source + ", line " + line + ": " + e.getMessage() : e.getMessage();
    s.error(line, msg);
    if (errors != null) {
      errors.accept(new Summary.LineError(line, msg));
    }
  }

  private Reconciliation one(String source, long line, String text) {
    String where = source + ", line " + line;
    JsonNode o;
    try {
      o = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InputException(where, "column " + e.getLocation().getColumnNr(), "malformed JSON: "
          + firstLine(e.getOriginalMessage()));
    }
    if (o == null || !o.isObject()) {
      throw new InputException(where, "$", "expected a JSON object {\"id\", \"request\", \"response\"}");
    }
    JsonNode idNode = o.get("id");
    String id = idNode == null || idNode.isNull() ? "line " + line : idNode.asText();
    JsonNode request = nonNull(o.get("request"));
    JsonNode response = nonNull(o.has("response") ? o.get("response") : o.get("usage"));
    Instant ts = timestamp(where, o.get("timestamp"));
    ChatRequest req = request == null ? null : ChatRequestReader.read(where, "$.request", request, null);
    Usage usage = response == null || !UsageReader.carriesUsage(response) ? null
        : UsageReader.fromJson(where, o.has("response") ? "$.response" : "$.usage", response);
    return reconciler.reconcile(new Reconciler.Call(id, req, usage, ts), line,
        response == null ? "the log line has no response or usage" : "the response carries no usage");
  }

  private static JsonNode nonNull(JsonNode n) {
    return n == null || n.isNull() ? null : n;
  }

  private static Instant timestamp(String where, JsonNode t) {
    if (t == null || t.isNull()) {
      return null;
    }
    if (t.isNumber()) {
      if (!t.canConvertToLong()) {
        throw new InputException(where, "$.timestamp", "not a Unix time in seconds: " + t.asText());
      }
      return Instant.ofEpochSecond(t.asLong());
    }
    try {
      return Instant.parse(t.asText());
    } catch (DateTimeParseException e) {
      throw new InputException(where, "$.timestamp", "not an ISO instant or Unix seconds: \"" + t.asText() + "\"");
    }
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
