package dev.kopeck.core.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.budget.Admission;
import dev.kopeck.budget.RequestIds;
import dev.kopeck.budget.Scope;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.estimate.internal.ChatRequestReader;
import dev.kopeck.pricing.json.Json;
import dev.kopeck.pricing.usage.Usage;
import dev.kopeck.pricing.usage.UsageParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 *
 * <p>Its memory per call is bounded whatever upstream sends ({@link Limits}): the request is parsed
 * once, with Kopeck's own limits, and refused past {@code maxRequestBytes}; a stream is read a line at
 * a time, its text counted as it passes, and a line past {@code maxLineBytes} is passed on unread; a
 * plain answer passes on as it arrives, and only its first {@code maxBodyBytes} are kept to read the
 * usage from. The adapter gives it the answer's bytes ({@link Call#pass}, {@link Call#finish}) and
 * tells it every other ending ({@link Call#ended}): the reservation is settled whichever comes.
 */
public final class HttpChatGuard {
  /** The header a caller's idempotency key comes in; a retry with the same key is charged once. */
  public static final String REQUEST_ID_HEADER = "Idempotency-Key";

  private static final ObjectMapper JSON = Json.MAPPER;

  private final BudgetGuard guard;
  private final Limits limits;

  /** @param guard reserves and commits, and tells its {@link GuardListener} */
  public HttpChatGuard(BudgetGuard guard) {
    this(guard, Limits.DEFAULTS);
  }

  /**
   * @param guard reserves and commits, and tells its {@link GuardListener}
   * @param limits how much of a stranger's bytes a call may hold
   */
  public HttpChatGuard(BudgetGuard guard, Limits limits) {
    this.guard = Objects.requireNonNull(guard, "guard");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * How much of a call the guard holds at once.
   *
   * @param maxRequestBytes the largest request body it accepts (256 MiB; a larger one is answered 413
   *     without calling upstream); base64 images and audio count in it
   * @param maxLineBytes the longest line of a stream it reads (1 MiB); a longer line is passed on
   *     unread, and a call with one, if its usage is not seen, is charged its reserved worst case
   * @param maxBodyBytes the most of a plain (not streamed) answer it keeps to read the usage from
   *     (16 MiB); the answer passes on whole whatever its size, and a longer one is charged its
   *     reserved worst case
   */
  public record Limits(long maxRequestBytes, int maxLineBytes, long maxBodyBytes) {
    public static final Limits DEFAULTS = new Limits(256L << 20, 1 << 20, 16L << 20);

    public Limits {
      if (maxRequestBytes < 1024 || maxLineBytes < 1024 || maxBodyBytes < 1024) {
        throw new IllegalArgumentException("limits must be at least 1024 bytes: maxRequestBytes " + maxRequestBytes
            + ", maxLineBytes " + maxLineBytes + ", maxBodyBytes " + maxBodyBytes);
      }
    }

    public Limits withMaxRequestBytes(long n) {
      return new Limits(n, maxLineBytes, maxBodyBytes);
    }

    public Limits withMaxLineBytes(int n) {
      return new Limits(maxRequestBytes, n, maxBodyBytes);
    }

    public Limits withMaxBodyBytes(long n) {
      return new Limits(maxRequestBytes, maxLineBytes, n);
    }
  }

  /** The limits this guard holds calls to. */
  public Limits limits() {
    return limits;
  }

  /** The answer for a request body past {@code maxRequestBytes}, for an adapter that sees its length first. */
  public Answer tooLarge(long bytes) {
    return error(413, "Payload Too Large", "invalid_request_error", "kopeck_request_too_large",
        "the request is " + bytes + " bytes, more than the " + limits.maxRequestBytes()
            + " this Kopeck guard accepts (HttpChatGuard.Limits.maxRequestBytes)");
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
   * @param refusal the budget's refusal, for a 402: which scope, what it has left and what the call asked
   */
  public record Answer(int status, String reason, String body, Optional<Admission.Refusal> refusal) implements Start {
    public Answer {
      Objects.requireNonNull(body, "body");
      Objects.requireNonNull(refusal, "refusal");
    }

    /** An answer that is no budget's refusal. */
    public Answer(int status, String reason, String body) {
      this(status, reason, body, Optional.empty());
    }
  }

  /**
   * Starts a call: estimates the request, reserves its worst case on {@code scopes}.
   *
   * @param body the request body as the caller sent it
   * @param requestId the caller's idempotency key, or null or blank to have one made
   * @param scopes the scopes the call is charged to; asked once, and its failure refuses the call
   */
  public Start start(String body, String requestId, Supplier<List<Scope>> scopes) {
    String idProblem = requestId == null || requestId.isBlank() ? null : RequestIds.problem(requestId);
    if (idProblem != null) { // before anything is parsed or reserved
      return error(400, "Bad Request", "invalid_request_error", "kopeck_invalid_request_id",
          "the " + REQUEST_ID_HEADER + " header cannot be a request id: " + idProblem);
    }
    if (body.length() > limits.maxRequestBytes()) { // a char is at least a byte
      return tooLarge(body.length());
    }
    String id = requestId == null || requestId.isBlank() ? "kopeck-" + UUID.randomUUID() : requestId;
    ChatRequest chat;
    JsonNode tree;
    try { // parsed once, with Kopeck's limits (a 90 MB image is a string like any other)
      tree = Json.parse("request " + id, body);
      chat = ChatRequestReader.read("request " + id, "$", tree, body);
    } catch (RuntimeException e) {
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
      Admission.Refusal r = (Admission.Refusal) a;
      return new Answer(402, "Payment Required", errorBody("insufficient_budget", "budget_exceeded",
          BudgetRefusedException.describe(r)), Optional.of(r));
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
    String why = String.valueOf(e.getMessage());
    return error(400, "Bad Request", "invalid_request_error", "kopeck_cannot_estimate",
        "Kopeck cannot estimate this request, so it cannot be charged to a budget: "
            + (why.length() > 1000 ? why.substring(0, 1000) + "…" : why));
  }

  private static Answer error(int status, String reason, String type, String code, String message) {
    return new Answer(status, reason, errorBody(type, code, message));
  }

  /** OpenAI's error shape: {@code {"error":{"message":…,"type":…,"param":null,"code":…}}}. */
  public static String errorBody(String type, String code, String message) {
    ObjectNode e = JsonNodeFactory.instance.objectNode();
    ObjectNode err = e.putObject("error");
    err.put("message", message);
    err.put("type", type);
    err.putNull("param");
    err.put("code", code);
    return e.toString();
  }

  /**
   * A call admitted and reserved. The adapter sends {@link #body()} with {@link #id()} as
   * {@value #REQUEST_ID_HEADER}, then calls {@link #failed} if no answer came, {@link #answered}
   * with the status, and then gives the answer's bytes to {@link #pass} as they arrive (passing on
   * what it returns), {@link #finish} at its end, and {@link #ended} when it fails or the caller
   * closes or cancels it. Whatever is called after the call ended is ignored, so an adapter may call
   * {@link #ended} from every way out. ({@link #completed} and {@link #line} are the same for an
   * adapter that has a whole body or the lines.)
   */
  public final class Call implements Start {
    private final String id;
    private final ChatRequest chat;
    private final String body;
    private final boolean stream;
    private final boolean responses;
    private final boolean hideUsage;
    private final StreamedText received;
    private final ChunkText chunks = new ChunkText();
    /** The current line of a stream. */
    private ByteArrayOutputStream pending = new ByteArrayOutputStream();
    /** The first maxBodyBytes of a plain answer, in the pieces it came in (no large array to grow). */
    private java.util.ArrayList<byte[]> kept = new java.util.ArrayList<>();
    private long keptBytes;
    private String usageText;
    private boolean skipBlank;
    /** Inside a stream's line longer than maxLineBytes: passed on unread to its end. */
    private boolean passingLong;
    /** A line or a body was past its limit: what it held was not read. */
    private boolean overLimit;
    private boolean done;
    /** What the ledger committed when the call settled. */
    private volatile Charge charge;

    private Call(String id, ChatRequest chat, String body, boolean stream, boolean responses, boolean hideUsage) {
      this.id = id;
      this.chat = chat;
      this.body = body;
      this.stream = stream;
      this.responses = responses;
      this.hideUsage = hideUsage;
      this.received = new StreamedText(guard.estimator(), chat);
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

    /**
     * What the call was charged, once it settled ({@link #completed}, {@link #finish} or
     * {@link #ended}); empty before, after {@link #failed} or a non-2xx answer (the reservation was
     * released), and when the ledger could not commit (the listener was told).
     */
    public Optional<Charge> charge() {
      return Optional.ofNullable(charge);
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

    /**
     * Bytes of a 2xx answer as they arrive. Returns the bytes to pass on to the caller now: all of
     * them for a plain answer; for a stream, its whole lines less those the guard hides, and the
     * pieces of a line past {@code maxLineBytes}. Holds at most one line, or the first
     * {@code maxBodyBytes} of a plain answer.
     */
    public ByteBuffer pass(ByteBuffer in) {
      if (!stream) {
        ByteBuffer out = in.duplicate();
        keep(in);
        return out;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] a = new byte[in.remaining()];
      in.get(a);
      int i = 0;
      while (i < a.length) {
        int nl = i;
        while (nl < a.length && a[nl] != '\n') {
          nl++;
        }
        boolean whole = nl < a.length;
        int end = whole ? nl + 1 : a.length;
        if (passingLong) {
          out.write(a, i, end - i);
          passingLong = !whole;
        } else if (pending.size() + (end - i) > limits.maxLineBytes()) { // a line too long to read: passed on as it comes
          writeTo(pending, out);
          pending.reset();
          out.write(a, i, end - i);
          overLimit = true;
          passingLong = !whole;
        } else {
          pending.write(a, i, end - i);
          if (whole) {
            lineDone(out);
          }
        }
        i = end;
      }
      return ByteBuffer.wrap(out.toByteArray());
    }

    private void writeTo(ByteArrayOutputStream from, ByteArrayOutputStream to) {
      to.write(from.toByteArray(), 0, from.size());
    }

    private void lineDone(ByteArrayOutputStream out) {
      if (line(pending.toString(StandardCharsets.UTF_8))) {
        writeTo(pending, out);
      }
      pending.reset();
    }

    private void keep(ByteBuffer in) {
      if (overLimit) {
        in.position(in.limit());
        return;
      }
      if (keptBytes + in.remaining() > limits.maxBodyBytes()) {
        overLimit = true; // not read: charged its worst case at the end
        kept = new java.util.ArrayList<>();
        in.position(in.limit());
        return;
      }
      byte[] a = new byte[in.remaining()];
      in.get(a);
      kept.add(a);
      keptBytes += a.length;
    }

    /**
     * The answer ended as it should: returns what is left to pass on (a stream's last line without
     * its newline), and settles the call: commits the usage the answer reported, or an estimate.
     */
    public ByteBuffer finish() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (stream) {
        if (pending.size() > 0 && !passingLong) {
          lineDone(out);
        }
        ended();
      } else if (!done) {
        if (overLimit) {
          done = true;
          settleEstimated(true);
        } else {
          completed(keptText());
        }
      }
      return ByteBuffer.wrap(out.toByteArray());
    }

    /** The kept start of a plain answer as text; what was kept is let go. */
    private String keptText() {
      byte[] whole = new byte[(int) keptBytes];
      int at = 0;
      for (byte[] piece : kept) {
        System.arraycopy(piece, 0, whole, at, piece.length);
        at += piece.length;
      }
      kept = new java.util.ArrayList<>();
      keptBytes = 0;
      return new String(whole, StandardCharsets.UTF_8);
    }

    /** A whole JSON answer arrived: its usage is committed, or, if it reports none, an estimate of it. */
    public void completed(String responseBody) {
      if (!done) {
        done = true;
        Usage u = readUsage("response of " + id, responseBody);
        if (u != null) {
          charge = guard.settle(id, chat, u, null);
        } else {
          answerText(responseBody);
          settleEstimated(false);
        }
      }
    }

    /** The text of a plain answer's choices (or a Responses answer's output), for an estimate when it reports no usage. */
    private void answerText(String responseBody) {
      try {
        JsonNode r = JSON.readTree(responseBody);
        for (JsonNode c : r.path("choices")) {
          received.append(c.path("message").path("content").asText(""));
        }
        for (JsonNode o : r.path("output")) {
          for (JsonNode c : o.path("content")) {
            received.append(c.path("text").asText(""));
          }
        }
      } catch (IOException | RuntimeException notJson) {
        received.append(responseBody); // what came is all there is to count
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

    /**
     * The answer ended, failed or was closed or cancelled: the usage seen is committed, or an
     * estimate: the prompt and the text counted so far (a stream), or the reserved worst case (a
     * plain answer not read whole and whose kept start reports no usage, or a stream with a line too long to read).
     */
    public void ended() {
      if (!done) {
        done = true;
        pending = new ByteArrayOutputStream(0);
        if (!stream && !overLimit && keptBytes > 0) { // a client that stops reading at the JSON's end, before the body's
          usageText = keptText();
        }
        kept = new java.util.ArrayList<>();
        Usage u = usageText == null ? null : readUsage((stream ? "stream of " : "response of ") + id, usageText);
        if (u != null) {
          charge = guard.settle(id, chat, u, null);
        } else {
          settleEstimated(!stream || overLimit);
        }
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
          chunks.append(l, d, to, true, received.buffer());
          received.counted();
        } else if (hasUsageObject(l, d)) { // the few events about the whole response
          try {
            JsonNode r = JSON.readTree(l.substring(d, to)).path("response");
            if (r.path("usage").isObject()) {
              usageText = r.toString();
            }
          } catch (IOException | RuntimeException notJson) {
            // carries nothing to count
          }
        }
        return false;
      }
      if (!hasUsageObject(l, d)) {
        chunks.append(l, d, to, false, received.buffer()); // nearly every chunk: read in place
        received.counted();
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
      } catch (IOException | RuntimeException notJson) {
        return false; // a chunk that is not JSON carries nothing to count
      }
    }

    /** The usage in {@code text} (a response, or a stream's chunk), or null when it has none that reads. */
    private Usage readUsage(String source, String text) {
      try {
        return UsageParser.parse(source, text);
      } catch (RuntimeException unreadable) { // none, or negative, or past any real count
        return null;
      }
    }

    /**
     * Commits an estimate, flagged as such: the request's input, and as output the text counted (at
     * most the request's output limit), or with {@code worstCase} that limit itself (what was not read).
     */
    private void settleEstimated(boolean worstCase) {
      Usage u;
      try {
        u = received.usage(worstCase);
      } catch (RuntimeException e) {
        guard.settle(id, chat, null, null); // tells the listener why, as the guard does
        return;
      }
      try {
        charge = guard.charge(id, chat, u, true);
      } catch (RuntimeException e) {
        // charge told the listener (commitFailed); the answer reaches the caller whatever the ledger does
      }
    }
  }
}
