package dev.kopeck.spring.boot3;

import static dev.kopeck.testkit.GuardedClientContract.ANSWER;
import static dev.kopeck.testkit.GuardedClientContract.chat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.budget.BudgetLedger;
import dev.kopeck.budget.Scope;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.micrometer.KopeckMetrics;
import dev.kopeck.okhttp.KopeckInterceptor;
import dev.kopeck.spring.KopeckAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter in a Spring Boot 3.5 application: its beans, its properties, and a call through its interceptor. */
class Boot3Test {
  @Test
  void theStarterWorksOnBoot35() throws Exception {
    assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      server.enqueue(new MockResponse().setBody(ANSWER).setHeader("Content-Type", "application/json"));
      new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(KopeckAutoConfiguration.class))
          .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
          .withPropertyValues("kopeck.scope=team:ml", "kopeck.budgets[0].scope=team:ml", "kopeck.budgets[0].limit=1")
          .run(ctx -> {
            assertThat(ctx).hasNotFailed().hasSingleBean(BudgetGuard.class).hasSingleBean(KopeckMetrics.class);
            assertThat(ctx).doesNotHaveBean("kopeckAdvisor"); // no Spring AI here
            OkHttpClient http = new OkHttpClient.Builder().addInterceptor(ctx.getBean(KopeckInterceptor.class)).build();
            try (Response r = http.newCall(new Request.Builder().url(server.url("/v1/chat/completions"))
                .post(RequestBody.create(chat(100, false), MediaType.get("application/json"))).build()).execute()) {
              assertThat(r.code()).isEqualTo(200);
            }
            assertThat(ctx.getBean(BudgetLedger.class).status(Scope.of("team:ml")).spentNanos()).isEqualTo(27_000_000L);
            assertThat(ctx.getBean(MeterRegistry.class).get("kopeck.cost").counter().count()).isEqualTo(0.027);
          });
    }
  }
}
