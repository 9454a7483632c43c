package dev.kopeck.spring;

import static dev.kopeck.testkit.GuardedClientContract.ANSWER;
import static dev.kopeck.testkit.GuardedClientContract.MODEL;
import static dev.kopeck.testkit.GuardedClientContract.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kopeck.budget.BudgetLedger;
import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.budget.Scope;
import dev.kopeck.budget.redis.RedisLedger;
import dev.kopeck.core.estimate.Estimator;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.core.guard.BudgetRefusedException;
import dev.kopeck.micrometer.KopeckMetrics;
import dev.kopeck.okhttp.KopeckInterceptor;
import dev.kopeck.spring.ai.KopeckAdvisor;
import dev.kopeck.spring.ai.KopeckTokenCountEstimator;
import dev.kopeck.tokens.Tokenizers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.UUID;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.model.openai.autoconfigure.OpenAiChatAutoConfiguration;
import org.springframework.ai.model.tool.autoconfigure.ToolCallingAutoConfiguration;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.http.okhttp.OpenAiHttpClientBuilderCustomizer;
import org.springframework.ai.tokenizer.TokenCountEstimator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The auto-configuration in a real application context (Boot 4.0, Spring AI 2.0), and Spring AI's
 * own OpenAI auto-configuration and ChatClient against a real server on loopback answering as the
 * router does.
 */
