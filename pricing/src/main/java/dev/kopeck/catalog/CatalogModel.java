package dev.kopeck.catalog;

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

  @Override
  public String toString() {
    return provider + ":" + id;
  }
}
