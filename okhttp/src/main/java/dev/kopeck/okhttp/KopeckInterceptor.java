package dev.kopeck.okhttp;

import dev.kopeck.budget.Scope;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.core.guard.HttpChatGuard;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
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
 * lines to copy and what happens in each case; {@link HttpChatGuard} does the work.
 *
 * <p>Calls other than {@code POST …/chat/completions} and {@code POST …/responses} pass through untouched.
 */
public final class KopeckInterceptor implements Interceptor {
  /** The header a caller's idempotency key comes in; a retry with the same key is charged once. */
  public static final String REQUEST_ID_HEADER = HttpChatGuard.REQUEST_ID_HEADER;

  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  private final HttpChatGuard calls;
  private final Function<Request, List<Scope>> scopes;

  /**
   * @param guard reserves and commits, and tells its {@link dev.kopeck.core.guard.GuardListener} (metrics, logs)
   * @param scopes the scopes a call is charged to, from the request (an API key, a header, a tenant)
   */
  public KopeckInterceptor(BudgetGuard guard, Function<Request, List<Scope>> scopes) {
    this(guard, scopes, HttpChatGuard.Limits.DEFAULTS);
  }

  /**
   * @param limits how much of a call the guard holds at once: the largest request, the longest
   *     stream line, the most of a plain answer kept to read its usage
   */
  public KopeckInterceptor(BudgetGuard guard, Function<Request, List<Scope>> scopes, HttpChatGuard.Limits limits) {
    this.calls = new HttpChatGuard(guard, limits);
    this.scopes = Objects.requireNonNull(scopes, "scopes");
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    if (!HttpChatGuard.guards(request.method(), request.url().encodedPath()) || request.body() == null) {
      return chain.proceed(request);
    }
    long length = request.body().contentLength();
    HttpChatGuard.Start start;
    if (length > calls.limits().maxRequestBytes()) {
      start = calls.tooLarge(length);
    } else {
      Buffer buffer = new Buffer();
      request.body().writeTo(buffer);
      start = buffer.size() > calls.limits().maxRequestBytes() ? calls.tooLarge(buffer.size())
          : calls.start(buffer.readUtf8(), request.header(REQUEST_ID_HEADER), () -> scopes.apply(request));
    }
    if (start instanceof HttpChatGuard.Answer a) {
      return new Response.Builder().request(request).protocol(Protocol.HTTP_1_1).code(a.status()).message(a.reason())
          .body(ResponseBody.create(a.body(), JSON_TYPE)).build();
    }
    HttpChatGuard.Call call = (HttpChatGuard.Call) start;
    MediaType type = request.body().contentType() != null ? request.body().contentType() : JSON_TYPE;
    Request upstream = request.newBuilder().header(REQUEST_ID_HEADER, call.id())
        .post(RequestBody.create(call.body(), type)).build();
    Response response;
    try {
      response = chain.proceed(upstream);
    } catch (IOException | RuntimeException e) {
      call.failed("the call failed: " + e);
      throw e;
    }
    if (!call.answered(response.code()) || response.body() == null) {
      call.failed("upstream answered " + response.code() + " without a body");
      return response;
    }
    Tap tap = new Tap(response.body().source(), call);
    long plainLength = call.stream() ? -1 : response.body().contentLength();
    return response.newBuilder()
        .body(ResponseBody.create(Okio.buffer(tap), response.body().contentType(), plainLength))
        .build();
  }

  /**
   * The answer as it passes to the caller, read as it comes: a plain answer passes whole (its first
   * bytes kept to read the usage from), a stream a line at a time, each line shown to the call and
   * passed on unless the call says to leave it out. The call ends once: when the answer ends, fails
   * or is closed.
   */
  private static final class Tap extends ForwardingSource {
    private final HttpChatGuard.Call call;
    private final Buffer in = new Buffer();
    private final Buffer out = new Buffer();
    private boolean eof;

    Tap(BufferedSource upstream, HttpChatGuard.Call call) {
      super(upstream);
      this.call = call;
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      while (out.size() == 0 && !eof) {
        long n;
        try {
          n = super.read(in, 8192);
        } catch (IOException | RuntimeException e) {
          call.ended();
          throw e;
        }
        if (n == -1) {
          eof = true;
          out.write(call.finish());
          break;
        }
        out.write(call.pass(java.nio.ByteBuffer.wrap(in.readByteArray())));
      }
      return out.size() == 0 ? -1 : out.read(sink, Math.min(byteCount, out.size()));
    }

    @Override
    public void close() throws IOException {
      if (!eof && !call.stream()) {
        finishQuickly();
      }
      try {
        super.close();
      } finally {
        call.ended();
      }
    }

    /**
     * A plain answer closed before its end (a caller that looked at the status only): its usage is at
     * the end, so the rest is read for at most {@value #CLOSE_DRAIN_MS} ms, and the call settled from
     * it; an upstream slower than that leaves the call charged its worst case.
     */
    private void finishQuickly() {
      okio.Timeout t = timeout();
      t.deadline(CLOSE_DRAIN_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
      Buffer scratch = new Buffer();
      try {
        while (read(scratch, 8192) != -1) {
          scratch.clear();
        }
      } catch (IOException | RuntimeException gaveUp) {
        // settled below, at its worst case
      } finally {
        t.clearDeadline();
      }
    }

    static final long CLOSE_DRAIN_MS = 250;
  }
}
