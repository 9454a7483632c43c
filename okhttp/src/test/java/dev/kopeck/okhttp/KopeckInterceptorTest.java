package dev.kopeck.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.budget.Scope;
import dev.kopeck.estimate.Estimator;
import dev.kopeck.guard.BudgetGuard;
import dev.kopeck.reconcile.Reconciler;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The interceptor in a real OkHttp client against a real HTTP server on loopback (MockWebServer)
 * answering as the router's OpenAI-compatible API does, priced with the router's Gemini 2.0 Flash
 * tariff (input 15 RUB/1M, output 60 RUB/1M).
 */
class KopeckInterceptorTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-10T12:00:00Z"), ZoneOffset.UTC);
  static final Scope TEAM = Scope.of("team:ml");
  static final MediaType JSON = MediaType.get("application/json");
  static final String MODEL = "google/gemini-2.0-flash-001";
  /** One estimator for every test: its tables and vocabularies load once. */
  static final Estimator EST = Estimator.builder().clock(CLOCK).build();

  /** A guard on {@code ledger}, pricing at the tests' fixed time. */
  static BudgetGuard guard(dev.kopeck.budget.BudgetLedger ledger) {
    return new BudgetGuard(EST, Reconciler.builder().estimator(EST).clock(CLOCK).build(), ledger, CLOCK);
  }

  MockWebServer server;
  InMemoryLedger ledger;
  OkHttpClient client;
  final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    server = new MockWebServer();
    server.start();
    ledger = InMemoryLedger.builder().clock(CLOCK).build();
    KopeckInterceptor k = KopeckInterceptor.builder(guard(ledger), EST, r -> List.of(TEAM)).listener(new KopeckInterceptor.Listener() {
      @Override
      public void refused(String id, dev.kopeck.budget.Admission.Refusal r) {
        events.add("refused " + id);
      }

      @Override
      public void committed(String id, dev.kopeck.budget.Commit c, boolean estimated) {
        events.add("committed " + id + " " + c.actualNanos() + (estimated ? " estimated" : ""));
      }

      @Override
      public void released(String id, String why) {
        events.add("released " + id);
      }

    }).build();
    client = new OkHttpClient.Builder().addInterceptor(k).build();
  }

  @AfterEach
  void tearDown() throws IOException {
    server.shutdown();
  }

  static String chat(int maxTokens, boolean stream) {
    return "{\"model\":\"" + MODEL + "\",\"max_tokens\":" + maxTokens + (stream ? ",\"stream\":true" : "")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in three words.\"}]}";
  }

  Response call(String body, String key) throws IOException {
    Request.Builder b = new Request.Builder().url(server.url("/api/v1/chat/completions")).post(RequestBody.create(body, JSON));
    if (key != null) {
      b.header(KopeckInterceptor.REQUEST_ID_HEADER, key);
    }
    return client.newCall(b.build()).execute();
  }

  static final String ANSWER = "{\"id\":\"gen-1\",\"model\":\"" + MODEL + "\",\"choices\":[{\"index\":0,\"message\":"
      + "{\"role\":\"assistant\",\"content\":\"Hello there, friend.\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":200,\"total_tokens\":1200}}";

  @Test
  void aJsonAnswerCommitsTheCostOfItsUsage() throws Exception {
    ledger.setLimit(TEAM, 1_000_000_000L, BudgetPeriod.MONTH); // 1 RUB
    server.enqueue(new MockResponse().setBody(ANSWER).setHeader("Content-Type", "application/json"));
    try (Response r = call(chat(100, false), "req-1")) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.body().string()).isEqualTo(ANSWER); // the caller reads the body as sent
    }
    // 1000 x 15/1M + 200 x 60/1M = 0.027 RUB
    assertThat(events).containsExactly("committed req-1 27000000");
    assertThat(ledger.status(TEAM).spentNanos()).isEqualTo(27_000_000L);
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
    assertThat(server.takeRequest().getHeader(KopeckInterceptor.REQUEST_ID_HEADER)).isEqualTo("req-1");
  }

  @Test
  void overBudgetIsA402InOpenAisErrorFormatAndNeverReachesUpstream() throws Exception {
    ledger.setLimit(TEAM, 1_000L, BudgetPeriod.MONTH);
    try (Response r = call(chat(100, false), "req-2")) {
      assertThat(r.code()).isEqualTo(402);
      String body = r.body().string();
      assertThat(body).contains("\"type\":\"insufficient_budget\"").contains("\"code\":\"budget_exceeded\"")
          .contains("team:ml");
    }
    assertThat(server.getRequestCount()).isZero();
    assertThat(events).containsExactly("refused req-2");
  }

  @Test
  void anErrorAnswerOrABrokenConnectionReleases() throws Exception {
    ledger.setLimit(TEAM, 1_000_000_000L, BudgetPeriod.MONTH);
    server.enqueue(new MockResponse().setResponseCode(500).setBody("{\"error\":{\"message\":\"boom\"}}"));
    try (Response r = call(chat(100, false), "req-3")) {
      assertThat(r.code()).isEqualTo(500);
    }
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    client = client.newBuilder().retryOnConnectionFailure(false).build();
    try {
      call(chat(100, false), "req-4").close();
      throw new AssertionError("the call should have failed");
    } catch (IOException expected) {
      // the caller sees the failure
    }
    assertThat(events).contains("released req-3", "released req-4");
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
    assertThat(ledger.status(TEAM).spentNanos()).isZero();
  }

  static String sse(boolean withUsage) {
    StringBuilder b = new StringBuilder();
    for (String w : new String[] {"Hello", " there,", " friend."}) {
      b.append("data: {\"id\":\"gen-2\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(w)
          .append("\"}}]}\n\n");
    }
    if (withUsage) {
      b.append("data: {\"id\":\"gen-2\",\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":200,"
          + "\"total_tokens\":1200}}\n\n");
    }
    return b.append("data: [DONE]\n\n").toString();
  }

  @Test
  void aStreamAsksForItsUsageAndCommitsIt() throws Exception {
    ledger.setLimit(TEAM, 1_000_000_000L, BudgetPeriod.MONTH);
    server.enqueue(new MockResponse().setBody(sse(true)).setHeader("Content-Type", "text/event-stream"));
    try (Response r = call(chat(100, true), "req-5")) {
      // the usage chunk the caller did not ask for is left out; the rest passes unchanged
      assertThat(r.body().string()).isEqualTo(sse(false));
    }
    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getBody().readUtf8()).contains("\"stream_options\":{\"include_usage\":true}");
    assertThat(events).containsExactly("committed req-5 27000000");
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void aCallerThatAskedForTheUsageGetsIt() throws Exception {
    ledger.setLimit(TEAM, 1_000_000_000L, BudgetPeriod.MONTH);
    server.enqueue(new MockResponse().setBody(sse(true)).setHeader("Content-Type", "text/event-stream"));
    String asked = chat(100, true).replace("\"stream\":true", "\"stream\":true,\"stream_options\":{\"include_usage\":true}");
    try (Response r = call(asked, "req-8")) {
      assertThat(r.body().string()).isEqualTo(sse(true));
    }
    assertThat(events).containsExactly("committed req-8 27000000");
  }

  @Test
  void aStreamWithoutUsageCommitsAnEstimateFlaggedAsSuch() throws Exception {
    ledger.setLimit(TEAM, 1_000_000_000L, BudgetPeriod.MONTH);
    server.enqueue(new MockResponse().setBody(sse(false)).setHeader("Content-Type", "text/event-stream"));
    try (Response r = call(chat(100, true), "req-6")) {
      r.body().string();
    }
    assertThat(events).hasSize(1);
    assertThat(events.get(0)).startsWith("committed req-6 ").endsWith(" estimated");
    long spent = ledger.status(TEAM).spentNanos();
    assertThat(spent).isPositive().isLessThan(27_000_000L); // a short prompt and three words
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void aStreamTheClientClosesEarlyIsCommittedOnce() throws Exception {
    ledger.setLimit(TEAM, 1_000_000_000L, BudgetPeriod.MONTH);
    server.enqueue(new MockResponse().setBody(sse(true)).setHeader("Content-Type", "text/event-stream"));
    try (Response r = call(chat(100, true), "req-7")) {
      r.body().source().request(10); // reads a little, then closes
    }
    assertThat(events).hasSize(1);
    assertThat(events.get(0)).startsWith("committed req-7 ");
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void aRetriedCallWithTheSameKeyIsChargedOnce() throws Exception {
    ledger.setLimit(TEAM, 1_000_000_000L, BudgetPeriod.MONTH);
    server.enqueue(new MockResponse().setBody(ANSWER));
    server.enqueue(new MockResponse().setBody(ANSWER));
    call(chat(100, false), "same").close();
    call(chat(100, false), "same").close();
    assertThat(ledger.status(TEAM).spentNanos()).isEqualTo(27_000_000L);
  }

  /** 100 calls race for a budget that holds a few: never overspent beyond what was recorded as overspend. */
  @Test
  void concurrentCallsNeverPassTheLimit() throws Exception {
    long limit = 200_000_000L; // 0.2 RUB; each call reserves its worst case and costs 0.027
    ledger.setLimit(TEAM, limit, BudgetPeriod.MONTH);
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse().setBody(ANSWER).setBodyDelay(20, TimeUnit.MILLISECONDS);
      }
    });
    ExecutorService pool = Executors.newFixedThreadPool(16);
    ConcurrentHashMap<Integer, Integer> codes = new ConcurrentHashMap<>();
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        int n = i;
        fs.add(pool.submit(() -> {
          try (Response r = call(chat(1000, false), "race-" + n)) {
            codes.merge(r.code(), 1, Integer::sum);
            r.body().string();
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get(1, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(codes.keySet()).containsOnly(200, 402);
    assertThat(codes.get(200)).isPositive();
    assertThat(ledger.status(TEAM).spentNanos()).isLessThanOrEqualTo(limit);
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
    assertThat(ledger.status(TEAM).spentNanos()).isEqualTo(27_000_000L * codes.get(200));
  }

  /** A 429 (rate limited) is an error answer like any other: released, passed to the caller as it came. */
  @Test
  void aRateLimitedAnswerReleases() throws Exception {
    ledger.setLimit(TEAM, 1_000_000_000L, BudgetPeriod.MONTH);
    server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "1")
        .setBody("{\"error\":{\"message\":\"rate limited\"}}"));
    try (Response r = call(chat(100, false), "req-9")) {
      assertThat(r.code()).isEqualTo(429);
      assertThat(r.header("Retry-After")).isEqualTo("1");
    }
    assertThat(events).containsExactly("released req-9");
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  /** An upstream slower than the client's timeout: the caller gets the timeout, the reservation is released. */
  @Test
  void aSlowUpstreamTimesOutAndReleases() throws Exception {
    ledger.setLimit(TEAM, 1_000_000_000L, BudgetPeriod.MONTH);
    server.enqueue(new MockResponse().setBody(ANSWER).setHeadersDelay(2, TimeUnit.SECONDS));
    client = client.newBuilder().readTimeout(java.time.Duration.ofMillis(300)).retryOnConnectionFailure(false).build();
    try {
      call(chat(100, false), "req-10").close();
      throw new AssertionError("the call should have timed out");
    } catch (java.net.SocketTimeoutException expected) {
      // the caller sees the timeout
    }
    assertThat(events).containsExactly("released req-10");
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  /** A request that is not valid JSON is answered 400 in plain words, and never sent. */
  @Test
  void aBrokenRequestIsA400InPlainWords() throws Exception {
    try (Response r = call("{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"a\nb\"}]}",
        "req-11")) {
      assertThat(r.code()).isEqualTo(400);
      String body = r.body().string();
      assertThat(body).contains("kopeck_cannot_estimate").doesNotContain("REDACTED").doesNotContain("StreamReadFeature");
    }
    assertThat(server.getRequestCount()).isZero();
  }

  /** The ledger failing at commit does not take the answer from the caller: it is told to the listener. */
  @Test
  void aCommitThatFailsStillAnswersTheCaller() throws Exception {
    ledger.setLimit(TEAM, 1_000_000_000L, BudgetPeriod.MONTH);
    // a ledger whose store goes down between the reserve and the commit
    dev.kopeck.budget.BudgetLedger failing = (dev.kopeck.budget.BudgetLedger) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {dev.kopeck.budget.BudgetLedger.class}, (proxy, m, args) -> {
          if (m.getName().equals("commit")) {
            throw new dev.kopeck.budget.BudgetUnavailableException("Redis at 127.0.0.1:6379 cannot be reached", null);
          }
          try {
            return m.invoke(ledger, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    List<String> failed = new CopyOnWriteArrayList<>();
    KopeckInterceptor k = KopeckInterceptor.builder(guard(failing), EST, r -> List.of(TEAM)).listener(new KopeckInterceptor.Listener() {
      @Override
      public void commitFailed(String id, RuntimeException e) {
        failed.add(id + ": " + e.getMessage());
      }
    }).build();
    client = new OkHttpClient.Builder().addInterceptor(k).build();
    server.enqueue(new MockResponse().setBody(ANSWER));
    try (Response r = call(chat(100, false), "req-12")) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.body().string()).isEqualTo(ANSWER);
    }
    assertThat(failed).containsExactly("req-12: Redis at 127.0.0.1:6379 cannot be reached");
    assertThat(ledger.status(TEAM).reservedNanos()).isPositive(); // held until its TTL
  }
}
