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
 *
 * <p>Pricing asks "is this unit part of that one" many times a usage; the table answers from a matrix
 * worked out when it is read (59 units: 3,481 answers), not by comparing dimensions each time.
 */
final class Units {
  /** One unit; {@link #index()} is its place in its table. */
  static final class Unit {
    private final String usageKey;
    private final String priceKey;
    private final BigDecimal per;
    private final Map<String, String> dimensions;
    private final String direction;
    private final boolean nonTextTokens;
    private final boolean tokens;
    /** Whether {@code per} is a power of ten (a million, a thousand, one): a count is billed by a shift. */
    private final boolean perPowerOfTen;
    /** {@code per}'s scale without trailing zeros: -6 for a million. */
    private final int perScale;
    private final String component;
    private final String countedAs;
    /**
     * The table it is in (null for a unit read but not yet in one), its place there, and by place:
     * whether it is an ancestor of (or is) that unit.
     */
    private final Unit[] table;
    private final int index;
    private final boolean[] ancestorOf;

    Unit(String usageKey, String priceKey, BigDecimal per, Map<String, String> dimensions) {
      this.usageKey = usageKey;
      this.priceKey = priceKey;
      this.per = per;
      this.dimensions = dimensions;
      this.direction = dimensions.get("direction");
      this.tokens = "tokens".equals(dimensions.get("family"));
      this.nonTextTokens = tokens && dimensions.get("modality") != null && !"text".equals(dimensions.get("modality"));
      BigDecimal stripped = per.stripTrailingZeros();
      this.perPowerOfTen = stripped.unscaledValue().equals(java.math.BigInteger.ONE);
      this.perScale = stripped.scale();
      this.component = Catalog.component(usageKey);
      this.countedAs = Catalog.unit(usageKey);
      this.table = null;
      this.index = -1;
      this.ancestorOf = null;
    }

    /** {@code unit} as unit {@code index} of {@code table}. */
    private Unit(Unit unit, Unit[] table, int index, boolean[] ancestorOf) {
      this.usageKey = unit.usageKey;
      this.priceKey = unit.priceKey;
      this.per = unit.per;
      this.dimensions = unit.dimensions;
      this.direction = unit.direction;
      this.tokens = unit.tokens;
      this.nonTextTokens = unit.nonTextTokens;
      this.perPowerOfTen = unit.perPowerOfTen;
      this.perScale = unit.perScale;
      this.component = unit.component;
      this.countedAs = unit.countedAs;
      this.table = table;
      this.index = index;
      this.ancestorOf = ancestorOf;
    }

    String usageKey() {
      return usageKey;
    }

    String priceKey() {
      return priceKey;
    }

    BigDecimal per() {
      return per;
    }

    Map<String, String> dimensions() {
      return dimensions;
    }

    /** {@code input}, {@code output}, or null for a unit with no direction (a request, a search). */
    String direction() {
      return direction;
    }

    /** Audio, image or video tokens: a modality that may have no rate of its own. */
    boolean nonTextTokens() {
      return nonTextTokens;
    }

    /** Of the {@code tokens} family: what a service tier's share applies to. */
    boolean tokens() {
      return tokens;
    }

    /** Whether {@code per} is a power of ten: then a count is billed by moving the point {@link #perScale()} places. */
    boolean perPowerOfTen() {
      return perPowerOfTen;
    }

    /** {@code per}'s scale without trailing zeros: -6 for a million, 0 for one, 3 for a thousandth. */
    int perScale() {
      return perScale;
    }

    /** Its name as a cost line's component ({@link Catalog#component}). */
    String component() {
      return component;
    }

    /** What its count counts as a cost line's unit: {@code token}, {@code second}, ... ({@link Catalog#unit}). */
    String countedAs() {
      return countedAs;
    }

    int index() {
      return index;
    }

    boolean isAncestorOrSelfOf(Unit other) {
      if (table != null && other.table == table) {
        return ancestorOf[other.index];
      }
      return containsDimensionsOf(other);
    }

    private boolean containsDimensionsOf(Unit other) {
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

    @Override
    public String toString() {
      return usageKey;
    }
  }

  static final String REQUESTS = "requests";

  private final Unit[] all;
  private final Map<String, Unit> byUsageKey;
  private final Map<String, Unit> byPriceKey;
  private final Map<Map<String, String>, Unit> byDimensions;

  /** A table of {@code units}: each taken as a unit of this table, which knows which is part of which. */
  Units(List<Unit> units) {
    all = new Unit[units.size()];
    for (int i = 0; i < all.length; i++) {
      boolean[] of = new boolean[all.length];
      for (int j = 0; j < all.length; j++) {
        of[j] = units.get(i).containsDimensionsOf(units.get(j));
      }
      all[i] = new Unit(units.get(i), all, i, of);
    }
    Map<String, Unit> u = new HashMap<>();
    Map<String, Unit> p = new HashMap<>();
    Map<Map<String, String>, Unit> d = new HashMap<>();
    for (Unit unit : all) {
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

  /** How many units the table has: every {@link Unit#index()} is below it. */
  int size() {
    return all.length;
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
