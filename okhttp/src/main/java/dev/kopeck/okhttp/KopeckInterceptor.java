package dev.kopeck.okhttp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.budget.Admission;
import dev.kopeck.budget.Commit;
import dev.kopeck.budget.Scope;
import dev.kopeck.estimate.ChatRequest;
import dev.kopeck.estimate.ChatRequestParser;
import dev.kopeck.estimate.Estimate;
import dev.kopeck.estimate.Estimator;
import dev.kopeck.guard.BudgetGuard;
import dev.kopeck.usage.Usage;
import dev.kopeck.usage.UsageParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * Puts a budget around every OpenAI-compatible chat call an OkHttp client makes (the official
 * openai-java client through {@code OpenAIOkHttpClient.builder().okHttpClient(...)}, or any OkHttp
 * code): before the call it estimates the request and reserves its worst case on the caller's
 * scopes, or answers 402 in OpenAI's error format without calling upstream; after it, it commits
 * the cost of the usage the response reports, from the JSON body or from the stream as it passes.
 * A transport error or a non-2xx answer releases the reservation. docs/integrations.md has the
 * lines to copy and what happens in each case.
 *
 * <p>Calls other than {@code POST …/chat/completions} pass through untouched.
 */
public final class KopeckInterceptor implements Interceptor {
  /** The header a caller's idempotency key comes in; a retry with the same key is charged once. */
  public static final String REQUEST_ID_HEADER = "Idempotency-Key";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  private final BudgetGuard guard;
  private final Estimator estimator;
  private final Function<Request, List<Scope>> scopes;
  private final Listener listener;

  /** What the interceptor did with each call: for metrics, logs and tests. */
  public interface Listener {
    /** The call was refused before it went upstream. */
    default void refused(String requestId, Admission.Refusal refusal) {}

    /**
     * The call's cost was committed. {@code estimated} is true when the response carried no usage
     * (a stream cut by the server, the client or a timeout): the prompt's estimate plus the text
     * received was committed instead.
     */
    default void committed(String requestId, Commit commit, boolean estimated) {}

    /** The reservation was released: the call failed before it was answered, or was answered with an error. */
    default void released(String requestId, String why) {}

    /**
     * The call was answered but its cost could not be committed (the ledger's store was down, the
     * usage was unreadable): the caller still gets the answer, and the reservation holds its worst
     * case until its time to live, then is released. Retry the commit from here, or alert.
     */
    default void commitFailed(String requestId, RuntimeException e) {}
  }

  private KopeckInterceptor(Builder b) {
    this.guard = b.guard;
    this.estimator = b.estimator;
    this.scopes = b.scopes;
    this.listener = b.listener;
  }

  /**
   * @param guard reserves and commits; its estimator must be {@code estimator}
   * @param scopes the scopes a call is charged to, from the request (an API key, a header, a tenant)
   */
  public static Builder builder(BudgetGuard guard, Estimator estimator, Function<Request, List<Scope>> scopes) {
    return new Builder(guard, estimator, scopes);
  }

  public static final class Builder {
    private final BudgetGuard guard;
    private final Estimator estimator;
    private final Function<Request, List<Scope>> scopes;
    private Listener listener = new Listener() {};

    private Builder(BudgetGuard guard, Estimator estimator, Function<Request, List<Scope>> scopes) {
      this.guard = Objects.requireNonNull(guard, "guard");
      this.estimator = Objects.requireNonNull(estimator, "estimator");
      this.scopes = Objects.requireNonNull(scopes, "scopes");
    }

    public Builder listener(Listener l) {
      listener = Objects.requireNonNull(l, "listener");
      return this;
    }

