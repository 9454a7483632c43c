package dev.kopeck.core.reconcile;

import dev.kopeck.pricing.cost.Cost;
import dev.kopeck.core.model.Model;
import dev.kopeck.core.model.ModelRegistry;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.estimate.Estimate;
import dev.kopeck.core.estimate.Estimator;
import dev.kopeck.pricing.money.ExchangeRates;
import dev.kopeck.pricing.money.Money;
import dev.kopeck.pricing.usage.MediaCounts;
import dev.kopeck.pricing.usage.Modalities;
import dev.kopeck.pricing.usage.Usage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.Currency;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Reconciles calls: prices the usage a provider returned with the tariff in force at the call's
 * time, compares it with the estimate of the request and with the provider's own charge, and flags
 * every gap with its reason. Thread-safe.
 *
 * <p>Flags: {@code reported_cost_mismatch} when the provider's charge differs from the tariff's cost
 * by more than one minor unit (a kopeck) and more than 1%; {@code estimate_off} when the estimated
 * input differs from the actual by more than the tolerance (10% by default) and by more than a
 * number of tokens (16 by default: a short request's few tokens of chat template are no
 * estimate gone wrong); {@code
 * usage_inconsistent} when the provider's total is not input plus output; {@code usage_missing}
 * when the response carries no usage.
 */
public final class Reconciler {
  private final ModelRegistry registry;
  private final Estimator estimator;
  private final BigDecimal tolerance;
  private final long toleranceTokens;
  private final Clock clock;
  private final ExchangeRates rates;

  private Reconciler(Builder b) {
    this.estimator = b.estimator != null ? b.estimator
        : Estimator.builder().registry(b.registry != null ? b.registry : ModelRegistry.standard()).clock(b.clock).build();
    this.registry = b.registry != null ? b.registry : estimator.registry();
    this.tolerance = b.tolerance;
    this.toleranceTokens = b.toleranceTokens;
    this.clock = b.clock;
    this.rates = b.rates;
  }

  /** The standard registry, the standard estimator, a 10% tolerance, the system clock. */
  public static Reconciler standard() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Configuration; every setting has a default. */
  public static final class Builder {
    private ModelRegistry registry;
    private Estimator estimator;
    private BigDecimal tolerance = new BigDecimal("0.10");
    private long toleranceTokens = 16;
    private Clock clock = Clock.systemUTC();
    private ExchangeRates rates = ExchangeRates.none();

    private Builder() {}

    /** Rates to compare a charge in another currency with the tariff's (default: none, so such charges are not compared). */
    public Builder exchangeRates(ExchangeRates r) {
      rates = Objects.requireNonNull(r, "rates");
      return this;
    }

    /** The models calls are priced with (default: the estimator's registry, else {@link ModelRegistry#standard()}). */
    public Builder registry(ModelRegistry r) {
      registry = Objects.requireNonNull(r, "registry");
      return this;
    }

    /** The estimator requests are estimated with (default: one on the same registry and clock). */
    public Builder estimator(Estimator e) {
      estimator = Objects.requireNonNull(e, "estimator");
      return this;
    }

    /** How far the estimated input may be from the actual before {@code estimate_off} (default 0.10: 10%). */
    public Builder estimateTolerance(BigDecimal t) {
      if (t.signum() < 0) {
        throw new IllegalArgumentException("tolerance must not be negative: " + t);
      }
      tolerance = t;
      return this;
    }

    /**
     * How many tokens the estimated input may be off, whatever the fraction, before {@code
     * estimate_off} (default 16): 15 estimated against 18 actual is 17% but no estimate gone wrong.
     */
    public Builder estimateToleranceTokens(long tokens) {
      if (tokens < 0) {
        throw new IllegalArgumentException("tolerance must not be negative: " + tokens);
      }
      toleranceTokens = tokens;
      return this;
    }

    /** What "now" is for a call that carries no time of its own (default: the system clock, UTC). */
    public Builder clock(Clock c) {
      clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    public Reconciler build() {
      return new Reconciler(this);
    }
  }

