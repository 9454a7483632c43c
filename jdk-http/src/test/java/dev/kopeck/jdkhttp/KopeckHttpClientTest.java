package dev.kopeck.jdkhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.testkit.GuardedClientContract;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.Test;

/** The wrapped JDK client: the scenarios every HTTP integration must pass, and its asynchronous and line-by-line ways. */
class KopeckHttpClientTest extends GuardedClientContract {
  HttpClient http;
  Duration timeout;

  @Override
  protected Client client(BudgetGuard guard, Duration timeout) {
    this.timeout = timeout;
    http = new KopeckHttpClient(HttpClient.newHttpClient(), guard, r -> List.of(TEAM));
    return new Client() {
      @Override
      public Reply post(String url, String body, String key) throws IOException {
        HttpResponse<String> r = send(request(url, body, key), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null));
      }

      @Override
      public void postAndCloseEarly(String url, String body, String key) throws IOException {
        try (InputStream in = send(request(url, body, key), HttpResponse.BodyHandlers.ofInputStream()).body()) {
          in.readNBytes(10); // reads a little, then closes
        }
      }
    };
  }

  HttpRequest request(String url, String body, String key) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header(KopeckHttpClient.REQUEST_ID_HEADER, key);
    }
    return b.build();
  }

  <T> HttpResponse<T> send(HttpRequest r, HttpResponse.BodyHandler<T> h) throws IOException {
    try {
      return http.send(r, h);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void sendAsyncCommitsAsSendDoes() throws Exception {
    server.enqueue(new MockResponse().setBody(sse(true)).setHeader("Content-Type", "text/event-stream"));
    HttpResponse<String> r = http.sendAsync(request(url(), chat(100, true), "async-1"),
        HttpResponse.BodyHandlers.ofString()).get();
    assertThat(r.body()).isEqualTo(sse(false));
    assertThat(events).containsExactly("committed async-1 27000000");
  }

  @Test
  void sendAsyncReleasesWhenTheCallFails() throws Exception {
    server.enqueue(new MockResponse().setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.DISCONNECT_AFTER_REQUEST));
    try {
      http.sendAsync(request(url(), chat(100, false), "async-2"), HttpResponse.BodyHandlers.ofString()).get();
      throw new AssertionError("the call should have failed");
    } catch (ExecutionException expected) {
      assertThat(expected.getCause()).isInstanceOf(IOException.class);
    }
    assertThat(events).containsExactly("released async-2");
  }

  @Test
  void aStreamReadLineByLineIsTappedTheSame() throws Exception {
    server.enqueue(new MockResponse().setBody(sse(true)).setHeader("Content-Type", "text/event-stream"));
    List<String> lines = send(request(url(), chat(100, true), "lines-1"), HttpResponse.BodyHandlers.ofLines())
        .body().toList();
    assertThat(String.join("\n", lines) + "\n").isEqualTo(sse(false));
    assertThat(events).containsExactly("committed lines-1 27000000");
  }

  @Test
  void aRefusalReachesAnAsyncCallerAsAnAnswer() throws Exception {
    ledger.setLimit(TEAM, 1_000L, dev.kopeck.budget.BudgetPeriod.MONTH);
    HttpResponse<String> r = http.sendAsync(request(url(), chat(100, false), "async-3"),
        HttpResponse.BodyHandlers.ofString()).get();
    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(r.body()).contains("budget_exceeded");
    assertThat(server.getRequestCount()).isZero();
  }

  /**
   * A stream whose last line has no newline, read by a caller that asks for one item at a time and
   * late: the last line is held until asked for, never pushed past the caller's demand.
   */
  @Test
  void aLastLineWaitsForTheCallersDemand() throws Exception {
    String body = sse(true) + "data: {\"id\":\"gen-2\",\"choices\":[]}"; // no newline at the end
    server.enqueue(new MockResponse().setBody(body).setHeader("Content-Type", "text/event-stream"));
    java.util.concurrent.atomic.AtomicLong outstanding = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean overrun = new java.util.concurrent.atomic.AtomicBoolean();
    StringBuilder got = new StringBuilder();
    java.util.concurrent.CompletableFuture<String> done = new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.ScheduledExecutorService later = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    HttpResponse.BodyHandler<String> slow = info -> new HttpResponse.BodySubscriber<String>() {
      java.util.concurrent.Flow.Subscription sub;

      @Override
      public java.util.concurrent.CompletionStage<String> getBody() {
        return done;
      }

      @Override
      public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
        sub = s;
        outstanding.incrementAndGet();
        s.request(1);
      }

      @Override
      public void onNext(List<java.nio.ByteBuffer> item) {
        if (outstanding.decrementAndGet() < 0) {
          overrun.set(true);
        }
        item.forEach(b -> got.append(java.nio.charset.StandardCharsets.UTF_8.decode(b)));
        later.schedule(() -> { // the next item is asked for late, from another thread
          outstanding.incrementAndGet();
          sub.request(1);
        }, 20, java.util.concurrent.TimeUnit.MILLISECONDS);
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onComplete() {
        done.complete(got.toString());
      }
    };
    try {
      String read = http.send(request(url(), chat(100, true), "late-1"), slow).body();
      assertThat(read).endsWith("data: {\"id\":\"gen-2\",\"choices\":[]}");
      assertThat(overrun).isFalse();
      assertThat(events).containsExactly("committed late-1 27000000");
    } finally {
      later.shutdownNow();
    }
  }
}