    public KopeckInterceptor build() {
      return new KopeckInterceptor(this);
    }
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    if (!"POST".equals(request.method()) || !request.url().encodedPath().endsWith("/chat/completions")
        || request.body() == null) {
      return chain.proceed(request);
    }
    Buffer buffer = new Buffer();
    request.body().writeTo(buffer);
    String text = buffer.readUtf8();
    String id = request.header(REQUEST_ID_HEADER);
    if (id == null || id.isBlank()) {
      id = "kopeck-" + UUID.randomUUID();
    }
    ChatRequest chat;
    JsonNode body;
    try {
      chat = ChatRequestParser.parse("request " + id, text); // first: its errors are said in plain words
      body = JSON.readTree(text);
    } catch (IOException | RuntimeException e) {
      return cannotEstimate(request, e);
    }
    boolean stream = body.path("stream").asBoolean(false);
    boolean askedUsage = false;
    if (stream && !body.path("stream_options").path("include_usage").asBoolean(false) && body.isObject()) {
      askedUsage = true;
      // a stream reports its usage only when asked: ask, so the cost committed is the one billed
      ObjectNode o = (ObjectNode) body;
      JsonNode so = o.path("stream_options");
      ObjectNode options = so.isObject() ? (ObjectNode) so : o.putObject("stream_options");
      options.put("include_usage", true);
      text = JSON.writeValueAsString(o);
    }
    Admission a;
    try {
      a = guard.admit(id, chat, scopes.apply(request));
    } catch (RuntimeException e) {
      return cannotEstimate(request, e);
    }
    if (!a.granted()) {
      Admission.Refusal r = (Admission.Refusal) a;
      listener.refused(id, r);
      return error(request, 402, "insufficient_budget", "budget_exceeded", "Kopeck refused the call: the budget of "
          + r.scope().name() + " (" + r.periodId() + ") has " + r.remainingNanos() + " nano-units left of "
          + r.limitNanos() + ", and the call may cost up to " + r.askedNanos());
    }
    Request upstream = request.newBuilder().header(REQUEST_ID_HEADER, id)
        .post(RequestBody.create(text, request.body().contentType() != null ? request.body().contentType() : JSON_TYPE))
        .build();
    Response response;
    try {
      response = chain.proceed(upstream);
    } catch (IOException | RuntimeException e) {
      release(id, "the call failed: " + e);
      throw e;
    }
    if (!response.isSuccessful() || response.body() == null) {
      release(id, "upstream answered " + response.code());
      return response;
    }
    if (!stream) {
      String answer = response.body().string();
      commit(id, chat, "response of " + id, answer, null);
      return response.newBuilder().body(ResponseBody.create(answer, response.body().contentType())).build();
    }
    Tap tap = new Tap(response.body().source(), id, chat, askedUsage);
    return response.newBuilder()
        .body(ResponseBody.create(Okio.buffer(tap), response.body().contentType(), -1))
        .build();
  }

  private void release(String id, String why) {
    guard.fail(id);
    listener.released(id, why);
  }

  /** Not a request Kopeck can estimate: refused here, not let through without a budget. */
  private static Response cannotEstimate(Request request, Exception e) {
    return error(request, 400, "invalid_request_error", "kopeck_cannot_estimate",
        "Kopeck cannot estimate this request, so it cannot be charged to a budget: " + e.getMessage());
  }

  /**
   * Commits the usage in {@code usageText} (a response, or a stream's chunk), or, when there is
   * none or it cannot be read, an estimate of the prompt and {@code received}.
   */
  private void commit(String id, ChatRequest chat, String source, String usageText, String received) {
    Usage u = null;
    if (usageText != null) {
      try {
        u = UsageParser.parse(source, usageText);
      } catch (RuntimeException unreadable) {
        // estimated below
      }
    }
    boolean estimated = u == null;
    if (estimated) {
      Estimate e = estimator.estimate(chat);
      long out = received == null || received.isEmpty() ? 0
          : estimator.conversation(e.model()).append("assistant", received).tokens();
      u = Usage.of(e.input().total(), out);
    }
    Commit c;
    try {
      c = guard.complete(id, chat, u);
    } catch (RuntimeException e) { // the answer reaches the caller whatever happens to the ledger
      listener.commitFailed(id, e);
      return;
    }
    listener.committed(id, c, estimated);
  }