class KopeckAutoConfigurationTest {
  final ApplicationContextRunner kopeck = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(KopeckAutoConfiguration.class));
  MockWebServer server;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.shutdown();
  }

  ApplicationContextRunner withSpringAi(String... more) {
    return kopeck.withConfiguration(AutoConfigurations.of(ToolCallingAutoConfiguration.class,
            OpenAiChatAutoConfiguration.class))
        .withPropertyValues("spring.ai.openai.base-url=" + server.url("/api/v1"), "spring.ai.openai.api-key=k",
            "spring.ai.openai.max-retries=0", "spring.ai.openai.chat.options.model=" + MODEL,
            "spring.ai.openai.chat.options.max-tokens=100", "kopeck.scope=team:ml",
            "kopeck.budgets[0].scope=team:ml", "kopeck.budgets[0].limit=1", "kopeck.budgets[0].period=month")
        .withPropertyValues(more);
  }

  @Test
  void theDefaultsAreAnInMemoryLedgerWithTheConfiguredLimitsAndEveryPartThereIsRoomFor() {
    kopeck.withPropertyValues("kopeck.budgets[0].scope=team:ml", "kopeck.budgets[0].limit=250.5",
        "kopeck.budgets[0].currency=RUB", "kopeck.budgets[0].period=day").run(ctx -> {
          assertThat(ctx).hasSingleBean(Estimator.class).hasSingleBean(BudgetGuard.class)
              .hasSingleBean(KopeckInterceptor.class).hasSingleBean(OpenAiHttpClientBuilderCustomizer.class)
              .hasSingleBean(KopeckAdvisor.class).doesNotHaveBean(KopeckMetrics.class)
              // no model configured: no token counter for one, rather than one for a guessed model
              .doesNotHaveBean(TokenCountEstimator.class);
          BudgetLedger ledger = ctx.getBean(BudgetLedger.class);
          assertThat(ledger).isInstanceOf(InMemoryLedger.class);
          assertThat(ledger.status(Scope.of("team:ml")).limitNanos()).isEqualTo(250_500_000_000L);
          assertThat(ledger.status(Scope.of("team:ml")).currency().getCurrencyCode()).isEqualTo("RUB");
        });
  }

  @Test
  void aDefaultModelIsConfiguredExplicitly() {
    kopeck.withPropertyValues("kopeck.default-model=gpt-4o").run(ctx -> {
      assertThat(ctx).hasSingleBean(TokenCountEstimator.class);
      assertThat(ctx.getBean(Estimator.class).registry().choose(null, null)).isEqualTo("gpt-4o");
    });
    kopeck.withPropertyValues("kopeck.default-model=gtp-4o").run(ctx -> assertThat(ctx).hasFailed());
  }

  @Test
  void offMeansNoBeans() {
    kopeck.withPropertyValues("kopeck.enabled=false").run(ctx -> assertThat(ctx).doesNotHaveBean(BudgetGuard.class));
  }

  @Test
  void aRedisUrlMakesARedisLedgerSharedByEveryInstance() {
    String prefix = "kopeck-spring-" + UUID.randomUUID();
    kopeck.withPropertyValues("kopeck.ledger.redis-url=redis://127.0.0.1:6379", "kopeck.ledger.prefix=" + prefix,
        "kopeck.budgets[0].scope=team:ml", "kopeck.budgets[0].limit=3").run(ctx -> {
          BudgetLedger ledger = ctx.getBean(BudgetLedger.class);
          assertThat(ledger).isInstanceOf(RedisLedger.class);
          try (RedisLedger other = RedisLedger.builder().url("redis://127.0.0.1:6379").prefix(prefix).build()) {
            assertThat(other.status(Scope.of("team:ml")).limitNanos()).isEqualTo(3_000_000_000L);
          }
        });
  }

  @Test
  void aLimitWithoutAScopeStopsTheApplication() {
    kopeck.withPropertyValues("kopeck.budgets[0].limit=3").run(ctx -> assertThat(ctx).hasFailed()
        .getFailure().rootCause().hasMessageContaining("kopeck.budgets: each budget needs a scope and a limit"));
  }

  @Test
  void theApplicationsOwnBeansWin() {
    InMemoryLedger mine = InMemoryLedger.builder().build();
    kopeck.withBean(BudgetLedger.class, () -> mine).run(ctx -> assertThat(ctx.getBean(BudgetLedger.class)).isSameAs(mine));
  }

  @Test
  void aMeterRegistryGetsTheMetrics() {
    server.enqueue(new MockResponse().setBody(ANSWER).setHeader("Content-Type", "application/json"));
    withSpringAi().withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(ctx -> {
      assertThat(ctx).hasSingleBean(KopeckMetrics.class);
      ChatClient.create(ctx.getBean(OpenAiChatModel.class)).prompt("Say hello in three words.").call().content();
      assertThat(ctx.getBean(MeterRegistry.class).get("kopeck.cost").counter().count()).isEqualTo(0.027);
    });
  }

  /** Spring AI's own OpenAI auto-configuration picks up the starter's hook: every call is guarded on the wire. */
  @Test
  void springAisOpenAiClientIsGuardedOnTheWire() {
    server.enqueue(new MockResponse().setBody(ANSWER).setHeader("Content-Type", "application/json"));
    server.enqueue(new MockResponse().setBody(sse(true)).setHeader("Content-Type", "text/event-stream"));
    withSpringAi().run(ctx -> {
      ChatClient chat = ChatClient.create(ctx.getBean(OpenAiChatModel.class));
      assertThat(chat.prompt("Say hello in three words.").call().content()).isEqualTo("Hello there, friend.");
      assertThat(String.join("", chat.prompt("Say hello in three words.").stream().content().collectList().block()))
          .isEqualTo("Hello there, friend.");
      BudgetLedger ledger = ctx.getBean(BudgetLedger.class);
      assertThat(ledger.status(Scope.of("team:ml")).spentNanos()).isEqualTo(2 * 27_000_000L);
      assertThat(ledger.status(Scope.of("team:ml")).reservedNanos()).isZero();
    });
  }

  @Test
  void anUpstreamErrorIsReleased() {
    server.enqueue(new MockResponse().setResponseCode(500).setBody("{\"error\":{\"message\":\"boom\"}}"));
    withSpringAi().run(ctx -> {
      ChatClient chat = ChatClient.create(ctx.getBean(OpenAiChatModel.class));
      assertThatThrownBy(() -> chat.prompt("Say hello in three words.").call().content())
          .isNotInstanceOf(BudgetRefusedException.class);
      BudgetLedger ledger = ctx.getBean(BudgetLedger.class);
      assertThat(ledger.status(Scope.of("team:ml")).reservedNanos()).isZero();
      assertThat(ledger.status(Scope.of("team:ml")).spentNanos()).isZero();
    });
  }

  /** 100 ChatClient calls race for a budget that holds a few: never overspent. */
  @Test
  void concurrentSpringAiCallsNeverPassTheLimit() {
    server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
      @Override
      public MockResponse dispatch(okhttp3.mockwebserver.RecordedRequest request) {
        return new MockResponse().setBody(ANSWER).setHeader("Content-Type", "application/json")
            .setBodyDelay(20, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    });
    withSpringAi("kopeck.budgets[0].limit=0.2", "spring.ai.openai.chat.options.max-tokens=1000").run(ctx -> {
      ChatClient chat = ChatClient.create(ctx.getBean(OpenAiChatModel.class));
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
      java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
      try {
        List<java.util.concurrent.Future<?>> fs = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
          fs.add(pool.submit(() -> {
            try {
              chat.prompt("Say hello in three words.").call().content();
              answered.incrementAndGet();
            } catch (RuntimeException e) {
              assertThat(e).hasStackTraceContaining("Kopeck refused the call");
              refused.incrementAndGet();
            }
          }));
        }
        for (java.util.concurrent.Future<?> f : fs) {
          f.get(1, java.util.concurrent.TimeUnit.MINUTES);
        }
      } finally {
        pool.shutdownNow();
      }
      BudgetLedger ledger = ctx.getBean(BudgetLedger.class);
      assertThat(answered.get()).isPositive();
      assertThat(refused.get()).isPositive();
      assertThat(ledger.status(Scope.of("team:ml")).spentNanos()).isEqualTo(27_000_000L * answered.get())
          .isLessThanOrEqualTo(200_000_000L);
      assertThat(ledger.status(Scope.of("team:ml")).reservedNanos()).isZero();
    });
  }

  @Test
  void overBudgetSpringAiSeesTheRefusal() {
    withSpringAi("kopeck.budgets[0].limit=0.000001").run(ctx -> {
      ChatClient chat = ChatClient.create(ctx.getBean(OpenAiChatModel.class));
      assertThatThrownBy(() -> chat.prompt("Say hello in three words.").call().content())
          .hasStackTraceContaining("Kopeck refused the call: the budget of team:ml");
      assertThat(server.getRequestCount()).isZero();
    });
  }

  /** The advisor guards any model; with the wire hook off, it is what charges Spring AI's OpenAI model. */
  @Test
  void theAdvisorChargesTheScopeACallNames() {
    server.enqueue(new MockResponse().setBody(ANSWER).setHeader("Content-Type", "application/json"));
    server.enqueue(new MockResponse().setBody(sse(true)).setHeader("Content-Type", "text/event-stream"));
    withSpringAi("kopeck.openai-http=false", "kopeck.budgets[1].scope=team:search", "kopeck.budgets[1].limit=1")
        .run(ctx -> {
          assertThat(ctx).doesNotHaveBean(OpenAiHttpClientBuilderCustomizer.class);
          ChatClient chat = ChatClient.builder(ctx.getBean(OpenAiChatModel.class))
              .defaultAdvisors(ctx.getBean(KopeckAdvisor.class)).build();
          chat.prompt("Say hello in three words.").call().content();
          chat.prompt("Say hello in three words.").advisors(a -> a.param(KopeckAdvisor.SCOPE, "team:search"))
              .stream().content().collectList().block();
          BudgetLedger ledger = ctx.getBean(BudgetLedger.class);
          assertThat(ledger.status(Scope.of("team:ml")).spentNanos()).isEqualTo(27_000_000L);
          assertThat(ledger.status(Scope.of("team:search")).spentNanos()).isEqualTo(27_000_000L);
          assertThat(ledger.status(Scope.of("team:search")).reservedNanos()).isZero();
        });
  }

  @Test
  void theAdvisorRefusesWithoutCallingTheModel() {
    withSpringAi("kopeck.openai-http=false", "kopeck.budgets[0].limit=0.000001").run(ctx -> {
      ChatClient chat = ChatClient.builder(ctx.getBean(OpenAiChatModel.class))
          .defaultAdvisors(ctx.getBean(KopeckAdvisor.class)).build();
      assertThatThrownBy(() -> chat.prompt("Say hello in three words.").call().content())
          .isInstanceOf(BudgetRefusedException.class);
      assertThatThrownBy(() -> chat.prompt("Say hello in three words.").stream().content().collectList().block())
          .isInstanceOf(BudgetRefusedException.class);
      assertThat(server.getRequestCount()).isZero();
    });
  }

  @Test
  void theTokenCountEstimatorCountsWithTheModelsTokenizer() {
    withSpringAi().run(ctx -> {
      TokenCountEstimator t = ctx.getBean(TokenCountEstimator.class);
      assertThat(t).isInstanceOf(KopeckTokenCountEstimator.class);
      String text = "Kopeck counts every token, to the kopeck.";
      assertThat(t.estimate(text)).isEqualTo(Tokenizers.require("gemma3").count(text));
      assertThat(t.estimate(List.of(new org.springframework.ai.chat.messages.UserMessage(text))))
          .isGreaterThanOrEqualTo(t.estimate(text));
    });
  }
}
