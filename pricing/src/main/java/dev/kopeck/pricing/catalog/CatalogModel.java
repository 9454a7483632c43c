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
   * @param from the first day it applies (UTC), or null
   * @param startUtc with {@code endUtc}: the time of day (UTC) it applies from, to (which may wrap midnight), or null
   * @param prices price key to price, in the data's order
   */
  public record PriceTerm(String applies, java.time.LocalDate from, java.time.LocalTime startUtc,
      java.time.LocalTime endUtc, Map<String, TieredPrice> prices) {
    public PriceTerm {
      prices = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(prices));
    }
  }

  /**
   * A price per its key's unit: {@code base}, or a tier's price once a request's input tokens pass
   * its threshold (the last tier passed applies to the whole request).
   *
   * @param tiers input-token threshold to price, ascending
   */
  public record TieredPrice(BigDecimal base, java.util.SortedMap<Long, BigDecimal> tiers) {
    public TieredPrice {
      java.util.Objects.requireNonNull(base, "base");
      tiers = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(tiers));
    }

    /** As a person reads it: {@code 1.25, above 200000 input tokens 2.5}. */
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(base.toPlainString());
      tiers.forEach((above, p) -> sb.append(", above ").append(above).append(" input tokens ")
          .append(p.toPlainString()));
      return sb.toString();
    }
  }

  public java.util.List<PriceTerm> priceTerms() {
    java.util.List<PriceTerm> out = new java.util.ArrayList<>();
    for (PriceSet.Conditional c : prices.sets()) {
      java.time.LocalTime start = c.startSecond == null ? null : java.time.LocalTime.ofSecondOfDay(c.startSecond);
      java.time.LocalTime end = c.endSecond == null ? null : java.time.LocalTime.ofSecondOfDay(c.endSecond);
      String applies = c.from != null ? "from " + c.from : start != null ? start + " to " + end + " UTC" : "always";
      Map<String, TieredPrice> p = new java.util.LinkedHashMap<>();
      c.prices().forEach((k, v) -> {
        java.util.SortedMap<Long, BigDecimal> tiers = new java.util.TreeMap<>();
        v.tiers().forEach(t -> tiers.put(t.start(), t.price()));
        p.put(k, new TieredPrice(v.base(), tiers));
      });
      out.add(new PriceTerm(applies, c.from, start, end, p));
    }
    return java.util.List.copyOf(out);
  }

  @Override
  public String toString() {
    return provider + ":" + id;
  }
}
