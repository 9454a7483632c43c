package dev.kopeck.catalog;

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
  private final List<CatalogModel> models;
  final Map<String, Extractor> extractors;

  CatalogProvider(String id, String name, Pattern apiPattern, Match providerMatch, Match modelMatch,
      List<String> fallbacks, List<CatalogModel> models, Map<String, Extractor> extractors) {
    this.id = id;
    this.name = name;
    this.apiPattern = apiPattern;
    this.providerMatch = providerMatch;
    this.modelMatch = modelMatch;
    this.fallbacks = List.copyOf(fallbacks);
    this.models = List.copyOf(models);
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

  /** The models it prices, in the order matching tries them. */
  public List<CatalogModel> models() {
    return models;
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
