package dev.kopeck.opentelemetry;

import static dev.kopeck.testkit.GuardedClientContract.ANSWER;
import static dev.kopeck.testkit.GuardedClientContract.MODEL;
import static dev.kopeck.testkit.GuardedClientContract.chat;
import static dev.kopeck.testkit.GuardedClientContract.sse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.budget.Scope;
import dev.kopeck.core.guard.HttpChatGuard;
import dev.kopeck.testkit.GuardedClientContract;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guard's calls as the SDK's in-memory exporters received them, made through {@link HttpChatGuard}
 * as every HTTP integration makes them, priced with the router's Gemini 2.0 Flash tariff (1,000 in
 * and 200 out cost 0.027 RUB).
 */
class KopeckTelemetryTest {
  static final Scope TEAM = Scope.of("team:otel");

  InMemorySpanExporter spans;
  InMemoryMetricReader metrics;
  OpenTelemetrySdk sdk;
  InMemoryLedger ledger;
  HttpChatGuard calls;

  @BeforeEach
  void setUp() {
    spans = InMemorySpanExporter.create();
    metrics = InMemoryMetricReader.create();
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build()).build();
    ledger = InMemoryLedger.builder().clock(GuardedClientContract.CLOCK).build();
    ledger.setLimit(TEAM, 1_000_000_000L, BudgetPeriod.MONTH); // 1 RUB
    calls = new HttpChatGuard(GuardedClientContract.guard(ledger).withListener(new KopeckTelemetry(sdk)));
  }

  @AfterEach
  void tearDown() {
    sdk.close();
  }

  private HttpChatGuard.Call start(String body, String id) {
    return (HttpChatGuard.Call) calls.start(body, id, () -> List.of(TEAM));
  }

  @Test
  void aCommittedCallIsASpanWithTheGenAiAttributesAndItsExactCost() {
    HttpChatGuard.Call call = start(chat(100, false), "req-1");
    assertThat(call.answered(200)).isTrue();
    call.completed(ANSWER);

    assertThat(spans.getFinishedSpanItems()).hasSize(1);
    SpanData s = spans.getFinishedSpanItems().get(0);
    assertThat(s.getName()).isEqualTo("chat " + MODEL);
    assertThat(s.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    Attributes a = s.getAttributes();
    assertThat(a.get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("chat");
    assertThat(a.get(AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo(MODEL);
    assertThat(a.get(AttributeKey.longKey("gen_ai.request.max_tokens"))).isEqualTo(100L);
    assertThat(a.get(AttributeKey.stringKey("gen_ai.provider.name"))).isEqualTo("routerai");
    assertThat(a.get(AttributeKey.stringKey("gen_ai.response.model"))).isEqualTo(MODEL);
    assertThat(a.get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(1000L);
    assertThat(a.get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(200L);
    assertThat(a.get(AttributeKey.stringKey("kopeck.cost"))).isEqualTo("0.027");
    assertThat(a.get(AttributeKey.stringKey("kopeck.currency"))).isEqualTo("RUB");
    assertThat(a.get(AttributeKey.booleanKey("kopeck.usage.estimated"))).isFalse();
    assertThat(a.get(AttributeKey.stringArrayKey("kopeck.scopes"))).containsExactly("team:otel");
    assertThat(a.get(AttributeKey.stringKey("kopeck.request.id"))).isEqualTo("req-1");

    MetricData usage = metric("gen_ai.client.token.usage");
    assertThat(usage.getUnit()).isEqualTo("{token}");
    assertThat(usage.getHistogramData().getPoints()).extracting(p -> p.getAttributes().get(
        AttributeKey.stringKey("gen_ai.token.type")) + "=" + (long) p.getSum())
        .containsExactlyInAnyOrder("input=1000", "output=200");
    HistogramPointData in = usage.getHistogramData().getPoints().iterator().next();
    assertThat(in.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo(MODEL);
    assertThat(in.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name"))).isEqualTo("routerai");
    assertThat(in.getBoundaries()).startsWith(1.0, 4.0, 16.0);
    MetricData cost = metric("kopeck.cost");
    assertThat(cost.getDoubleSumData().getPoints()).singleElement().satisfies(p -> {
      assertThat(p.getValue()).isEqualTo(0.027);
      assertThat(p.getAttributes().get(AttributeKey.stringKey("kopeck.currency"))).isEqualTo("RUB");
    });
    assertThat(metric("gen_ai.client.operation.duration").getHistogramData().getPoints()).singleElement()
        .satisfies(p -> assertThat(p.getCount()).isEqualTo(1));
  }

  @Test
  void aStreamWithoutUsageIsFlaggedAsEstimated() {
    HttpChatGuard.Call call = start(chat(100, true), "req-2");
    call.answered(200);
    for (String line : sse(false).split("(?<=\n)")) {
      call.line(line);
    }
    call.ended();
    SpanData s = spans.getFinishedSpanItems().get(0);
    assertThat(s.getAttributes().get(AttributeKey.booleanKey("kopeck.usage.estimated"))).isTrue();
    assertThat(s.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isPositive();
  }

  @Test
  void aRefusalIsAnErrorSpanAndCounted() {
    ledger.setLimit(TEAM, 1_000L, BudgetPeriod.MONTH);
    assertThat(calls.start(chat(100, false), "req-3", () -> List.of(TEAM))).isInstanceOf(HttpChatGuard.Answer.class);
    SpanData s = spans.getFinishedSpanItems().get(0);
    assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(s.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("kopeck.budget_exceeded");
    assertThat(s.getStatus().getDescription()).contains("team:otel");
    assertThat(metric("kopeck.refusals").getLongSumData().getPoints()).singleElement()
        .satisfies(p -> assertThat(p.getValue()).isEqualTo(1));
  }

  @Test
  void anUpstreamErrorEndsTheSpanAsReleased() {
    HttpChatGuard.Call call = start(chat(100, false), "req-4");
    assertThat(call.answered(500)).isFalse();
    SpanData s = spans.getFinishedSpanItems().get(0);
    assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(s.getStatus().getDescription()).isEqualTo("upstream answered 500");
    assertThat(s.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("kopeck.released");
    assertThat(s.getAttributes().get(AttributeKey.stringKey("kopeck.cost"))).isNull();
    assertThat(metrics.collectAllMetrics()).noneMatch(m -> m.getName().equals("kopeck.cost"));
  }

  private MetricData metric(String name) {
    return metrics.collectAllMetrics().stream().filter(m -> m.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name));
  }
}
