package dev.kopeck.pricing.tariff;

import java.util.Map;
import java.util.Objects;

/**
 * A long-context tier: once a request's input passes {@code aboveInputTokens}, these rates replace
 * the base rates for the whole request (as Gemini 1.5 Pro and 2.5 Pro bill prompts over 128K/200K).
 * Kinds the tier does not list keep their base rate, except those {@code unlisted}: their price in
 * this tier is not known (a page that does not show it), and a usage that needs one is refused.
 */
public record Tier(long aboveInputTokens, Map<ChargeKind, Rate> rates, java.util.Set<ChargeKind> unlisted) {
  public Tier {
    if (aboveInputTokens < 0) {
      throw new IllegalArgumentException("aboveInputTokens must not be negative: " + aboveInputTokens);
    }
    Objects.requireNonNull(rates, "rates");
    unlisted = unlisted == null ? java.util.Set.of() : java.util.Set.copyOf(unlisted);
    if (rates.isEmpty() && unlisted.isEmpty()) {
      throw new IllegalArgumentException("a tier must change at least one rate");
    }
    rates = Map.copyOf(rates);
  }

  /** A tier whose every price is listed. */
  public Tier(long aboveInputTokens, Map<ChargeKind, Rate> rates) {
    this(aboveInputTokens, rates, java.util.Set.of());
  }
}
