package dev.kopeck.opentelemetry;

import dev.kopeck.budget.Admission;
import dev.kopeck.budget.Scope;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.guard.Charge;
import dev.kopeck.core.guard.GuardListener;
import dev.kopeck.pricing.money.Money;
import dev.kopeck.core.reconcile.Reconciliation;
import dev.kopeck.pricing.usage.Usage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every guarded call as an OpenTelemetry span and metrics by the GenAI semantic conventions, with
 * Kopeck's cost and currency beside them: give it to the guard, and every integration's calls (the
 * gateway's too) are traced.
 *
 * <pre>{@code
 * BudgetGuard guard = new BudgetGuard(...).withListener(new KopeckTelemetry(openTelemetry));
 * }</pre>
 *
 * <p>A call's span ({@code chat MODEL}, kind CLIENT, a child of the span current where the call was
 * reserved) starts when its worst case is reserved and ends when its cost is committed or its
 * reservation released. It carries {@code gen_ai.operation.name}, {@code gen_ai.request.model},
 * {@code gen_ai.request.max_tokens}, {@code gen_ai.provider.name}, {@code gen_ai.response.model},
 * {@code gen_ai.usage.input_tokens} and {@code gen_ai.usage.output_tokens}, and Kopeck's
 * {@code kopeck.cost} (the exact decimal, as a string), {@code kopeck.currency},
 * {@code kopeck.usage.estimated}, {@code kopeck.scopes} and {@code kopeck.request.id}. A refused call
 * is a span of its own with status ERROR and {@code error.type} {@code kopeck.budget_exceeded}.
 *
 * <p>Metrics: {@code gen_ai.client.token.usage} (histogram of tokens per call, by
 * {@code gen_ai.token.type} input/output), {@code gen_ai.client.operation.duration} (seconds from the
 * reserve to the commit or release), and {@code kopeck.cost} (counter, in the currency's units, by
 * {@code kopeck.currency}) and {@code kopeck.refusals}. Money in metrics is a {@code double}: for
 * dashboards; the ledger and the span keep it exact.
 */
public final class KopeckTelemetry implements GuardListener {
  /** The instrumentation scope the spans and meters are recorded under. */
  public static final String SCOPE = "dev.kopeck.opentelemetry";

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<Long> MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
  static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> COST = AttributeKey.stringKey("kopeck.cost");
  static final AttributeKey<String> CURRENCY = AttributeKey.stringKey("kopeck.currency");
  static final AttributeKey<Boolean> ESTIMATED = AttributeKey.booleanKey("kopeck.usage.estimated");
  static final AttributeKey<List<String>> SCOPES = AttributeKey.stringArrayKey("kopeck.scopes");
  static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("kopeck.request.id");
  static final AttributeKey<Long> RESERVED = AttributeKey.longKey("kopeck.reserved_nanos");

