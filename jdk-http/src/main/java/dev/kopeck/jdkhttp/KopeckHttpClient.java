package dev.kopeck.jdkhttp;

import dev.kopeck.budget.Scope;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.core.guard.HttpChatGuard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * The JDK's {@link HttpClient} with a budget around every OpenAI-compatible chat call: a client that
 * wraps the one a service already has and is used in its place. Before a {@code POST
 * …/chat/completions} or {@code POST …/responses} it estimates the request and reserves its worst
 * case on the caller's scopes, or answers 402 in OpenAI's error format without calling upstream;
 * as the answer arrives it commits the cost of the usage it reports, from the JSON body or from the
 * stream as it passes (whatever {@link HttpResponse.BodyHandler} the caller reads it with). A
 * transport error, a timeout or a non-2xx answer releases the reservation. {@link HttpChatGuard}
 * does the work; docs/integrations.md has the lines to copy.
 *
 * <p>Other calls go to the wrapped client untouched. The reserve happens on the calling thread,
 * for {@link #sendAsync} too.
 */
public final class KopeckHttpClient extends HttpClient {
  /** The header a caller's idempotency key comes in; a retry with the same key is charged once. */
  public static final String REQUEST_ID_HEADER = HttpChatGuard.REQUEST_ID_HEADER;

  private final HttpClient delegate;
  private final HttpChatGuard calls;
  private final Function<HttpRequest, List<Scope>> scopes;

  /**
   * @param delegate the client that makes the calls
   * @param guard reserves and commits, and tells its {@link dev.kopeck.core.guard.GuardListener} (metrics, logs)
   * @param scopes the scopes a call is charged to, from the request (an API key, a header, a tenant)
   */
  public KopeckHttpClient(HttpClient delegate, BudgetGuard guard, Function<HttpRequest, List<Scope>> scopes) {
    this(delegate, guard, scopes, HttpChatGuard.Limits.DEFAULTS);
  }

  /**
   * @param limits how much of a call the guard holds at once: the largest request, the longest
   *     stream line, the most of a plain answer kept to read its usage
   */
  public KopeckHttpClient(HttpClient delegate, BudgetGuard guard, Function<HttpRequest, List<Scope>> scopes,
      HttpChatGuard.Limits limits) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.calls = new HttpChatGuard(guard, limits);
    this.scopes = Objects.requireNonNull(scopes, "scopes");
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    if (!guarded(request)) {
      return delegate.send(request, handler);
    }
    HttpChatGuard.Start start = start(request);
    if (start instanceof HttpChatGuard.Answer a) {
      return answer(request, a, handler);
    }
    HttpChatGuard.Call call = (HttpChatGuard.Call) start;
    try {
      return delegate.send(upstream(request, call), tapped(call, handler));
    } catch (IOException | InterruptedException | RuntimeException e) {
      call.failed("the call failed: " + e);
      throw e;
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return sendAsync(request, handler, null);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> push) {
    if (!guarded(request)) {
      return delegate.sendAsync(request, handler, push);
    }
    HttpChatGuard.Start start;
    try {
      start = start(request);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (start instanceof HttpChatGuard.Answer a) {
      try {
        return CompletableFuture.completedFuture(answer(request, a, handler));
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    HttpChatGuard.Call call = (HttpChatGuard.Call) start;
    return delegate.sendAsync(upstream(request, call), tapped(call, handler), push).whenComplete((r, e) -> {
      if (e != null) {
        call.failed("the call failed: " + e);
      }
    });
  }

  private static boolean guarded(HttpRequest request) {
    return request.bodyPublisher().isPresent() && HttpChatGuard.guards(request.method(), request.uri().getRawPath());
  }

  private HttpChatGuard.Start start(HttpRequest request) throws IOException {
    long max = calls.limits().maxRequestBytes();
    long length = request.bodyPublisher().get().contentLength();
    if (length > max) {
      return calls.tooLarge(length);
    }
    byte[] bytes = bodyOf(request, max);
    if (bytes.length > max) {
      return calls.tooLarge(bytes.length);
    }
    String body = new String(bytes, StandardCharsets.UTF_8);
    return calls.start(body, request.headers().firstValue(REQUEST_ID_HEADER).orElse(null),
        () -> scopes.apply(request));
  }

  /** The request as the caller made it, with the body and the request id the guard decided on. */
  private static HttpRequest upstream(HttpRequest request, HttpChatGuard.Call call) {
    return HttpRequest.newBuilder(request, (name, value) -> true).setHeader(REQUEST_ID_HEADER, call.id())
        .POST(HttpRequest.BodyPublishers.ofString(call.body())).build();
  }

  /** Reads a request's body from its publisher, as the client would when sending it; stops past {@code max} bytes. */
  private static byte[] bodyOf(HttpRequest request, long max) throws IOException {
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    request.bodyPublisher().get().subscribe(new Flow.Subscriber<ByteBuffer>() {
      private final ByteArrayOutputStream out = new ByteArrayOutputStream();

      private Flow.Subscription sub;

      @Override
      public void onSubscribe(Flow.Subscription s) {
        sub = s;
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ByteBuffer b) {
        if (out.size() > max) {
          return; // past the limit: refused, not read on
        }
        byte[] a = new byte[b.remaining()];
        b.get(a);
        out.write(a, 0, a.length);
        if (out.size() > max) {
          sub.cancel();
          done.complete(out.toByteArray());
        }
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onComplete() {
        done.complete(out.toByteArray());
      }
    });
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading the request body", e);
    } catch (ExecutionException e) {
      throw new IOException("the request body could not be read: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** The caller's handler, with the guard reading the answer on its way: a 2xx answer is tapped, another released. */
  private static <T> HttpResponse.BodyHandler<T> tapped(HttpChatGuard.Call call, HttpResponse.BodyHandler<T> handler) {
    return info -> {
      HttpResponse.BodySubscriber<T> down = handler.apply(info);
      return call.answered(info.statusCode()) ? new Tap<>(call, down) : down;
    };
  }

  /**
   * Passes the answer to the caller's subscriber as it arrives. A JSON answer is copied on the way
   * and committed when it is complete; a stream is passed a line at a time, each line shown to the
   * call and passed on unless the call says to leave it out (a swallowed line is made up for by
   * asking upstream for one more item). The call ends once: when the answer completes, fails, or
   * the caller cancels it.
   */
  private static final class Tap<T> implements HttpResponse.BodySubscriber<T> {
    private final HttpChatGuard.Call call;
    private final HttpResponse.BodySubscriber<T> down;
    private Flow.Subscription upstream;
    /** Items the caller asked for and has not had (guarded by this): a last line is held until asked for. */
    private long demand;
    private byte[] tail;

    Tap(HttpChatGuard.Call call, HttpResponse.BodySubscriber<T> down) {
      this.call = call;
      this.down = down;
    }

    @Override
    public CompletionStage<T> getBody() {
      return down.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      upstream = s;
      down.onSubscribe(new Flow.Subscription() {
        @Override
        public void request(long n) {
          byte[] last = null;
          synchronized (Tap.this) {
            demand = n > Long.MAX_VALUE - demand ? Long.MAX_VALUE : demand + Math.max(0, n);
            if (tail != null && demand > 0) {
              last = tail;
              tail = null;
            }
          }
          if (last != null) { // the stream ended waiting for this: its last line, then the end
            deliver(last);
            down.onComplete();
            return;
          }
          s.request(n);
        }

        @Override
        public void cancel() {
          s.cancel();
          call.ended();
        }
      });
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
      if (!call.stream()) {
        for (ByteBuffer b : item) {
          call.pass(b.duplicate()); // kept up to the limit; the caller has the bytes as they are
        }
        down.onNext(item);
        return;
      }
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      for (ByteBuffer b : item) {
        ByteBuffer passed = call.pass(b);
        out.write(passed.array(), passed.arrayOffset() + passed.position(), passed.remaining());
      }
      if (out.size() > 0) {
        deliver(out.toByteArray());
      } else {
        upstream.request(1); // nothing to pass on: the caller still waits for an item
      }
    }

    private void deliver(byte[] bytes) {
      synchronized (this) {
        demand--;
      }
      down.onNext(List.of(ByteBuffer.wrap(bytes)));
    }

    @Override
    public void onError(Throwable t) {
      call.ended();
      down.onError(t);
    }

    @Override
    public void onComplete() {
      ByteBuffer last = call.finish();
      if (last.hasRemaining()) { // a stream's last line without its newline
        byte[] bytes = new byte[last.remaining()];
        last.get(bytes);
        boolean now;
        synchronized (this) {
          now = demand > 0;
          if (!now) {
            tail = bytes; // not asked for yet: given, then the end, when it is
          }
        }
        if (now) {
          deliver(bytes);
          down.onComplete();
        }
        return;
      }
      down.onComplete();
    }
  }

  /** An answer made here (a refusal): given to the caller's handler as if it had come from upstream. */
  private static <T> HttpResponse<T> answer(HttpRequest request, HttpChatGuard.Answer a,
      HttpResponse.BodyHandler<T> handler) throws IOException {
    HttpHeaders headers = HttpHeaders.of(Map.of("content-type", List.of("application/json")), (n, v) -> true);
    HttpResponse.ResponseInfo info = new HttpResponse.ResponseInfo() {
      @Override
      public int statusCode() {
        return a.status();
      }

      @Override
      public HttpHeaders headers() {
        return headers;
      }

      @Override
      public Version version() {
        return Version.HTTP_1_1;
      }
    };
    HttpResponse.BodySubscriber<T> sub = handler.apply(info);
    sub.onSubscribe(new Flow.Subscription() {
      private boolean sent;

      @Override
      public void request(long n) {
        if (!sent && n > 0) {
          sent = true;
          sub.onNext(List.of(ByteBuffer.wrap(a.body().getBytes(StandardCharsets.UTF_8))));
          sub.onComplete();
        }
      }

      @Override
      public void cancel() {
        sent = true;
      }
    });
    T body;
    try {
      body = sub.getBody().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading Kopeck's answer", e);
    } catch (ExecutionException e) {
      throw new IOException("the caller's body handler failed on Kopeck's answer: " + e.getCause().getMessage(),
          e.getCause());
    }
    return new Local<>(a.status(), request, headers, body);
  }

  private record Local<T>(int statusCode, HttpRequest request, HttpHeaders headers, T body) implements HttpResponse<T> {
    @Override
    public Optional<HttpResponse<T>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return request.uri();
    }

    @Override
    public Version version() {
      return Version.HTTP_1_1;
    }
  }

  // ---- the rest is the wrapped client's ----

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }

  @Override
  public java.net.http.WebSocket.Builder newWebSocketBuilder() {
    return delegate.newWebSocketBuilder();
  }
}
