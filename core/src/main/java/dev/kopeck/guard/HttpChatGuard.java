package dev.kopeck.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.budget.Admission;
import dev.kopeck.budget.Scope;
import dev.kopeck.estimate.ChatRequest;
import dev.kopeck.estimate.ChatRequestParser;
import dev.kopeck.usage.Usage;
import dev.kopeck.usage.UsageParser;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What every HTTP integration does around an OpenAI-compatible call, whatever the client: the
 * OkHttp interceptor and the {@code java.net.http} client are thin adapters over it.
 *
 * <p>{@link #start} reads a {@code POST …/chat/completions} or {@code POST …/responses} body,
 * estimates it and reserves its worst case, and answers either with an {@link Answer} to give the
 * caller instead of calling upstream (402 over budget, 400 when the request cannot be estimated) or
 * with a {@link Call}: the body to send (a chat stream asks for its usage), the request id to send
 * as {@value #REQUEST_ID_HEADER}, and the methods the adapter calls as the answer arrives. Each call
 * ends exactly once: committed from the usage the response reports (or, for a stream that ended
 * without one, from an estimate of the prompt and the text received, flagged as such), or released
 * when the call failed or was answered with an error. The guard's {@link GuardListener} hears of each.
 */
public final class HttpChatGuard {
  /** The header a caller's idempotency key comes in; a retry with the same key is charged once. */
  public static final String REQUEST_ID_HEADER = "Idempotency-Key";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final BudgetGuard guard;

  /** @param guard reserves and commits, and tells its {@link GuardListener} */
  public HttpChatGuard(BudgetGuard guard) {
    this.guard = Objects.requireNonNull(guard, "guard");
  }

  /** True for the calls the guard charges: a POST to a path ending in /chat/completions or /responses. */
  public static boolean guards(String method, String path) {
    return "POST".equals(method) && (path.endsWith("/chat/completions") || path.endsWith("/responses"));
  }

  /** What {@link #start} decided. */
  public sealed interface Start permits Answer, Call {}

  /**
   * An answer in OpenAI's error format, made here: upstream is not called.
   *
   * @param status 402 when over budget, 400 when the request cannot be estimated
   * @param reason the HTTP reason phrase
   * @param body the JSON error
   */
  public record Answer(int status, String reason, String body) implements Start {}

  /**
   * Starts a call: estimates the request, reserves its worst case on {@code scopes}.
   *
   * @param body the request body as the caller sent it
   * @param requestId the caller's idempotency key, or null or blank to have one made
   * @param scopes the scopes the call is charged to; asked once, and its failure refuses the call
   */
  public Start start(String body, String requestId, Supplier<List<Scope>> scopes) {
    String id = requestId == null || requestId.isBlank() ? "kopeck-" + UUID.randomUUID() : requestId;
    ChatRequest chat;
    JsonNode tree;
    try {
      chat = ChatRequestParser.parse("request " + id, body); // first: its errors are said in plain words
      tree = JSON.readTree(body);
    } catch (IOException | RuntimeException e) {
      return cannotEstimate(e);
    }
    boolean responses = chat.shape() == ChatRequest.Shape.OPENAI_RESPONSES;
    boolean stream = tree.path("stream").asBoolean(false);
    boolean askedUsage = false;
    String upstream = body;
    if (stream && !responses && !tree.path("stream_options").path("include_usage").asBoolean(false)) {
      askedUsage = true;
      // a chat stream reports its usage only when asked: ask, so the cost committed is the one billed
      ObjectNode o = (ObjectNode) tree;
      JsonNode so = o.path("stream_options");
      ObjectNode options = so.isObject() ? (ObjectNode) so : o.putObject("stream_options");
      options.put("include_usage", true);
      try {
        upstream = JSON.writeValueAsString(o);
      } catch (IOException e) {
        return cannotEstimate(e);
      }
    }
    Admission a;
    try {
      a = guard.admit(id, chat, scopes.get());
    } catch (RuntimeException e) {
      return cannotEstimate(e);
    }
    if (!a.granted()) {
      return error(402, "Payment Required", "insufficient_budget", "budget_exceeded",
          BudgetRefusedException.describe((Admission.Refusal) a));
    }
    return new Call(id, chat, upstream, stream, responses, askedUsage);
  }

  /** Whether {@code "usage"} follows {@code from} in {@code l} with an object for its value (not null). */
  static boolean hasUsageObject(String l, int from) {
    for (int k = l.indexOf("\"usage\"", from); k >= 0; k = l.indexOf("\"usage\"", k + 7)) {
      int v = k + 7;
      while (v < l.length() && (l.charAt(v) <= ' ' || l.charAt(v) == ':')) {
        v++;
      }
      if (v < l.length() && l.charAt(v) == '{') {
        return true;
      }
    }
    return false;
  }

  /** Not a request Kopeck can estimate: refused here, not let through without a budget. */
  private static Answer cannotEstimate(Exception e) {
    return error(400, "Bad Request", "invalid_request_error", "kopeck_cannot_estimate",
        "Kopeck cannot estimate this request, so it cannot be charged to a budget: " + e.getMessage());
  }

  private static Answer error(int status, String reason, String type, String code, String message) {
    ObjectNode e = JsonNodeFactory.instance.objectNode();
    ObjectNode err = e.putObject("error");
    err.put("message", message);
    err.put("type", type);
    err.putNull("param");
    err.put("code", code);
    return new Answer(status, reason, e.toString());
  }

  /**
   * A call admitted and reserved. The adapter sends {@link #body()} with {@link #id()} as
   * {@value #REQUEST_ID_HEADER}, then calls {@link #failed} if no answer came, {@link #answered}
   * with the status, and then {@link #completed} with a whole JSON body, or {@link #line} for each
   * line of a stream and {@link #ended} when it ends, fails or is closed. Whatever is called after
   * the call ended is ignored, so an adapter may call {@link #ended} from every way out.
   */
  public final class Call implements Start {
    private final String id;
    private final ChatRequest chat;
    private final String body;
    private final boolean stream;
    private final boolean responses;
    private final boolean hideUsage;
    private final StringBuilder received = new StringBuilder();
    private final ChunkText chunks = new ChunkText();
    private String usageText;
    private boolean skipBlank;
    private boolean done;

    private Call(String id, ChatRequest chat, String body, boolean stream, boolean responses, boolean hideUsage) {
      this.id = id;
      this.chat = chat;
      this.body = body;
      this.stream = stream;
      this.responses = responses;
      this.hideUsage = hideUsage;
    }

    /** The request id: the caller's idempotency key, or one made for this call. */
    public String id() {
      return id;
    }

    /** The body to send upstream. */
    public String body() {
      return body;
    }

    /** True when the response is a stream of server-sent events. */
    public boolean stream() {
      return stream;
    }

    /** The request as Kopeck read it. */
    public ChatRequest request() {
      return chat;
    }

    /** No answer came (a transport error, a timeout): the reservation is released. */
    public void failed(String why) {
      if (!done) {
        done = true;
        guard.fail(id, why);
      }
    }

    /** Returns true if the answer is a success to read on; otherwise the reservation is released. */
    public boolean answered(int status) {
      if (status / 100 == 2) {
        return true;
      }
      failed("upstream answered " + status);
      return false;
    }

    /** A whole JSON answer arrived: its usage is committed. */
    public void completed(String responseBody) {
      if (!done) {
        done = true;
        commit("response of " + id, responseBody, null);
      }
    }

    /**
     * A line of the stream, its newline included or not: looked at once. Returns false when the line
     * is not to be passed to the caller: the usage-only chunk the guard asked for and the caller did
     * not, and the blank line that ends its event.
     */
    public boolean line(CharSequence line) {
      String l = line.toString(); // a String is itself: the tap makes nothing per line but what it keeps
      int from = 0;
      int to = l.length();
      while (from < to && l.charAt(from) <= ' ') {
        from++;
      }
      while (to > from && l.charAt(to - 1) <= ' ') {
        to--;
      }
      if (skipBlank && from == to) {
        skipBlank = false;
        return false;
      }
      skipBlank = false;
      if (see(l, from, to) && hideUsage) {
        skipBlank = true;
        return false;
      }
      return true;
    }

    /** The stream ended, failed or was closed: the usage seen is committed, or an estimate if none was. */
    public void ended() {
      if (!done) {
        done = true;
        commit("stream of " + id, usageText, received.toString());
      }
    }

    /** Looks at the line {@code l} from {@code from} to {@code to}; true if it is a chunk that carries only the usage. */
    private boolean see(String l, int from, int to) {
      if (done || !l.startsWith("data:", from)) {
        return false;
      }
      int d = from + 5;
      while (d < to && l.charAt(d) <= ' ') {
        d++;
      }
      if (d == to || to - d == 6 && l.startsWith("[DONE]", d)) {
        return false;
      }
      if (responses) {
        if (l.indexOf("\"response.output_text.delta\"", d) >= 0) {
          chunks.append(l, d, to, true, received);
        } else if (hasUsageObject(l, d)) { // the few events about the whole response
          try {
            JsonNode r = JSON.readTree(l.substring(d, to)).path("response");
            if (r.path("usage").isObject()) {
              usageText = r.toString();
            }
          } catch (IOException notJson) {
            // carries nothing to count
          }
        }
        return false;
      }
      if (!hasUsageObject(l, d)) {
        chunks.append(l, d, to, false, received); // nearly every chunk: read in place
        return false;
      }
      try { // once a stream, at its end: read whole
        String data = l.substring(d, to);
        JsonNode chunk = JSON.readTree(data);
        boolean usage = chunk.path("usage").isObject();
        if (usage) {
          usageText = data; // running totals: the last one counts
        }
        JsonNode choices = chunk.path("choices");
        for (JsonNode choice : choices) {
          received.append(choice.path("delta").path("content").asText(""));
        }
        return usage && choices.isEmpty();
      } catch (IOException notJson) {
        return false; // a chunk that is not JSON carries nothing to count
      }
    }

    /**
     * Commits the usage in {@code usage} (a response, or a stream's chunk), or, when there is none
     * or it cannot be read, an estimate of the prompt and {@code text}.
     */
    private void commit(String source, String usage, String text) {
      Usage u = null;
      if (usage != null) {
        try {
          u = UsageParser.parse(source, usage);
        } catch (RuntimeException unreadable) {
          // estimated below
        }
      }
      guard.settle(id, chat, u, text);
    }
  }
}
