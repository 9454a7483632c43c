package dev.kopeck.pricing.tariff;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The prices of one model at one provider or router, in one currency, from one date on.
 *
 * @param provider who bills (a router, a cloud)
 * @param modelId the model's canonical id
 * @param currency what the rates are in
 * @param effectiveFrom the first instant this tariff is in force; it stays in force until the next
 *     tariff of the same model starts
 * @param rates the base rates by kind; {@link ChargeKind#INPUT} and {@link ChargeKind#OUTPUT} are
 *     required, other kinds fall back (see {@link ChargeKind#fallback()})
 * @param tiers long-context tiers, ascending by threshold
 * @param note where the prices come from (a page, a date it was read), for people
 * @param unlisted kinds whose base price the source does not show (a page that lists only some
 *     prices): a usage that needs one is refused, never billed at a fallback's rate
 */
public record Tariff(
    String provider,
    String modelId,
    Currency currency,
    Instant effectiveFrom,
    Map<ChargeKind, Rate> rates,
    List<Tier> tiers,
    String note,
    java.util.Set<ChargeKind> unlisted) {

  /** A tariff whose every price is listed. */
  public Tariff(String provider, String modelId, Currency currency, Instant effectiveFrom, Map<ChargeKind, Rate> rates,
      List<Tier> tiers, String note) {
    this(provider, modelId, currency, effectiveFrom, rates, tiers, note, java.util.Set.of());
  }

  public Tariff {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(effectiveFrom, "effectiveFrom");
    Objects.requireNonNull(rates, "rates");
    note = note == null ? "" : note;
    unlisted = unlisted == null ? java.util.Set.of() : java.util.Set.copyOf(unlisted);
    for (ChargeKind required : List.of(ChargeKind.INPUT, ChargeKind.OUTPUT)) {
      if (!rates.containsKey(required)) {
        throw new IllegalArgumentException("a tariff needs a rate for " + required.jsonName());
      }
    }
    rates = Map.copyOf(new EnumMap<>(rates));
    List<Tier> sorted = new ArrayList<>(tiers);
    sorted.sort(Comparator.comparingLong(Tier::aboveInputTokens));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).aboveInputTokens() == sorted.get(i - 1).aboveInputTokens()) {
        throw new IllegalArgumentException("two tiers above " + sorted.get(i).aboveInputTokens() + " input tokens");
      }
    }
    tiers = List.copyOf(sorted);
  }

  /** The tier in force for a request with this many input tokens: the highest threshold passed. */
  public Optional<Tier> tierFor(long inputTokens) {
    Tier found = null;
    for (Tier t : tiers) {
      if (inputTokens > t.aboveInputTokens()) {
        found = t;
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * The rate that bills {@code kind} in a request with {@code inputTokens} input tokens: the tier's
   * rate if the tier lists the kind, else the base rate, else the same for the kind's fallback.
   * Empty only for a kind with no fallback and no rate ({@link ChargeKind#REQUEST}: no fee).
   */
  public Optional<Applied> rateFor(ChargeKind kind, long inputTokens) {
    Tier tier = tierFor(inputTokens).orElse(null);
    for (ChargeKind k = kind; k != null; k = k.fallback().orElse(null)) {
      Rate r = tier == null ? null : tier.rates().get(k);
      if (r == null) {
        r = rates.get(k);
      }
      if (r != null) {
        return Optional.of(new Applied(k, r, tier));
      }
    }
    return Optional.empty();
  }

  /**
   * The kind whose unknown price {@code kind} would need in a request with {@code inputTokens} input
   * tokens (itself or a fallback the source does not show), or empty when its price is known.
   */
  public Optional<ChargeKind> unlistedFor(ChargeKind kind, long inputTokens) {
    Tier tier = tierFor(inputTokens).orElse(null);
    for (ChargeKind k = kind; k != null; k = k.fallback().orElse(null)) {
      if (tier != null && tier.rates().containsKey(k)) {
        return Optional.empty();
      }
      if (tier != null && tier.unlisted().contains(k)) {
        return Optional.of(k);
      }
      if (rates.containsKey(k)) {
        return Optional.empty();
      }
      if (unlisted.contains(k)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /**
   * A rate as applied: which kind's rate it is ({@code billedAs} differs from the kind asked for
   * when a fallback was used) and the tier it came from, or null when the tariff has no tiers.
   */
  public record Applied(ChargeKind billedAs, Rate rate, Tier tier) {}
}