  /**
   * The stream as it passes to the caller, a line at a time: each line is looked at once, the last
   * {@code data:} line with a usage kept, and the text of the deltas kept for a stream that ends
   * without one. When the interceptor asked for the usage and the caller had not, the usage-only
   * chunk is left out of what the caller reads. The commit happens once, when the stream ends, fails
   * or is closed.
   */
  private final class Tap extends ForwardingSource {
    private final String id;
    private final ChatRequest chat;
    private final boolean hideUsage;
    private final Buffer in = new Buffer();
    private final Buffer out = new Buffer();
    private final StringBuilder received = new StringBuilder();
    private String usageLine;
    private boolean skipBlank;
    private boolean eof;
    private boolean done;

    Tap(BufferedSource upstream, String id, ChatRequest chat, boolean hideUsage) {
      super(upstream);
      this.id = id;
      this.chat = chat;
      this.hideUsage = hideUsage;
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      while (out.size() == 0 && !eof) {
        long n;
        try {
          n = super.read(in, 8192);
        } catch (IOException e) {
          finish();
          throw e;
        }
        if (n == -1) {
          eof = true;
          if (in.size() > 0) {
            pass(in.readUtf8());
          }
          finish();
          break;
        }
        long nl;
        while ((nl = in.indexOf((byte) '\n')) >= 0) {
          pass(in.readUtf8(nl + 1));
        }
      }
      return out.size() == 0 ? -1 : out.read(sink, Math.min(byteCount, out.size()));
    }

    /** One line, with its newline: looked at, then passed on or, if it is the usage asked for, left out. */
    private void pass(String l) {
      String bare = l.strip();
      if (skipBlank && bare.isEmpty()) {
        skipBlank = false;
        return;
      }
      skipBlank = false;
      if (see(bare) && hideUsage) {
        skipBlank = true; // and the blank line that ends its event
        return;
      }
      out.writeUtf8(l);
    }

    /** Looks at a line; true if it is a chunk that carries only the usage. */
    private boolean see(String l) {
      if (!l.startsWith("data:")) {
        return false;
      }
      String data = l.substring(5).trim();
      if (data.equals("[DONE]") || data.isEmpty()) {
        return false;
      }
      try {
        if (data.contains("\"usage\"")) { // once a stream, at its end: read whole
          JsonNode chunk = JSON.readTree(data);
          boolean usage = chunk.path("usage").isObject();
          if (usage) {
            usageLine = data; // running totals: the last one counts
          }
          JsonNode choices = chunk.path("choices");
          for (JsonNode choice : choices) {
            received.append(choice.path("delta").path("content").asText(""));
          }
          return usage && choices.isEmpty();
        }
        appendContent(data);
      } catch (IOException notJson) {
        // a chunk that is not JSON carries nothing to count
      }
      return false;
    }

    /** The text of every {@code delta.content} in a chunk, read as tokens: no tree is built. */
    private void appendContent(String data) throws IOException {
      try (JsonParser p = JSON.getFactory().createParser(data)) {
        java.util.ArrayDeque<String> objects = new java.util.ArrayDeque<>(4);
        String field = "";
        JsonToken t;
        while ((t = p.nextToken()) != null) {
          switch (t) {
            case FIELD_NAME -> field = p.currentName();
            case START_OBJECT -> {
              objects.push(field);
              field = "";
            }
            case END_OBJECT -> objects.poll();
            case START_ARRAY -> field = "";
            case VALUE_STRING -> {
              if ("content".equals(field) && "delta".equals(objects.peek())) {
                received.append(p.getText());
              }
            }
            default -> { }
          }
        }
      }
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        finish();
      }
    }

    private void finish() {
      if (done) {
        return;
      }
      done = true;
      commit(id, chat, "stream of " + id, usageLine, received.toString());
    }
  }

  /** An answer in OpenAI's error format, made here: upstream is not called. */
  private static Response error(Request request, int code, String type, String errorCode, String message) {
    ObjectNode e = JsonNodeFactory.instance.objectNode();
    ObjectNode err = e.putObject("error");
    err.put("message", message);
    err.put("type", type);
    err.putNull("param");
    err.put("code", errorCode);
    return new Response.Builder().request(request).protocol(Protocol.HTTP_1_1).code(code)
        .message(code == 402 ? "Payment Required" : "Bad Request")
        .body(ResponseBody.create(e.toString().getBytes(StandardCharsets.UTF_8), JSON_TYPE)).build();
  }

}
