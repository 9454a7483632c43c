package dev.kopeck.langchain4j;

import static dev.kopeck.testkit.GuardedClientContract.ANSWER;
import static dev.kopeck.testkit.GuardedClientContract.CLOCK;
import static dev.kopeck.testkit.GuardedClientContract.EST;
import static dev.kopeck.testkit.GuardedClientContract.MODEL;
import static dev.kopeck.testkit.GuardedClientContract.TEAM;
import static dev.kopeck.testkit.GuardedClientContract.guard;
import static dev.kopeck.testkit.GuardedClientContract.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kopeck.budget.Admission;
import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.core.guard.BudgetRefusedException;
import dev.kopeck.core.guard.Charge;
import dev.kopeck.core.guard.GuardListener;
import dev.kopeck.tokens.Tokenizers;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

/** LangChain4j's own OpenAI models (1.19), decorated, against a real server on loopback answering as the router does. */
class KopeckLangChain4jTest {
  MockWebServer server;
  InMemoryLedger ledger;
  BudgetGuard guard;
  final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    server = new MockWebServer();
    server.start();
    ledger = InMemoryLedger.builder().clock(CLOCK).build();
    ledger.setLimit(TEAM, 1_000_000_000L, BudgetPeriod.MONTH);
    guard = guard(ledger).withListener(new GuardListener() {
      @Override
      public void refused(Admission.Refusal r, ChatRequest request) {
        events.add("refused");
      }

      @Override
      public void committed(Charge c, boolean estimated) {
        events.add("committed " + c.commit().actualNanos() + (estimated ? " estimated" : ""));
      }

      @Override
      public void released(String id, String why) {
        events.add("released");
      }
    });
  }

  @AfterEach
  void tearDown() throws Exception {
    server.shutdown();
  }

  ChatModel model() {
    return new KopeckChatModel(OpenAiChatModel.builder().baseUrl(server.url("/api/v1").toString()).apiKey("k")
        .modelName(MODEL).maxTokens(100).maxRetries(0).build(), guard, r -> List.of(TEAM));
  }

  StreamingChatModel streaming() {
    return new KopeckStreamingChatModel(OpenAiStreamingChatModel.builder().baseUrl(server.url("/api/v1").toString())
        .apiKey("k").modelName(MODEL).maxTokens(100).build(), guard, r -> List.of(TEAM));
  }

  @Test
  void aCallCommitsTheUsageOfItsRawResponse() {
    server.enqueue(new MockResponse().setBody(ANSWER.replace("\"total_tokens\":1200",
        "\"total_tokens\":1200,\"prompt_tokens_details\":{\"cached_tokens\":400}"))
        .setHeader("Content-Type", "application/json"));
    assertThat(model().chat("Say hello in three words.")).isEqualTo("Hello there, friend.");
    // 600 x 15/1M + 400 cached x 3/1M + 200 x 60/1M = 0.0222 RUB: the cached tokens came from the raw response
    assertThat(events).containsExactly("committed 22200000");
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void overBudgetIsRefusedWithoutCallingTheModel() {
    ledger.setLimit(TEAM, 1_000L, BudgetPeriod.MONTH);
    assertThatThrownBy(() -> model().chat("Say hello in three words."))
        .isInstanceOf(BudgetRefusedException.class).hasMessageContaining("the budget of team:ml");
    assertThat(server.getRequestCount()).isZero();
    assertThat(events).containsExactly("refused");
  }

  @Test
  void aFailedCallIsReleased() {
    server.enqueue(new MockResponse().setResponseCode(500).setBody("{\"error\":{\"message\":\"boom\"}}"));
    assertThatThrownBy(() -> model().chat("Say hello in three words.")).isNotInstanceOf(BudgetRefusedException.class);
    assertThat(events).containsExactly("released");
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  /** What a streaming caller sees, and how the stream ended. */
  record Streamed(String text, ChatResponse response, Throwable error) {}

  Streamed stream(String prompt) throws Exception {
    CompletableFuture<Streamed> done = new CompletableFuture<>();
    StringBuilder text = new StringBuilder();
    streaming().chat(prompt, new StreamingChatResponseHandler() {
      @Override
      public void onPartialResponse(String partial) {
        text.append(partial);
      }

      @Override
      public void onCompleteResponse(ChatResponse r) {
        done.complete(new Streamed(text.toString(), r, null));
      }

      @Override
      public void onError(Throwable e) {
        done.complete(new Streamed(text.toString(), null, e));
      }
    });
    return done.get(30, TimeUnit.SECONDS);
  }

  @Test
  void aStreamCommitsTheUsageOfItsLastChunk() throws Exception {
    server.enqueue(new MockResponse().setBody(sse(true)).setHeader("Content-Type", "text/event-stream"));
    Streamed s = stream("Say hello in three words.");
    assertThat(s.text()).isEqualTo("Hello there, friend.");
    assertThat(events).containsExactly("committed 27000000");
    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getBody().readUtf8().replace(" ", "")).contains("\"include_usage\":true"); // LangChain4j asks for it itself
  }

  @Test
  void aStreamCutMidWayCommitsAnEstimate() throws Exception {
    String half = sse(true).substring(0, sse(true).indexOf(" friend."));
    server.enqueue(new MockResponse().setBody(half).setHeader("Content-Type", "text/event-stream")
        .setSocketPolicy(SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY));
    Streamed s = stream("Say hello in three words.");
    assertThat(s.error()).isNotNull();
    assertThat(s.text()).startsWith("Hello");
    assertThat(events).hasSize(1);
    assertThat(events.get(0)).startsWith("committed ").endsWith(" estimated");
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void aStreamOverBudgetIsRefusedThroughTheHandler() throws Exception {
    ledger.setLimit(TEAM, 1_000L, BudgetPeriod.MONTH);
    Streamed s = stream("Say hello in three words.");
    assertThat(s.error()).isInstanceOf(BudgetRefusedException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aStreamThatFailsBeforeAnyTextIsReleased() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(429).setBody("{\"error\":{\"message\":\"rate limited\"}}"));
    Streamed s = stream("Say hello in three words.");
    assertThat(s.error()).isNotNull();
    assertThat(events).containsExactly("released");
  }

  /** 100 calls race for a budget that holds a few: never overspent. */
  @Test
  void concurrentCallsNeverPassTheLimit() throws Exception {
    long limit = 200_000_000L;
    ledger.setLimit(TEAM, limit, BudgetPeriod.MONTH);
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse().setBody(ANSWER).setHeader("Content-Type", "application/json")
            .setBodyDelay(20, TimeUnit.MILLISECONDS);
      }
    });
    ChatModel m = new KopeckChatModel(OpenAiChatModel.builder().baseUrl(server.url("/api/v1").toString()).apiKey("k")
        .modelName(MODEL).maxTokens(1000).maxRetries(0).build(), guard, r -> List.of(TEAM));
    ExecutorService pool = Executors.newFixedThreadPool(16);
    ConcurrentHashMap<String, Integer> outcomes = new ConcurrentHashMap<>();
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        fs.add(pool.submit(() -> {
          try {
            m.chat("Say hello in three words.");
            outcomes.merge("answered", 1, Integer::sum);
          } catch (BudgetRefusedException e) {
            outcomes.merge("refused", 1, Integer::sum);
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get(1, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(outcomes.get("answered")).isPositive();
    assertThat(outcomes.get("refused")).isPositive();
    assertThat(ledger.status(TEAM).spentNanos()).isEqualTo(27_000_000L * outcomes.get("answered"))
        .isLessThanOrEqualTo(limit);
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void theTokenCountEstimatorCountsWithTheModelsTokenizer() {
    KopeckTokenCountEstimator t = new KopeckTokenCountEstimator(EST, MODEL);
    String text = "Kopeck counts every token, to the kopeck.";
    assertThat(t.estimateTokenCountInText(text)).isEqualTo(Tokenizers.require("gemma3").count(text));
    int one = t.estimateTokenCountInMessage(UserMessage.from(text));
    assertThat(one).isGreaterThanOrEqualTo(t.estimateTokenCountInText(text));
    int all = t.estimateTokenCountInMessages(List.of(SystemMessage.from("Be brief."), UserMessage.from(text),
        AiMessage.from("Hello.")));
    assertThat(all).isGreaterThan(one);
    assertThatThrownBy(() -> new KopeckTokenCountEstimator(EST, "no-such/model"))
        .hasMessageContaining("no-such/model");
  }
}