  /**
   * One call to reconcile.
   *
   * @param id the call's id, as it appears in reports
   * @param request the request as sent, or null (no estimate then)
   * @param usage the usage the provider returned, or null when the response carried none
   *     ({@code usage_missing})
   * @param at when the call was made, or null: then the usage's own time, else the clock's now
   * @param reportedCurrency the currency of the usage's reported cost (OpenRouter's credits are USD),
   *     or null when it is the price's
   * @param provider who served the call (a provider of the catalog of public prices), or null: the
   *     tariff tables' provider of the model, else the catalog's by the model's name
   * @param response the whole response as JSON text, or null: a model the catalog prices is then
   *     priced with the counts {@code Usage} does not keep too (web searches, 1-hour cache writes),
   *     read by the provider's usage reader in the catalog
   */
  public record Call(String id, ChatRequest request, Usage usage, Instant at, Currency reportedCurrency,
      String provider, String response) {
    public Call {
      Objects.requireNonNull(id, "id");
    }

    /** A call whose reported cost, if any, is in the price's currency, priced where the model is found first. */
    public Call(String id, ChatRequest request, Usage usage, Instant at) {
      this(id, request, usage, at, null, null, null);
    }
  }

  /** A total that is not input + output, or more input than the model's context window holds. */
  private static void checkUsage(Usage usage, String model, Long window, List<Flag> flags) {
    if (!usage.totalAddsUp()) {
      flags.add(new Flag(Flag.USAGE_INCONSISTENT, "total " + usage.reportedTotalTokens() + " is not input "
          + usage.inputTokens() + " + output " + usage.outputTokens()));
    }
    if (window != null && usage.inputTokens() > window) {
      flags.add(new Flag(Flag.USAGE_OVER_CONTEXT, String.format(Locale.ROOT,
          "%,d input tokens, more than %s's context window (%,d)", usage.inputTokens(), model, window)));
    }
  }

  /**
   * Reconciles one call: prices its usage with the tariff in force at its time, estimates its
   * request, compares the two and the provider's own charge.
   *
   * @throws dev.kopeck.base.InputException when the model is unknown or no tariff is in force
   */
  public Reconciliation reconcile(Call call) {
    return reconcile(call, 0, "the response carries no usage", call::response);
  }

  /**
   * As {@link #reconcile(Call)}, for line {@code line} of a log; {@code noUsage} says why a usage is
   * missing; {@code response} gives the response's text only if the catalog prices the call (a log
   * writes its parsed response back to text for that alone).
   */
  Reconciliation reconcile(Call call, long line, String noUsage, java.util.function.Supplier<String> response) {
    List<Flag> flags = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    ChatRequest req = call.request();
    Usage usage = call.usage();
    if (usage == null) {
      flags.add(new Flag(Flag.USAGE_MISSING, noUsage));
    }
    Model model = model(usage != null ? usage.model() : null, req != null ? req.model() : null,
        ModelRegistry.providerOf(usage, call.provider()));
    Instant when = call.at() != null ? call.at() : usage != null ? usage.created() : null;
    Instant priceAt = when != null ? when : clock.instant();
    Estimate est = req == null ? null : estimator.estimate(req, model.id(), model.provider(), priceAt);
    Cost cost = null;
    Money reported = null;
    Money diff = null;
    if (usage != null) {
      usage = attribute(usage, est, notes);
      String text = model.source() == Cost.Source.CATALOG ? response.get() : null;
      cost = model.price(usage, priceAt, call.id(), text);
      notes.addAll(cost.notes());
      Compared compared = compare(usage, call, cost.total(), priceAt, flags, notes);
      reported = compared.reported();
      diff = compared.diff();
      checkUsage(usage, model.id(), model.contextWindow().orElse(null), flags);
      if (est != null) {
        long actual = usage.inputTokens();
        long estimated = est.input().total();
        BigDecimal off = actual == 0 ? (estimated == 0 ? BigDecimal.ZERO : BigDecimal.ONE)
            : BigDecimal.valueOf(Math.abs(estimated - actual)).divide(BigDecimal.valueOf(actual), MathContext.DECIMAL64);
        if (off.compareTo(tolerance) > 0 && Math.abs(estimated - actual) > toleranceTokens) {
          flags.add(new Flag(Flag.ESTIMATE_OFF, "estimated input " + estimated + ", actual " + actual + " ("
              + percent(BigDecimal.valueOf(estimated - actual), BigDecimal.valueOf(actual)) + ")"));
        }
      }
    }
    return new Reconciliation(call.id(), line, model.id(), model.provider(), when, est, usage, cost, reported, diff,
        flags, notes);
  }

