package dev.kopeck.core.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kopeck.base.InputException;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.estimate.internal.ChatRequestReader;
import dev.kopeck.pricing.usage.Usage;
import dev.kopeck.pricing.usage.internal.UsageReader;
import dev.kopeck.pricing.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Reconciles a log of calls, one JSON object a line: {@code {"id", "request", "response"}} (or
 * {@code "usage"} instead of {@code "response"}; {@code "timestamp"} optional, ISO or a Unix time in seconds or a finer unit).
 * Streams: what it keeps is a 64-bit hash of each call id (a call logged twice is reported and counted
 * once), 16 to 32 bytes a call. A malformed line never stops the run and is never
 * dropped silently: it is reported with its line number and counted in the summary's errors.
 */
public final class LogReconciler {
  private final Reconciler reconciler;

  public LogReconciler(Reconciler reconciler) {
    this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
  }

  /**
   * What a run tells as it goes; every method does nothing unless overridden. Calls come in log
   * order, on the thread that called {@link #run}.
   */
  public interface Listener {
    /** A call reconciled (for per-call output such as CSV rows). */
    default void call(Reconciliation r) {}

    /** A line that could not be reconciled; the run goes on. */
    default void error(Summary.LineError e) {}

    /** The number of lines read so far, every 65,536 lines. */
    default void progress(long lines) {}
  }

  /** Nothing told along the way: only the summary. */
  public static final Listener QUIET = new Listener() {};

  /**
   * Reconciles every line of {@code in} (which it closes). Each line is decoded on its own,
   * strictly, so a line that is not UTF-8 is reported (with the byte offset in it) and the run goes on.
   *
   * @param source names the log in errors (a file name)
   */
  public Summary run(String source, java.io.InputStream in, Listener listener) {
    Summary s = new Summary();
    CallIds ids = new CallIds();
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
            one(s, ids, source, line, lineBuf, lineLen, listener);
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
        one(s, ids, source, line, lineBuf, lineLen, listener);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + source + " after line " + line, e);
    }
    s.lines = line;
    return s;
  }

  private void one(Summary s, CallIds ids, String source, long line, byte[] bytes, int len, Listener listener) {
    if ((line & 0xFFFF) == 0) {
      listener.progress(line);
    }
    if (len > 0 && bytes[len - 1] == '\r') {
      len--;
    }
    // parsed from the bytes as they are: no String of the line, no char[] copy of it (a line holding
    // 11 MB of base64 audio ran out of a 64 MB heap with both)
    if (blank(bytes, len)) {
      return;
    }
    try {
      Reconciliation r = one(source, line, bytes, len);
      if (!r.id().equals("line " + line) && !ids.add(r.id())) {
        // a call logged twice (a retried write, a log shipped twice) is one charge, not two
        throw new InputException(source + ", line " + line, "$.id", "call \"" + r.id() + "\" was reconciled on an"
            + " earlier line; this one is left out of the totals");
      }
      s.add(r);
      listener.call(r);
    } catch (InputException e) {
      report(s, source, line, e, listener);
    }
  }

  private static boolean blank(byte[] b, int len) {
    for (int i = 0; i < len; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
        return false;
      }
    }
    return true;
  }

  private static void report(Summary s, String source, long line, InputException e, Listener listener) {
    // an error that does not know where it is (an unknown model, no tariff in force), or knows only its
    // JSON path (a medium inside the request), gets the file and the line
    String msg = e.source() == null || e.source().startsWith("$") ? source + ", line " + line + ": " + e.getMessage()
        : e.getMessage();
    s.error(line, msg);
    listener.error(new Summary.LineError(line, msg));
  }

  private Reconciliation one(String source, long line, byte[] bytes, int len) {
    String where = source + ", line " + line;
    JsonNode o;
    try {
      o = Json.MAPPER.readTree(bytes, 0, len);
    } catch (JsonProcessingException e) {
      if (String.valueOf(e.getOriginalMessage()).contains("UTF-8")) {
        // the strict decoder says where the bad byte is (it throws), as for every other input
        dev.kopeck.base.Utf8.decode(where, java.util.Arrays.copyOf(bytes, len));
      }
      throw new InputException(where, e.getLocation() == null ? null : "column " + e.getLocation().getColumnNr(),
          "malformed JSON: " + Json.plain(e));
    } catch (NumberFormatException e) {
      throw Json.numberError(where, null, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a byte array: does not happen
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
    java.util.Currency chargeCurrency = null;
    JsonNode cc = nonNull(o.get("currency"));
    if (cc != null) {
      try {
        chargeCurrency = java.util.Currency.getInstance(cc.asText());
      } catch (IllegalArgumentException e) {
        throw new InputException(where, "$.currency", "not an ISO 4217 currency code: \"" + cc.asText() + "\"");
      }
    }
    JsonNode pn = nonNull(o.get("provider"));
    String provider = pn == null ? null : pn.asText();
    return reconciler.reconcile(new Reconciler.Call(id, req, usage, ts, chargeCurrency, provider, null), line,
        response == null ? "the log line has no response or usage" : "the response carries no usage",
        () -> usage != null && o.has("response") ? response.toString() : null);
  }

  private static JsonNode nonNull(JsonNode n) {
    return n == null || n.isNull() ? null : n;
  }

  private static Instant timestamp(String where, JsonNode t) {
    if (t == null || t.isNull()) {
      return null;
    }
    if (t.isNumber()) {
      Instant i = t.canConvertToLong() && t.isIntegralNumber()
          ? dev.kopeck.base.internal.UnixTime.parse(t.asLong()) : null;
      if (i == null) {
        throw new InputException(where, "$.timestamp", "expected " + dev.kopeck.base.internal.UnixTime.EXPECTED
            + ", found " + t.asText());
      }
      return i;
    }
    try {
      return Instant.parse(t.asText());
    } catch (DateTimeParseException e) {
      throw new InputException(where, "$.timestamp", "not an ISO instant or a Unix time: \"" + t.asText() + "\"");
    }
  }
}
