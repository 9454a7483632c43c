package dev.kopeck.micrometer;

import dev.kopeck.budget.Admission;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.estimate.Estimate;
import dev.kopeck.core.guard.Charge;
import dev.kopeck.core.guard.GuardListener;
import dev.kopeck.core.reconcile.Reconciliation;
import dev.kopeck.pricing.usage.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every guarded call as Micrometer meters: give it to the guard, and every integration's calls are
 * counted.
 *
 * <pre>{@code
 * BudgetGuard guard = new BudgetGuard(...).withListener(new KopeckMetrics(registry));
 * }</pre>
 *
 * <p>The meters are named {@code kopeck.*} (Spring AI registers {@code gen_ai.client.token.usage}
 * itself, as a counter; a second meter of that name would clash) and tagged with OpenTelemetry's
 * GenAI attribute names: {@code gen_ai.request.model}, {@code gen_ai.provider.name},
 * {@code gen_ai.token.type}. docs/integrations.md lists them. Scopes are not tags: a scope per
 * tenant would make a series per tenant; budgets by scope are in the ledger.
 *
 * <p>Money is counted as a {@code double} of the currency's units: good for dashboards and alerts,
 * not for accounts, which the ledger keeps exactly.
 */
public final class KopeckMetrics implements GuardListener {
  public static final String MODEL = "gen_ai.request.model";
  public static final String PROVIDER = "gen_ai.provider.name";
  public static final String TOKEN_TYPE = "gen_ai.token.type";
  /** Which part of its type a count is: uncached, cache_read or cache_write input; text or reasoning output. */
  public static final String TOKEN_KIND = "kopeck.token.kind";
  /** {@code reported} (the provider's usage) or {@code estimated} (a stream that ended without one). */
  public static final String USAGE = "kopeck.usage";
  public static final String CURRENCY = "kopeck.currency";

  private final MeterRegistry registry;
  private final AtomicLong open = new AtomicLong();

  public KopeckMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    Gauge.builder("kopeck.reservations.open", open, AtomicLong::get)
        .description("calls of this process between their reserve and their commit or release").register(registry);
  }

  @Override
  public void admitted(Admission.Reservation reservation, ChatRequest request) {
    if (!reservation.replayed()) {
      open.incrementAndGet();
    }
  }

  @Override
  public void refused(Admission.Refusal refusal, ChatRequest request) {
    Counter.builder("kopeck.refusals").description("calls refused before they went upstream")
        .tags(MODEL, String.valueOf(request.model())).register(registry).increment();
  }

  @Override
  public void committed(Charge charge, boolean usageEstimated) {
    if (!charge.commit().replayed()) {
      open.updateAndGet(n -> Math.max(0, n - 1));
    }
    Reconciliation r = charge.reconciliation();
    String provider = r.provider() != null ? r.provider() : "unknown";
    Tags call = Tags.of(MODEL, String.valueOf(r.model()), PROVIDER, provider);
    Usage u = r.usage();
    String source = usageEstimated ? "estimated" : "reported";
    tokens(call, "input", "uncached", source, u.uncachedInputTokens());
    tokens(call, "input", "cache_read", source, u.cacheReadTokens());
    tokens(call, "input", "cache_write", source, u.cacheWriteTokens());
    tokens(call, "output", "text", source, u.outputTokens() - u.reasoningTokens());
    tokens(call, "output", "reasoning", source, u.reasoningTokens());
    Counter.builder("kopeck.cost").description("the cost of the calls committed, in the currency's units")
        .tags(call).tag(CURRENCY, r.price().currency().getCurrencyCode()).register(registry)
        .increment(r.price().amount().doubleValue());
    if (charge.commit().overspendNanos() > 0) {
      Counter.builder("kopeck.overspend")
          .description("cost committed beyond a call's reservation, in the budget currency's units")
          .tags(call).tag(CURRENCY, charge.budgetCurrency().getCurrencyCode())
          .tag("kopeck.late", String.valueOf(charge.commit().late())).register(registry)
          .increment(BigDecimal.valueOf(charge.commit().overspendNanos(), 9).doubleValue());
    }
    Estimate e = r.estimate();
    if (!usageEstimated && e != null && u.inputTokens() > 0) {
      // a ratio, not a signed error: a distribution summary drops negative values
      DistributionSummary.builder("kopeck.estimate.ratio")
          .description("estimated / reported input tokens of each call: 1 is exact, below 1 an underestimate")
          .baseUnit("ratio").tags(call).register(registry)
          .record((double) e.input().total() / u.inputTokens());
    }
  }

  private void tokens(Tags call, String type, String kind, String source, long n) {
    if (n > 0) {
      Counter.builder("kopeck.tokens").description("tokens of the calls committed").baseUnit("tokens")
          .tags(call).tag(TOKEN_TYPE, type).tag(TOKEN_KIND, kind).tag(USAGE, source).register(registry).increment(n);
    }
  }

  @Override
  public void released(String requestId, String why) {
    open.updateAndGet(n -> Math.max(0, n - 1));
    Counter.builder("kopeck.releases").description("reservations released: the call failed or was answered with an error")
        .register(registry).increment();
  }

  @Override
  public void commitFailed(String requestId, RuntimeException e) {
    open.updateAndGet(n -> Math.max(0, n - 1)); // its reservation holds in the ledger until it expires
    Counter.builder("kopeck.commit.failures")
        .description("calls answered whose cost could not be committed: their reservations hold until they expire")
        .register(registry).increment();
  }
}
