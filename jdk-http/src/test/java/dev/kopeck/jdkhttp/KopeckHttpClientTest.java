package dev.kopeck.jdkhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.guard.BudgetGuard;
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
}