  /**
   * The model of a call: the one its response names, else its request's (a response may name a
   * version the registry calls otherwise: then the request's), else the registry's configured default.
   */
  private Model model(String fromResponse, String fromRequest, String provider) {
    if (fromResponse != null) {
      java.util.Optional<Model> m = registry.find(fromResponse, provider);
      if (m.isPresent() || fromRequest == null) {
        return m.orElseGet(() -> registry.resolve(fromResponse, provider));
      }
      return registry.find(fromRequest, provider).orElseGet(() -> registry.resolve(fromResponse, provider));
    }
    return registry.resolve(registry.choose(fromRequest), provider);
  }

  /** The provider's own charge, and it less the price; each null when there is none or it cannot be compared. */
  private record Compared(Money reported, Money diff) {}

  /**
   * The provider's own charge beside the price (another currency only at a rate given); flags a
   * mismatch beyond a minor unit and 1%.
   */
  private Compared compare(Usage usage, Call call, Money total, Instant priceAt, List<Flag> flags, List<String> notes) {
    if (usage.byok()) {
      notes.add("the call ran on the caller's own key (is_byok): compared with the upstream charge, not OpenRouter's"
          + " fee");
    }
    java.util.Optional<dev.kopeck.pricing.cost.ReportedCharge> charge = dev.kopeck.pricing.cost.ReportedCharge.of(usage,
        call.reportedCurrency(), total.currency(), rates, priceAt);
    if (charge.isEmpty()) {
      return new Compared(null, null);
    }
    Currency priced = total.currency();
    Money reported = charge.get().reported();
    Money comparable = charge.get().comparable();
    if (comparable == null) {
      notes.add("the charge is in " + reported.currency().getCurrencyCode() + ", the price in "
          + priced.getCurrencyCode() + ", and no exchange rate is given: not compared");
      return new Compared(reported, null);
    }
    var rate = charge.get().rate();
    if (rate != null) {
      notes.add("the charge of " + reported.toPlainString() + " " + reported.currency().getCurrencyCode() + " is "
          + comparable.toPlainString() + " " + priced.getCurrencyCode() + " at " + rate.rate().toPlainString()
          + " of " + rate.date());
    }
    Money diff = comparable.minus(total);
    BigDecimal minor = BigDecimal.ONE.movePointLeft(Math.max(0, priced.getDefaultFractionDigits()));
    BigDecimal abs = diff.amount().abs();
    BigDecimal onePercent = total.amount().abs().divide(BigDecimal.valueOf(100));
    if (abs.compareTo(minor) > 0 && abs.compareTo(onePercent) > 0) {
      flags.add(new Flag(Flag.REPORTED_COST_MISMATCH, "reported " + comparable.toPlainString() + ", tariff "
          + total.toPlainString() + " " + priced.getCurrencyCode() + " (" + percent(diff.amount(), total.amount()) + ")"));
    }
    return new Compared(reported, diff);
  }

  /**
   * OpenAI-compatible usage rarely splits the prompt by modality, but tariffs price images and audio
   * apart: take the split (and the image count, seconds, pages) from the estimate, and say so.
   */
  private static Usage attribute(Usage usage, Estimate est, List<String> notes) {
    if (est == null) {
      return usage;
    }
    MediaCounts media = MediaCounts.UNKNOWN.withImages(est.images());
    Usage u = usage.withMedia(usage.media().images() != null ? usage.media() : media);
    Modalities e = est.input();
    if (usage.modalitiesReported() || e.image() + e.audio() + e.video() + e.document() == 0) {
      return u;
    }
    long in = usage.inputTokens();
    long image = Math.min(e.image(), in);
    long audio = Math.min(e.audio(), in - image);
    long video = Math.min(e.video(), in - image - audio);
    long document = Math.min(e.document(), in - image - audio - video);
    notes.add("the provider gave no breakdown by modality: image " + image + ", audio " + audio + ", video " + video
        + ", document " + document + " tokens attributed from the estimate");
    if (image + audio + video + document < e.image() + e.audio() + e.video() + e.document()) {
      notes.add("the estimate's media tokens exceed the actual input " + in + "; attributed what fits");
    }
    return u.withInputByModality(new Modalities(in - image - audio - video - document, image, audio, video, document));
  }

  static String percent(BigDecimal diff, BigDecimal base) {
    if (base.signum() == 0) {
      return diff.signum() == 0 ? "0%" : "n/a";
    }
    BigDecimal p = diff.multiply(BigDecimal.valueOf(100)).divide(base.abs(), 1, RoundingMode.HALF_UP);
    return (p.signum() > 0 ? "+" : "") + p.toPlainString() + "%";
  }
}
