package dev.kopeck.pricing.catalog;

import dev.kopeck.pricing.json.Node;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a usage counts and a price is per: each unit has a usage key ({@code cache_read_tokens}), a
 * price key ({@code cache_read_mtok}), how many units a price is for ({@code per}: a million tokens)
 * and dimensions ({@code direction=input, family=tokens, token_type=cache_read}). A unit is an
 * ancestor of another when its dimensions are a subset of the other's: cache reads are input tokens,
 * image cache reads are cache reads and image input tokens. genai-prices' unit table, as data.
 */
final class Units {
  /** One unit. */
  record Unit(String usageKey, String priceKey, BigDecimal per, Map<String, String> dimensions, String direction,
      boolean nonTextTokens) {
    Unit(String usageKey, String priceKey, BigDecimal per, Map<String, String> dimensions) {
      this(usageKey, priceKey, per, dimensions, dimensions.get("direction"), "tokens".equals(dimensions.get("family"))
          && dimensions.get("modality") != null && !"text".equals(dimensions.get("modality")));
    }

    boolean isAncestorOrSelfOf(Unit other) {
      for (Map.Entry<String, String> d : dimensions.entrySet()) {
        if (!d.getValue().equals(other.dimensions.get(d.getKey()))) {
          return false;
        }
      }
      return true;
    }

    /** No dimension the two both have differs: the two can describe the same tokens. */
    boolean compatibleWith(Unit other) {
      for (Map.Entry<String, String> d : dimensions.entrySet()) {
        String o = other.dimensions.get(d.getKey());
        if (o != null && !o.equals(d.getValue())) {
          return false;
        }
      }
      return true;
    }
  }

  static final String REQUESTS = "requests";

  private final Map<String, Unit> byUsageKey;
  private final Map<String, Unit> byPriceKey;
  private final Map<Map<String, String>, Unit> byDimensions;

  Units(List<Unit> units) {
    Map<String, Unit> u = new HashMap<>();
    Map<String, Unit> p = new HashMap<>();
    Map<Map<String, String>, Unit> d = new HashMap<>();
    for (Unit unit : units) {
      u.put(unit.usageKey(), unit);
      p.put(unit.priceKey(), unit);
      d.put(unit.dimensions(), unit);
    }
    byUsageKey = Map.copyOf(u);
    byPriceKey = Map.copyOf(p);
    byDimensions = Map.copyOf(d);
  }

  static Units read(Node units) {
    List<Unit> out = new ArrayList<>();
    for (Map.Entry<String, Node> e : units.requireObject().fields()) {
      Node u = e.getValue().requireObject();
      Map<String, String> dims = new TreeMap<>();
      for (Map.Entry<String, Node> d : u.require("dimensions").requireObject().fields()) {
        dims.put(d.getKey(), d.getValue().nonBlankText());
      }
      String priceKey = u.has("price_key") ? u.get("price_key").nonBlankText() : e.getKey();
      out.add(new Unit(e.getKey(), priceKey, u.require("per").decimal(), Collections.unmodifiableMap(dims)));
    }
    return new Units(out);
  }

  Unit byUsageKey(String key) {
    return byUsageKey.get(key);
  }

  Unit byPriceKey(String key) {
    return byPriceKey.get(key);
  }

  /** A usage key a response can report: every unit's but {@code requests} (always one). */
  boolean isReported(String usageKey) {
    return byUsageKey.containsKey(usageKey) && !usageKey.equals(REQUESTS);
  }

  /** The unit with both units' dimensions, if the table has one. */
  Unit join(Unit a, Unit b) {
    Map<String, String> d = new TreeMap<>(a.dimensions());
    d.putAll(b.dimensions());
    return byDimensions.get(d);
  }

  Set<String> usageKeys() {
    return byUsageKey.keySet();
  }
}
