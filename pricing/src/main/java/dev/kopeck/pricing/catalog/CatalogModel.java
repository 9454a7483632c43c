package dev.kopeck.pricing.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** A model as a provider prices it: its id, name, context window, and its prices over time. */
public final class CatalogModel {
  private final String provider;
  private final String id;
  private final String name;
  private final Long contextWindow;
  final Match match;
  final PriceSet prices;

  CatalogModel(String provider, String id, String name, Long contextWindow, Match match, PriceSet prices) {
    this.provider = provider;
    this.id = id;
    this.name = name;
    this.contextWindow = contextWindow;
    this.match = match;
    this.prices = prices;
  }

  /** The id of the provider whose price list this model is in. */
  public String provider() {
    return provider;
  }

  public String id() {
    return id;
  }

  /** The model's display name, or its id when the data gives none. */
  public String name() {
    return name;
  }

  /** Its context window in tokens, or null when the data gives none. */
  public Long contextWindow() {
    return contextWindow;
  }

  /** Whether a name a caller uses (any case) means this model. */
  public boolean matches(String name) {
    return match.test(name.toLowerCase(java.util.Locale.ROOT).trim());
  }

  /** The prices in force {@code at}: price key to price (a tiered price as its base), for display. */
  public Map<String, BigDecimal> pricesAt(Instant at) {
    Map<String, BigDecimal> out = new TreeMap<>();
    prices.at(at).prices().forEach((k, p) -> out.put(k, p.base()));
    return out;
  }

  /** The rule that says which names mean this model, as a person reads it. */
  public String matchRule() {
    return match.describe();
  }

  /**
   * Each set of prices and when it applies, in the data's order; at an instant the last that holds
   * applies (else the first).
   *
   * @param applies {@code always}, {@code from 2026-08-17}, or {@code 16:30:00 to 00:30:00 UTC}
   * @param prices price key to price, a tiered one as {@code 1.25, above 200000 input tokens 2.5}
   */
  public record PriceTerm(String applies, Map<String, String> prices) {}

  public java.util.List<PriceTerm> priceTerms() {
    java.util.List<PriceTerm> out = new java.util.ArrayList<>();
    for (PriceSet.Conditional c : prices.sets()) {
      String applies = c.from != null ? "from " + c.from : c.startSecond != null ? java.time.LocalTime.ofSecondOfDay(
          c.startSecond) + " to " + java.time.LocalTime.ofSecondOfDay(c.endSecond) + " UTC" : "always";
      Map<String, String> p = new java.util.LinkedHashMap<>();
      c.prices().forEach((k, v) -> {
        StringBuilder sb = new StringBuilder(v.base().toPlainString());
        v.tiers().forEach(t -> sb.append(", above ").append(t.start()).append(" input tokens ")
            .append(t.price().toPlainString()));
        p.put(k, sb.toString());
      });
      out.add(new PriceTerm(applies, java.util.Collections.unmodifiableMap(p)));
    }
    return java.util.List.copyOf(out);
  }

  @Override
  public String toString() {
    return provider + ":" + id;
  }
}
