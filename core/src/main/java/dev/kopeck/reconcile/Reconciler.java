package dev.kopeck.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kopeck.cost.Cost;
import dev.kopeck.cost.CostCalculator;
import dev.kopeck.estimate.ChatRequest;
import dev.kopeck.estimate.ChatRequestParser;
import dev.kopeck.estimate.Estimate;
import dev.kopeck.estimate.Estimator;
import dev.kopeck.money.Money;
import dev.kopeck.tariff.PricedModel;
import dev.kopeck.tariff.TariffCatalog;
import dev.kopeck.usage.MediaCounts;
import dev.kopeck.usage.Modalities;
import dev.kopeck.usage.Usage;
import dev.kopeck.usage.UsageException;
import dev.kopeck.usage.UsageParser;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reconciles calls: prices the usage a provider returned with the tariff in force at the call's
 * time, compares it with the estimate of the request and with the provider's own charge, and flags
 * every gap with its reason. Thread-safe.
 *
 * <p>Flags: {@code reported_cost_mismatch} when the provider's charge differs from the tariff's cost
 * by more than one minor unit (a kopeck) and more than 1%; {@code estimate_off} when the estimated
 * input differs from the actual by more than the tolerance (10% by default); {@code
 * usage_inconsistent} when the provider's total is not input plus output; {@code usage_missing}
 * when the response carries no usage.
 */
public final class Reconciler {
  private final TariffCatalog catalog;
  private final Estimator estimator;
  private final BigDecimal tolerance;

  public Reconciler(TariffCatalog catalog, Estimator estimator, BigDecimal estimateTolerance) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.estimator = Objects.requireNonNull(estimator, "estimator");
    if (estimateTolerance.signum() < 0) {
      throw new IllegalArgumentException("tolerance must not be negative: " + estimateTolerance);
    }
    this.tolerance = estimateTolerance;
  }

  public static Reconciler standard() {
    return new Reconciler(TariffCatalog.bundled(), Estimator.standard(), new BigDecimal("0.10"));
  }

  /**
   * Reconciles one call. {@code request} may be null (no estimate then); {@code response} is a whole
   * response or a bare usage, or null when the log has none.
   *
   * @throws dev.kopeck.base.InputException when the request or the usage is malformed
   */
  public Reconciliation reconcile(String id, long line, JsonNode request, JsonNode response, Instant timestamp,
      String source) {
    return reconcile(id, line, request, "$", response, "$", timestamp, source);
  }

  /**
   * As above, for a request and response found at {@code requestPath} and {@code responsePath} of a
   * larger document (a log line), so that errors name the place in it.
   */
  public Reconciliation reconcile(String id, long line, JsonNode request, String requestPath, JsonNode response,
      String responsePath, Instant timestamp, String source) {
    List<Flag> flags = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    ChatRequest req = request == null ? null : ChatRequestParser.parse(source, requestPath, request);
    Usage usage = null;
    if (response == null || isMissing(response)) {
      flags.add(new Flag(Flag.USAGE_MISSING, response == null ? "the log line has no response or usage"
          : "the response carries no usage"));
    } else {
      usage = UsageParser.fromJson(source, responsePath, response);
    }
    String modelName = usage != null && usage.model().isPresent() ? usage.model().get()
        : req != null && req.model().isPresent() ? req.model().get() : Estimator.DEFAULT_MODEL;
    PricedModel model = catalog.find(modelName).orElse(null);
    if (model == null && req != null && req.model().isPresent()) {
      model = catalog.find(req.model().get()).orElse(null); // the response may name a version the table calls otherwise
    }
    if (model == null) {
      model = catalog.require(modelName);
    }
    Instant when = timestamp != null ? timestamp : usage != null ? usage.created().orElse(null) : null;
    Instant priceAt = when != null ? when : Instant.now();
    Estimate est = req == null ? null : estimator.estimate(req, model.id(), priceAt);
    Cost cost = null;
    Money reported = null;
    Money diff = null;
    if (usage != null) {
      usage = attribute(usage, est, notes);
      cost = CostCalculator.price(usage, model, priceAt);
      if (usage.reportedCost().isPresent()) {
        reported = Money.of(usage.reportedCost().get(), cost.total().currency());
        diff = reported.minus(cost.total());
        BigDecimal minor = BigDecimal.ONE.movePointLeft(Math.max(0, cost.total().currency().getDefaultFractionDigits()));
        BigDecimal abs = diff.amount().abs();
        BigDecimal onePercent = cost.total().amount().abs().divide(BigDecimal.valueOf(100));
        if (abs.compareTo(minor) > 0 && abs.compareTo(onePercent) > 0) {
          flags.add(new Flag(Flag.REPORTED_COST_MISMATCH, "reported " + reported.toPlainString() + ", tariff "
              + cost.total().toPlainString() + " " + cost.total().currency().getCurrencyCode() + " (" + percent(diff.amount(),
                  cost.total().amount()) + ")"));
        }
      }
      if (!usage.totalAddsUp()) {
        flags.add(new Flag(Flag.USAGE_INCONSISTENT, "total " + usage.reportedTotalTokens().getAsLong() + " is not input "
            + usage.inputTokens() + " + output " + usage.outputTokens()));
      }
      if (est != null) {
        long actual = usage.inputTokens();
        long estimated = est.inputTotal();
        BigDecimal off = actual == 0 ? (estimated == 0 ? BigDecimal.ZERO : BigDecimal.ONE)
            : BigDecimal.valueOf(Math.abs(estimated - actual)).divide(BigDecimal.valueOf(actual), MathContext.DECIMAL64);
        if (off.compareTo(tolerance) > 0) {
          flags.add(new Flag(Flag.ESTIMATE_OFF, "estimated input " + estimated + ", actual " + actual + " ("
              + percent(BigDecimal.valueOf(estimated - actual), BigDecimal.valueOf(actual)) + ")"));
        }
      }
    }
    return new Reconciliation(id, line, model.id(), Optional.ofNullable(when), Optional.ofNullable(est),
        Optional.ofNullable(usage), Optional.ofNullable(cost), Optional.ofNullable(reported), Optional.ofNullable(diff),
        flags, notes);
  }

  private static boolean isMissing(JsonNode response) {
    if (!response.isObject()) {
      return false;
    }
    boolean hasUsage = response.has("usage") || response.has("usageMetadata");
    if (hasUsage) {
      JsonNode u = response.has("usage") ? response.get("usage") : response.get("usageMetadata");
      return u == null || u.isNull();
    }
    boolean bare = response.has("prompt_tokens") || response.has("completion_tokens") || response.has("promptTokenCount")
        || response.has("candidatesTokenCount") || response.has("totalTokenCount");
    return !bare && (response.has("choices") || response.has("candidates") || response.has("id"));
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
    Usage u = usage.withMedia(usage.media().images().isPresent() ? usage.media() : media);
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

  static boolean isUsageError(Exception e) {
    return e instanceof UsageException;
  }
}
