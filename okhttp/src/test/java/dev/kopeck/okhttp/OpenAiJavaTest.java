package dev.kopeck.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.budget.Scope;
import java.io.IOException;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official openai-java client (4.101) with the interceptor, against a real server on loopback. */
class OpenAiJavaTest {
  static final Scope TEAM = Scope.of("team:ml");

  MockWebServer server;
  InMemoryLedger ledger;
  OpenAIClient openai;

  @BeforeEach
  void setUp() throws IOException {
    server = new MockWebServer();
    server.start();
    ledger = InMemoryLedger.builder().clock(KopeckInterceptorTest.CLOCK).build();
    KopeckInterceptor budget = new KopeckInterceptor(KopeckInterceptorTest.guard(ledger), r -> List.of(TEAM));
    openai = OpenAIOkHttpClient.builder().baseUrl(server.url("/api/v1").toString()).apiKey("test-key")
        .maxRetries(0).addInterceptor(budget).build();
  }

  @AfterEach
  void tearDown() throws IOException {
    openai.close();
    server.shutdown();
  }

  static ChatCompletionCreateParams params() {
    return ChatCompletionCreateParams.builder().model(KopeckInterceptorTest.MODEL).maxCompletionTokens(100)
        .addUserMessage("Say hello in three words.").build();
  }

  @Test
  void aCallIsChargedWhatItsUsageCosts() {
    ledger.setLimit(TEAM, 1_000_000_000L, BudgetPeriod.MONTH);
    server.enqueue(new MockResponse().setBody(KopeckInterceptorTest.ANSWER).setHeader("Content-Type", "application/json"));
    ChatCompletion c = openai.chat().completions().create(params());
    assertThat(c.choices().get(0).message().content()).contains("Hello there, friend.");
    assertThat(ledger.status(TEAM).spentNanos()).isEqualTo(27_000_000L);
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void aStreamIsChargedFromItsLastChunk() {
    ledger.setLimit(TEAM, 1_000_000_000L, BudgetPeriod.MONTH);
    server.enqueue(new MockResponse().setBody(KopeckInterceptorTest.sse(true))
        .setHeader("Content-Type", "text/event-stream"));
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> s = openai.chat().completions().createStreaming(params())) {
      s.stream().forEach(ch -> ch.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
    }
    assertThat(text.toString()).isEqualTo("Hello there, friend.");
    assertThat(ledger.status(TEAM).spentNanos()).isEqualTo(27_000_000L);
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void aResponsesCallIsChargedWhatItsUsageCosts() {
    ledger.setLimit(TEAM, 1_000_000_000L, BudgetPeriod.MONTH);
    server.enqueue(new MockResponse().setBody(KopeckInterceptorTest.RESPONSE).setHeader("Content-Type", "application/json"));
    Response r = openai.responses().create(ResponseCreateParams.builder().model(KopeckInterceptorTest.MODEL)
        .instructions("Be brief.").input("Say hello in three words.").maxOutputTokens(100L).build());
    assertThat(r.usage().get().outputTokens()).isEqualTo(200);
    assertThat(ledger.status(TEAM).spentNanos()).isEqualTo(27_000_000L);
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void overBudgetTheClientSeesAnError() {
    ledger.setLimit(TEAM, 1_000L, BudgetPeriod.MONTH);
    assertThatThrownBy(() -> openai.chat().completions().create(params()))
        .hasMessageContaining("402").hasMessageContaining("Kopeck refused the call: the budget of team:ml");
    assertThat(server.getRequestCount()).isZero();
  }
}
