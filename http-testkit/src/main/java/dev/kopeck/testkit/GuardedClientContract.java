package dev.kopeck.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kopeck.budget.Admission;
import dev.kopeck.budget.BudgetLedger;
import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.BudgetUnavailableException;
import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.budget.Scope;
import dev.kopeck.core.estimate.Estimator;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.core.guard.Charge;
import dev.kopeck.core.guard.GuardListener;
import dev.kopeck.core.guard.HttpChatGuard;
import dev.kopeck.core.reconcile.Reconciler;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
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
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every HTTP integration must do, run through a real client against a real HTTP server on
 * loopback (MockWebServer) answering as the router's OpenAI-compatible API does, priced with the
 * router's Gemini 2.0 Flash tariff (input 15 RUB/1M, output 60 RUB/1M). A client's test extends it
 * and says how to build the client and make a call.
 */
public abstract class GuardedClientContract {
  public static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-10T12:00:00Z"), ZoneOffset.UTC);
  public static final Scope TEAM = Scope.of("team:ml");
  public static final String MODEL = "google/gemini-2.0-flash-001";
  /** One estimator for every test: its tables and vocabularies load once. */
  public static final Estimator EST = Estimator.builder().clock(CLOCK).build();

  /** A guard on {@code ledger}, pricing at the tests' fixed time. */
  public static BudgetGuard guard(BudgetLedger ledger) {
    return new BudgetGuard(EST, Reconciler.builder().estimator(EST).clock(CLOCK).build(), ledger, CLOCK);
  }

  /** An answer as the caller read it. */
  public record Reply(int code, String body, String retryAfter) {}

  /** A client with the integration in its path. */
  public interface Client {
    /** POSTs {@code body} to {@code url} with {@code key} as the idempotency key (none if null), and reads the whole answer. */
    Reply post(String url, String body, String key) throws IOException;

    /** POSTs, reads a few bytes of the answer, and closes it. */
    void postAndCloseEarly(String url, String body, String key) throws IOException;
  }

  /**
   * Builds the client under test: charging {@code TEAM} through {@code guard}, giving up on an
   * answer after {@code timeout}, never retrying a call on its own.
   */
  protected abstract Client client(BudgetGuard guard, Duration timeout);

  protected MockWebServer server;
  protected InMemoryLedger ledger;
  protected Client client;
  protected final List<String> events = new CopyOnWriteArrayList<>();
  protected final GuardListener listener = new GuardListener() {
    @Override
    public void refused(Admission.Refusal r, ChatRequest request) {
      events.add("refused " + r.requestId());
    }

    @Override
    public void committed(Charge c, boolean estimated) {
      events.add("committed " + c.requestId() + " " + c.commit().actualNanos() + (estimated ? " estimated" : ""));
    }

    @Override
    public void released(String id, String why) {
      events.add("released " + id);
    }

    @Override
    public void commitFailed(String id, RuntimeException e) {
      events.add("commitFailed " + id + ": " + e.getMessage());
    }
  };

  @BeforeEach
  void startServer() throws IOException {
    server = new MockWebServer();
    server.start();
    ledger = InMemoryLedger.builder().clock(CLOCK).build();
    ledger.setLimit(TEAM, 1_000_000_000L, BudgetPeriod.MONTH); // 1 RUB
    client = client(guard(ledger).withListener(listener), Duration.ofSeconds(30));
  }

  @AfterEach
  void stopServer() throws IOException {
    server.shutdown();
  }

  // ---- recorded bodies ----

  public static String chat(int maxTokens, boolean stream) {
    return "{\"model\":\"" + MODEL + "\",\"max_tokens\":" + maxTokens + (stream ? ",\"stream\":true" : "")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in three words.\"}]}";
  }

  public static final String ANSWER = "{\"id\":\"gen-1\",\"model\":\"" + MODEL + "\",\"choices\":[{\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello there, friend.\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":200,\"total_tokens\":1200}}";

