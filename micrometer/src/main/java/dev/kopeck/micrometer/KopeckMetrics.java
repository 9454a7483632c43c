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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

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
 *
 * <p>Each meter is registered when it is first used and then kept, so a call costs no registry
 * lookup (for the first 1,000 pairs of model and provider; past them meters are looked
 * up each time, as a registry's own limit on tags expects). A meter removed from the registry
 * afterwards is not registered again.
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

  /** The most (model, provider) pairs whose meters are kept: a model name comes from the caller. */
  static final int MAX_TAG_SETS = 1000;
  /** {@code kopeck.tokens}'s type and kind tags, in the order of {@link CallMeters#tokens}. */
  private static final String[][] PARTS = {
      {"input", "uncached"}, {"input", "cache_read"}, {"input", "cache_write"}, {"output", "text"}, {"output", "reasoning"}};

  private final MeterRegistry registry;
  private final AtomicLong open = new AtomicLong();
  private final ConcurrentHashMap<CallTags, CallMeters> calls = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> refusals = new ConcurrentHashMap<>();
  private volatile Counter releases;
  private volatile Counter commitFailures;

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
    kept(refusals, String.valueOf(request.model()), model -> Counter.builder("kopeck.refusals")
        .description("calls refused before they went upstream").tags(MODEL, model).register(registry)).increment();
  }

  @Override
  public void committed(Charge charge, boolean usageEstimated) {
    if (!charge.commit().replayed()) {
      open.updateAndGet(n -> Math.max(0, n - 1));
    }
    Reconciliation r = charge.reconciliation();
    String provider = r.provider() != null ? r.provider() : "unknown";
    CallMeters call = meters(String.valueOf(r.model()), provider);
    Usage u = r.usage();
    int source = usageEstimated ? PARTS.length : 0;
    call.tokens(source, u.uncachedInputTokens());
    call.tokens(source + 1, u.cacheReadTokens());
    call.tokens(source + 2, u.cacheWriteTokens());
    call.tokens(source + 3, u.outputTokens() - u.reasoningTokens());
    call.tokens(source + 4, u.reasoningTokens());
    call.cost(r.price().currency().getCurrencyCode()).increment(r.price().amount().doubleValue());
    if (charge.commit().overspendNanos() > 0) {
      call.overspend(charge.budgetCurrency().getCurrencyCode(), charge.commit().late())
          .increment(BigDecimal.valueOf(charge.commit().overspendNanos(), 9).doubleValue());
    }
    Estimate e = r.estimate();
    if (!usageEstimated && e != null && u.inputTokens() > 0) {
      // a ratio, not a signed error: a distribution summary drops negative values
      call.ratio().record((double) e.input().total() / u.inputTokens());
    }
  }

  private CallMeters meters(String model, String provider) {
    return kept(calls, new CallTags(model, provider), k -> new CallMeters(Tags.of(MODEL, model, PROVIDER, provider)));
  }

  /**
   * {@code m}'s value for a key that comes from callers (a model's name): made and kept while {@code m}
   * holds fewer than {@link #MAX_TAG_SETS}, made again each time past that.
   */
  private static <K, V> V kept(ConcurrentHashMap<K, V> m, K key, java.util.function.Function<K, V> make) {
    V v = m.get(key);
    return v != null ? v : m.size() < MAX_TAG_SETS ? m.computeIfAbsent(key, make) : make.apply(key);
  }

  private record CallTags(String model, String provider) {}

  /** The meters of one model and provider, each registered when first used (a count of 0 registers none). */
  private final class CallMeters {
    final Tags tags;
    /** kopeck.tokens by {@link #PARTS}, reported then estimated. */
    private final AtomicReferenceArray<Counter> tokens = new AtomicReferenceArray<>(2 * PARTS.length);
    private final ConcurrentHashMap<String, Counter> cost = new ConcurrentHashMap<>(4);
    private final ConcurrentHashMap<String, Counter> overspend = new ConcurrentHashMap<>(4);
    private final ConcurrentHashMap<String, Counter> lateOverspend = new ConcurrentHashMap<>(4);
    private volatile DistributionSummary ratio;

    CallMeters(Tags tags) {
      this.tags = tags;
    }

    void tokens(int i, long n) {
      if (n > 0) {
        Counter c = tokens.get(i);
        if (c == null) { // two threads may both register: the registry gives both the same meter
          String[] part = PARTS[i % PARTS.length];
          c = Counter.builder("kopeck.tokens").description("tokens of the calls committed").baseUnit("tokens")
              .tags(tags).tag(TOKEN_TYPE, part[0]).tag(TOKEN_KIND, part[1])
              .tag(USAGE, i < PARTS.length ? "reported" : "estimated").register(registry);
          tokens.set(i, c);
        }
        c.increment(n);
      }
    }

    Counter cost(String currency) {
      return cost.computeIfAbsent(currency, c -> Counter.builder("kopeck.cost")
          .description("the cost of the calls committed, in the currency's units").tags(tags).tag(CURRENCY, c)
          .register(registry));
    }

    /** kopeck.overspend by the budget's currency, the late ones apart. */
    Counter overspend(String currency, boolean late) {
      return (late ? lateOverspend : overspend).computeIfAbsent(currency, c -> Counter.builder("kopeck.overspend")
          .description("cost committed beyond a call's reservation, in the budget currency's units")
          .tags(tags).tag(CURRENCY, c).tag("kopeck.late", String.valueOf(late)).register(registry));
    }

    DistributionSummary ratio() {
      DistributionSummary s = ratio;
      if (s == null) {
        s = DistributionSummary.builder("kopeck.estimate.ratio")
            .description("estimated / reported input tokens of each call: 1 is exact, below 1 an underestimate")
            .baseUnit("ratio").tags(tags).register(registry);
        ratio = s;
      }
      return s;
    }
  }

  @Override
  public void released(String requestId, String why) {
    open.updateAndGet(n -> Math.max(0, n - 1));
    Counter c = releases;
    if (c == null) {
      c = Counter.builder("kopeck.releases")
          .description("reservations released: the call failed or was answered with an error").register(registry);
      releases = c;
    }
    c.increment();
  }

  @Override
  public void commitFailed(String requestId, RuntimeException e) {
    open.updateAndGet(n -> Math.max(0, n - 1)); // its reservation holds in the ledger until it expires
    Counter c = commitFailures;
    if (c == null) {
      c = Counter.builder("kopeck.commit.failures")
          .description("calls answered whose cost could not be committed: their reservations hold until they expire")
          .register(registry);
      commitFailures = c;
    }
    c.increment();
  }
}