  /** The GenAI conventions' advised buckets: tokens by powers of 4, seconds from 10 ms doubling. */
  private static final List<Long> TOKEN_BUCKETS = List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L,
      262144L, 1048576L, 4194304L, 16777216L, 67108864L);
  private static final List<Double> SECOND_BUCKETS = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56,
      5.12, 10.24, 20.48, 40.96, 81.92);

  /** A call between its reserve and its end. */
  private record Open(Span span, long startNanos, Attributes call) {}

  private final Tracer tracer;
  private final LongHistogram tokens;
  private final DoubleHistogram duration;
  private final DoubleCounter cost;
  private final LongCounter refusals;
  private final ConcurrentHashMap<String, Open> open = new ConcurrentHashMap<>();

  public KopeckTelemetry(OpenTelemetry otel) {
    Objects.requireNonNull(otel, "otel");
    tracer = otel.getTracer(SCOPE);
    Meter m = otel.getMeter(SCOPE);
    tokens = m.histogramBuilder("gen_ai.client.token.usage").ofLongs().setUnit("{token}")
        .setDescription("Number of input and output tokens used").setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS)
        .build();
    duration = m.histogramBuilder("gen_ai.client.operation.duration").setUnit("s")
        .setDescription("GenAI operation duration").setExplicitBucketBoundariesAdvice(SECOND_BUCKETS).build();
    cost = m.counterBuilder("kopeck.cost").ofDoubles().setUnit("{currency_unit}")
        .setDescription("the cost of the calls committed, in the currency's units").build();
    refusals = m.counterBuilder("kopeck.refusals").setUnit("{call}")
        .setDescription("calls refused before they went upstream").build();
  }

  private static String operation(ChatRequest request) {
    return "chat"; // chat completions and Responses alike, as the conventions name them
  }

  private static Attributes call(ChatRequest request) {
    AttributesBuilder b = Attributes.builder().put(OPERATION, operation(request));
    if (request.model() != null) {
      b.put(REQUEST_MODEL, request.model());
    }
    return b.build();
  }

  private Span start(String requestId, ChatRequest request, List<Scope> scopes) {
    String model = request.model();
    var b = tracer.spanBuilder(operation(request) + (model == null ? "" : " " + model)).setSpanKind(SpanKind.CLIENT)
        .setAllAttributes(call(request)).setAttribute(REQUEST_ID, requestId)
        .setAttribute(SCOPES, scopes.stream().map(Scope::name).toList());
    if (request.maxOutputTokens() != null) {
      b.setAttribute(MAX_TOKENS, request.maxOutputTokens());
    }
    return b.startSpan();
  }

  @Override
  public void admitted(Admission.Reservation reservation, ChatRequest request) {
    if (open.containsKey(reservation.requestId())) {
      return; // a retried reserve of a call under way
    }
    Span span = start(reservation.requestId(), request, reservation.scopes());
    span.setAttribute(RESERVED, reservation.amountNanos());
    open.put(reservation.requestId(), new Open(span, System.nanoTime(), call(request)));
  }

  @Override
  public void refused(Admission.Refusal refusal, ChatRequest request) {
    Span span = start(refusal.requestId(), request, List.of(refusal.scope()));
    span.setAttribute(ERROR_TYPE, "kopeck.budget_exceeded");
    span.setStatus(StatusCode.ERROR, refusal.toString());
    span.end();
    refusals.add(1, call(request));
  }

  @Override
  public void committed(Charge charge, boolean usageEstimated) {
    Open o = open.remove(charge.requestId());
    Reconciliation r = charge.reconciliation();
    Usage u = r.usage();
    String provider = r.cost() != null ? r.cost().provider() : r.provider();
    Attributes base = o != null ? o.call() : Attributes.builder().put(OPERATION, "chat").build();
    AttributesBuilder ab = base.toBuilder();
    if (provider != null) {
      ab.put(PROVIDER, provider);
    }
    if (base.get(REQUEST_MODEL) == null && r.model() != null) {
      ab.put(REQUEST_MODEL, r.model());
    }
    Attributes attrs = ab.build();
    Money price = r.price();
    if (u != null) {
      tokens.record(u.inputTokens(), attrs.toBuilder().put(TOKEN_TYPE, "input").build());
      tokens.record(u.outputTokens(), attrs.toBuilder().put(TOKEN_TYPE, "output").build());
    }
    if (price != null) {
      cost.add(price.amount().doubleValue(), attrs.toBuilder().put(CURRENCY, price.currency().getCurrencyCode()).build());
    }
    if (o == null) {
      return; // its reserve was not heard here (a commit replayed by another instance's retry)
    }
    duration.record((System.nanoTime() - o.startNanos()) / 1e9, attrs);
    Span s = o.span();
    if (provider != null) {
      s.setAttribute(PROVIDER, provider);
    }
    if (u != null) {
      s.setAttribute(INPUT_TOKENS, u.inputTokens());
      s.setAttribute(OUTPUT_TOKENS, u.outputTokens());
      if (u.model() != null) {
        s.setAttribute(RESPONSE_MODEL, u.model());
      }
    }
    if (price != null) {
      s.setAttribute(COST, price.toPlainString());
      s.setAttribute(CURRENCY, price.currency().getCurrencyCode());
    }
    s.setAttribute(ESTIMATED, usageEstimated);
    s.end();
  }

  @Override
  public void released(String requestId, String why) {
    Open o = open.remove(requestId);
    if (o == null) {
      return;
    }
    duration.record((System.nanoTime() - o.startNanos()) / 1e9,
        o.call().toBuilder().put(ERROR_TYPE, "kopeck.released").build());
    o.span().setAttribute(ERROR_TYPE, "kopeck.released");
    o.span().setStatus(StatusCode.ERROR, why);
    o.span().end();
  }

  @Override
  public void commitFailed(String requestId, RuntimeException e) {
    Open o = open.remove(requestId);
    if (o == null) {
      return;
    }
    o.span().recordException(e);
    o.span().setAttribute(ERROR_TYPE, e.getClass().getName());
    o.span().setStatus(StatusCode.ERROR, "answered, but its cost could not be committed: " + e.getMessage());
    o.span().end();
  }
}