  /** What every chunk of the router's streams carries beside its id (openai-java requires the model). */
  static final String CHUNK = "\"object\":\"chat.completion.chunk\",\"created\":1741608000,\"model\":\"" + MODEL + "\",";

  /** A chat stream of three words, and its usage chunk if {@code withUsage}. */
  public static String sse(boolean withUsage) {
    StringBuilder b = new StringBuilder();
    for (String w : new String[] {"Hello", " there,", " friend."}) {
      b.append("data: {\"id\":\"gen-2\",").append(CHUNK).append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
          .append(w).append("\"}}]}\n\n");
    }
    if (withUsage) {
      b.append("data: {\"id\":\"gen-2\",").append(CHUNK).append("\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":200,"
          + "\"total_tokens\":1200}}\n\n");
    }
    return b.append("data: [DONE]\n\n").toString();
  }

  /** A Responses API request: instructions, and input as a list of messages. */
  public static String responses(boolean stream) {
    return "{\"model\":\"" + MODEL + "\",\"max_output_tokens\":100" + (stream ? ",\"stream\":true" : "")
        + ",\"instructions\":\"Be brief.\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
        + "\"text\":\"Say hello in three words.\"}]}]}";
  }

  static final String RESPONSE_USAGE = "\"usage\":{\"input_tokens\":1000,\"input_tokens_details\":{\"cached_tokens\":0},"
      + "\"output_tokens\":200,\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":1200}";

  public static final String RESPONSE = "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"completed\","
      + "\"model\":\"" + MODEL + "\",\"output\":[{\"type\":\"message\",\"id\":\"msg_1\",\"role\":\"assistant\","
      + "\"content\":[{\"type\":\"output_text\",\"text\":\"Hello there, friend.\",\"annotations\":[]}]}],"
      + RESPONSE_USAGE + "}";

  /** A Responses stream: typed events, the usage in the response that response.completed carries. */
  public static String responsesSse(boolean completed) {
    StringBuilder b = new StringBuilder();
    b.append("event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"resp_2\","
        + "\"status\":\"in_progress\",\"usage\":null}}\n\n");
    for (String w : new String[] {"Hello", " there,", " friend."}) {
      b.append("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"item_id\":"
          + "\"msg_2\",\"output_index\":0,\"content_index\":0,\"delta\":\"").append(w).append("\"}\n\n");
    }
    if (completed) {
      b.append("event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":"
          + RESPONSE.replace("resp_1", "resp_2") + "}\n\n");
    }
    return b.toString();
  }

  protected String url() {
    return server.url("/api/v1/chat/completions").toString();
  }

  protected String responsesUrl() {
    return server.url("/api/v1/responses").toString();
  }

  // ---- the scenarios ----

  @Test
  void aJsonAnswerCommitsTheCostOfItsUsage() throws Exception {
    server.enqueue(new MockResponse().setBody(ANSWER).setHeader("Content-Type", "application/json"));
    Reply r = client.post(url(), chat(100, false), "req-1");
    assertThat(r.code()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(ANSWER); // the caller reads the body as sent
    // 1000 x 15/1M + 200 x 60/1M = 0.027 RUB
    assertThat(events).containsExactly("committed req-1 27000000");
    assertThat(ledger.status(TEAM).spentNanos()).isEqualTo(27_000_000L);
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
    assertThat(server.takeRequest().getHeader(HttpChatGuard.REQUEST_ID_HEADER)).isEqualTo("req-1");
  }

  @Test
  void aCallWithoutAKeyIsSentWithOneMade() throws Exception {
    server.enqueue(new MockResponse().setBody(ANSWER));
    client.post(url(), chat(100, false), null);
    String sent = server.takeRequest().getHeader(HttpChatGuard.REQUEST_ID_HEADER);
    assertThat(sent).startsWith("kopeck-");
    assertThat(events).containsExactly("committed " + sent + " 27000000");
  }

  @Test
  void overBudgetIsA402InOpenAisErrorFormatAndNeverReachesUpstream() throws Exception {
    ledger.setLimit(TEAM, 1_000L, BudgetPeriod.MONTH);
    Reply r = client.post(url(), chat(100, false), "req-2");
    assertThat(r.code()).isEqualTo(402);
    assertThat(r.body()).contains("\"type\":\"insufficient_budget\"").contains("\"code\":\"budget_exceeded\"")
        .contains("team:ml");
    assertThat(server.getRequestCount()).isZero();
    assertThat(events).containsExactly("refused req-2");
  }

  @Test
  void anErrorAnswerReleases() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(500).setBody("{\"error\":{\"message\":\"boom\"}}"));
    assertThat(client.post(url(), chat(100, false), "req-3").code()).isEqualTo(500);
    assertThat(events).containsExactly("released req-3");
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
    assertThat(ledger.status(TEAM).spentNanos()).isZero();
  }

  @Test
  void aBrokenConnectionReleases() throws Exception {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
    assertThatThrownBy(() -> client.post(url(), chat(100, false), "req-4")).isInstanceOf(IOException.class);
    assertThat(events).containsExactly("released req-4");
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void aStreamAsksForItsUsageAndCommitsIt() throws Exception {
    server.enqueue(new MockResponse().setBody(sse(true)).setHeader("Content-Type", "text/event-stream"));
    // the usage chunk the caller did not ask for is left out; the rest passes unchanged
    assertThat(client.post(url(), chat(100, true), "req-5").body()).isEqualTo(sse(false));
    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getBody().readUtf8()).contains("\"stream_options\":{\"include_usage\":true}");
    assertThat(events).containsExactly("committed req-5 27000000");
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  /** Cached tokens in a stream's usage are priced as cached (peers have dropped them from streamed usage). */
  @Test
  void aStreamsCachedTokensArePricedAsCached() throws Exception {
    String cached = sse(true).replace("\"total_tokens\":1200}", "\"total_tokens\":1200,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":400}}");
    server.enqueue(new MockResponse().setBody(cached).setHeader("Content-Type", "text/event-stream"));
    client.post(url(), chat(100, true), "req-15");
    // 600 x 15/1M + 400 x 3/1M (cache read) + 200 x 60/1M = 0.0222 RUB
    assertThat(events).containsExactly("committed req-15 22200000");
  }

  @Test
  void aCallerThatAskedForTheUsageGetsIt() throws Exception {
    server.enqueue(new MockResponse().setBody(sse(true)).setHeader("Content-Type", "text/event-stream"));
    String asked = chat(100, true).replace("\"stream\":true", "\"stream\":true,\"stream_options\":{\"include_usage\":true}");
    assertThat(client.post(url(), asked, "req-8").body()).isEqualTo(sse(true));
    assertThat(events).containsExactly("committed req-8 27000000");
  }

  @Test
  void aStreamWithoutUsageCommitsAnEstimateFlaggedAsSuch() throws Exception {
    server.enqueue(new MockResponse().setBody(sse(false)).setHeader("Content-Type", "text/event-stream"));
    client.post(url(), chat(100, true), "req-6");
    assertThat(events).hasSize(1);
    assertThat(events.get(0)).startsWith("committed req-6 ").endsWith(" estimated");
    long spent = ledger.status(TEAM).spentNanos();
    assertThat(spent).isPositive().isLessThan(27_000_000L); // a short prompt and three words
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void aStreamCutMidWayCommitsAnEstimateOfWhatArrived() throws Exception {
    String half = sse(true).substring(0, sse(true).indexOf(" friend."));
    server.enqueue(new MockResponse().setBody(half).setHeader("Content-Type", "text/event-stream")
        .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
    try {
      client.post(url(), chat(100, true), "req-13");
    } catch (IOException cut) {
      // the caller may see the cut
    }
    assertThat(events).hasSize(1);
    assertThat(events.get(0)).startsWith("committed req-13 ").endsWith(" estimated");
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void aStreamTheClientClosesEarlyIsCommittedOnce() throws Exception {
    server.enqueue(new MockResponse().setBody(sse(true)).setHeader("Content-Type", "text/event-stream"));
    client.postAndCloseEarly(url(), chat(100, true), "req-7");
    // a client may end the call on its own thread (the JDK's finishes reading what had arrived): wait for it
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (events.isEmpty() && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    assertThat(events).hasSize(1);
    assertThat(events.get(0)).startsWith("committed req-7 ");
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void aRetriedCallWithTheSameKeyIsChargedOnce() throws Exception {
    server.enqueue(new MockResponse().setBody(ANSWER));
    server.enqueue(new MockResponse().setBody(ANSWER));
    client.post(url(), chat(100, false), "same");
    client.post(url(), chat(100, false), "same");
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
          codes.merge(client.post(url(), chat(1000, false), "race-" + n).code(), 1, Integer::sum);
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
    server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "1")
        .setBody("{\"error\":{\"message\":\"rate limited\"}}"));
    Reply r = client.post(url(), chat(100, false), "req-9");
    assertThat(r.code()).isEqualTo(429);
    assertThat(r.retryAfter()).isEqualTo("1");
    assertThat(events).containsExactly("released req-9");
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  /** A 402 from upstream (the provider's own balance ran out) is released and passed on as it came. */
  @Test
  void anUpstream402Releases() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(402).setBody("{\"error\":{\"message\":\"Insufficient credits\"}}"));
    Reply r = client.post(url(), chat(100, false), "req-14");
    assertThat(r.code()).isEqualTo(402);
    assertThat(r.body()).contains("Insufficient credits");
    assertThat(events).containsExactly("released req-14");
  }

  /** An upstream slower than the client's timeout: the caller gets the timeout, the reservation is released. */
  @Test
  void aSlowUpstreamTimesOutAndReleases() throws Exception {
    client = client(guard(ledger).withListener(listener), Duration.ofMillis(300));
    server.enqueue(new MockResponse().setBody(ANSWER).setHeadersDelay(2, TimeUnit.SECONDS));
    assertThatThrownBy(() -> client.post(url(), chat(100, false), "req-10")).isInstanceOf(IOException.class);
    assertThat(events).containsExactly("released req-10");
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  /** A request that is not valid JSON is answered 400 in plain words, and never sent. */
  @Test
  void aBrokenRequestIsA400InPlainWords() throws Exception {
    Reply r = client.post(url(), "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"a\nb\"}]}",
        "req-11");
    assertThat(r.code()).isEqualTo(400);
    assertThat(r.body()).contains("kopeck_cannot_estimate").doesNotContain("REDACTED").doesNotContain("StreamReadFeature");
    assertThat(server.getRequestCount()).isZero();
  }

  /** The ledger failing at commit does not take the answer from the caller: it is told to the listener. */
  @Test
  void aCommitThatFailsStillAnswersTheCaller() throws Exception {
    // a ledger whose store goes down between the reserve and the commit
    BudgetLedger failing = (BudgetLedger) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {BudgetLedger.class}, (proxy, m, args) -> {
          if (m.getName().equals("commit")) {
            throw new BudgetUnavailableException("Redis at 127.0.0.1:6379 cannot be reached", null);
          }
          try {
            return m.invoke(ledger, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    client = client(guard(failing).withListener(listener), Duration.ofSeconds(30));
    server.enqueue(new MockResponse().setBody(ANSWER));
    Reply r = client.post(url(), chat(100, false), "req-12");
    assertThat(r.code()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(ANSWER);
    assertThat(events).containsExactly("commitFailed req-12: Redis at 127.0.0.1:6379 cannot be reached");
    assertThat(ledger.status(TEAM).reservedNanos()).isPositive(); // held until its TTL
  }

  @Test
  void aResponsesApiAnswerCommitsItsUsage() throws Exception {
    server.enqueue(new MockResponse().setBody(RESPONSE).setHeader("Content-Type", "application/json"));
    Reply r = client.post(responsesUrl(), responses(false), "resp-1");
    assertThat(r.body()).isEqualTo(RESPONSE);
    assertThat(events).containsExactly("committed resp-1 27000000");
    assertThat(server.takeRequest().getBody().readUtf8()).isEqualTo(responses(false)); // sent as written
  }

  @Test
  void aResponsesApiStreamCommitsTheUsageOfItsCompletedEvent() throws Exception {
    server.enqueue(new MockResponse().setBody(responsesSse(true)).setHeader("Content-Type", "text/event-stream"));
    assertThat(client.post(responsesUrl(), responses(true), "resp-2").body()).isEqualTo(responsesSse(true));
    assertThat(events).containsExactly("committed resp-2 27000000");
    assertThat(server.takeRequest().getBody().readUtf8()).doesNotContain("stream_options");
  }

  @Test
  void aResponsesApiStreamWithoutItsCompletedEventCommitsAnEstimate() throws Exception {
    server.enqueue(new MockResponse().setBody(responsesSse(false)).setHeader("Content-Type", "text/event-stream"));
    client.post(responsesUrl(), responses(true), "resp-3");
    assertThat(events).hasSize(1);
    assertThat(events.get(0)).startsWith("committed resp-3 ").endsWith(" estimated");
  }

  @Test
  void otherCallsPassUntouched() throws Exception {
    server.enqueue(new MockResponse().setBody("{\"data\":[]}"));
    Reply r = client.post(server.url("/api/v1/embeddings").toString(), "{\"input\":\"hi\"}", null);
    assertThat(r.body()).isEqualTo("{\"data\":[]}");
    assertThat(events).isEmpty();
    assertThat(server.takeRequest().getHeader(HttpChatGuard.REQUEST_ID_HEADER)).isNull();
  }

  /** An idempotency key of 3,000 characters: refused at the door with a short quote of it, upstream never called. */
  @Test
  void aRequestIdPastTheLimitIsRefusedBeforeAnythingIsReserved() throws Exception {
    String key = "k".repeat(3000);
    Reply r = client.post(url(), chat(100, false), key);
    assertThat(r.code()).isEqualTo(400);
    assertThat(r.body()).contains("kopeck_invalid_request_id").contains("at most 255 characters, not 3000")
        .hasSizeLessThan(600);
    assertThat(events).isEmpty();
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
    assertThat(server.getRequestCount()).isZero();
  }

  /** A 20 MB image in the request: read with Kopeck's limits, estimated and sent, not refused. */
  @Test
  void aLargeImageIsNotRefused() throws Exception {
    byte[] png = java.util.Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
        + "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
    byte[] big = largePng(png, 15 << 20);
    String body = "{\"model\":\"" + MODEL + "\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"What is this?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":"
        + "\"data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(big) + "\"}}]}]}";
    server.enqueue(new MockResponse().setBody(ANSWER).setHeader("Content-Type", "application/json"));
    Reply r = client.post(url(), body, "img-1");
    assertThat(r.code()).as(r.body()).isEqualTo(200);
    assertThat(events).singleElement().asString().startsWith("committed img-1 ").doesNotContain("estimated");
    assertThat(server.takeRequest().getBodySize()).isEqualTo(body.length());
  }

  /** {@code png} with an ancillary chunk of {@code extra} zero bytes after its header: a valid PNG that large. */
  static byte[] largePng(byte[] png, int extra) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(png.length + extra + 12);
    b.put(png, 0, 33); // the signature and IHDR
    byte[] type = "zzTx".getBytes(java.nio.charset.StandardCharsets.US_ASCII); // ancillary, private, safe to copy
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(type);
    crc.update(new byte[extra]);
    b.putInt(extra).put(type).put(new byte[extra]).putInt((int) crc.getValue());
    b.put(png, 33, png.length - 33);
    return b.array();
  }
}
