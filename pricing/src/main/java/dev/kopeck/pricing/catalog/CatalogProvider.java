package dev.kopeck.pricing.catalog;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** A provider in the catalog: its id, name, API URL pattern, models, and how its responses report usage. */
public final class CatalogProvider {
  private final String id;
  private final String name;
  private final Pattern apiPattern;
  final Match providerMatch;
  final Match modelMatch;
  final List<String> fallbacks;
  private final java.util.function.Supplier<List<CatalogModel>> load;
  private volatile List<CatalogModel> models;
  final Map<String, Extractor> extractors;

  CatalogProvider(String id, String name, Pattern apiPattern, Match providerMatch, Match modelMatch,
      List<String> fallbacks, java.util.function.Supplier<List<CatalogModel>> models, Map<String, Extractor> extractors) {
    this.id = id;
    this.name = name;
    this.apiPattern = apiPattern;
    this.providerMatch = providerMatch;
    this.modelMatch = modelMatch;
    this.fallbacks = List.copyOf(fallbacks);
    this.load = models;
    this.extractors = Map.copyOf(extractors);
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  /** Whether an API base URL is this provider's. */
  public boolean servesUrl(String apiUrl) {
    return apiPattern.matcher(apiUrl).lookingAt();
  }

  /** The models it prices, in the order matching tries them (read from the catalog's text on first use). */
  public List<CatalogModel> models() {
    List<CatalogModel> m = models;
    if (m == null) {
      synchronized (this) {
        m = models;
        if (m == null) {
          m = List.copyOf(load.get());
          models = m;
        }
      }
    }
    return m;
  }

  /** The API flavours whose usage it can read ({@code default}, {@code chat}, {@code responses}, ...). */
  public java.util.Set<String> apiFlavors() {
    return new java.util.TreeSet<>(extractors.keySet());
  }

  @Override
  public String toString() {
    return id;
  }
}
