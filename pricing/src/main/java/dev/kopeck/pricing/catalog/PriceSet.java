package dev.kopeck.pricing.catalog;

import dev.kopeck.pricing.json.Node;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's prices: one set, or several, each with a constraint (from a date on; a time of day in
 * UTC, which may wrap midnight). The last whose constraint holds wins; an unconstrained one holds
 * always; when none holds, the first applies (genai-prices' rule).
 */
final class PriceSet {
  /** A price: flat, or tiered by the request's input tokens. */
  record Price(BigDecimal base, List<Tier> tiers) {
    /** The price for a request of {@code inputTokens}: the last tier whose start is below it (a cliff, not a blend). */
    BigDecimal at(BigDecimal inputTokens) {
      BigDecimal p = base;
      for (int i = 0; i < tiers.size(); i++) { // no iterator: this runs for every line of every price
        Tier t = tiers.get(i);
        if (inputTokens.compareTo(t.from) > 0) {
          p = t.price;
        }
      }
      return p;
    }
  }

  record Tier(long start, BigDecimal price, BigDecimal from) {
    /** {@code from} is {@code start} as a decimal, made once, not at every price. */
    Tier(long start, BigDecimal price) {
      this(start, price, BigDecimal.valueOf(start));
    }
  }

  /**
   * One set of prices and when it applies: {@code from} a date, or {@code [startSecond, endSecond)}
   * of a UTC day; with its {@link Plan}, worked out the first time the set prices (a catalog of
   * 1,700 models loads faster without working out every plan up front).
   */
  static final class Conditional {
    final LocalDate from;
    /** The first instant of {@code from} (UTC), or null. */
    private final Instant fromInstant;
    final Integer startSecond;
    final Integer endSecond;
    private final Map<String, Price> prices;
    private final Units units;
    private volatile Plan plan;

    Conditional(LocalDate from, Integer startSecond, Integer endSecond, Map<String, Price> prices, Units units) {
      this.from = from;
      this.fromInstant = from == null ? null : from.atStartOfDay(ZoneOffset.UTC).toInstant();
      this.startSecond = startSecond;
      this.endSecond = endSecond;
      this.prices = prices;
      this.units = units;
    }

    Map<String, Price> prices() {
      return prices;
    }

    Plan plan() {
      Plan p = plan;
      if (p == null) {
        p = Plan.of(prices, units);
        plan = p; // a race computes the same plan twice, harmlessly
      }
      return p;
    }

    boolean holds(Instant at) {
      if (fromInstant != null) {
        return !at.isBefore(fromInstant);
      }
      if (startSecond != null) {
        long s = at.getEpochSecond() % 86_400;
        s = s < 0 ? s + 86_400 : s;
        return endSecond < startSecond ? s >= startSecond || s < endSecond : s >= startSecond && s < endSecond;
      }
      return true;
    }
  }

  private final List<Conditional> sets;

  private PriceSet(List<Conditional> sets) {
    this.sets = List.copyOf(sets);
  }

  List<Conditional> sets() {
    return sets;
  }

  Conditional at(Instant at) {
    for (int i = sets.size() - 1; i >= 0; i--) {
      if (sets.get(i).holds(at)) {
        return sets.get(i);
      }
    }
    return sets.get(0);
  }

  /**
   * How a set of prices bills a usage, worked out once: the priced units in the order the prices
   * list them, and the same less {@code requests} most specific first, each with the indices of its
   * more specific priced units (its parts); whether a price is tiered; and why the set cannot price
   * at all, if it cannot (a priced part whose whole has no price), which genai-prices says at
   * pricing time and so does Kopeck; and the note for each modality it has no rate for, written
   * the first time a usage has that modality.
   */
  record Plan(Units.Unit[] listed, Price[] listedPrices, Units.Unit[] order, int[][] parts, boolean tiered,
      String inconsistency, java.util.concurrent.ConcurrentHashMap<Units.Unit, String> notes) {
    /** Whether the set lists a price of this very unit. */
    boolean prices(Units.Unit u) {
      for (Units.Unit l : listed) {
        if (l == u) {
          return true;
        }
      }
      return false;
    }

    static Plan of(Map<String, Price> prices, Units units) {
      Units.Unit[] listed = new Units.Unit[prices.size()];
      Price[] listedPrices = new Price[prices.size()];
      boolean tiered = false;
      int i = 0;
      for (Map.Entry<String, Price> e : prices.entrySet()) {
        listed[i] = units.byPriceKey(e.getKey());
        listedPrices[i++] = e.getValue();
        tiered |= !e.getValue().tiers().isEmpty();
      }
      List<Units.Unit> order = new ArrayList<>();
      for (Units.Unit u : listed) {
        if (!u.usageKey().equals(Units.REQUESTS)) {
          order.add(u);
        }
      }
      order.sort(java.util.Comparator.<Units.Unit>comparingInt(u -> -u.dimensions().size())
          .thenComparing(Units.Unit::usageKey));
      int[][] parts = new int[order.size()][];
      for (int n = 0; n < order.size(); n++) {
        List<Integer> d = new ArrayList<>();
        for (int k = 0; k < order.size(); k++) {
          if (k != n && order.get(n).isAncestorOrSelfOf(order.get(k))) {
            d.add(k);
          }
        }
        parts[n] = d.stream().mapToInt(Integer::intValue).toArray();
      }
      return new Plan(listed, listedPrices, order.toArray(new Units.Unit[0]), parts, tiered,
          inconsistency(listed, units), new java.util.concurrent.ConcurrentHashMap<>());
    }

    /** Every priced unit's wholes are priced, and so is the part any two that can overlap share. */
    private static String inconsistency(Units.Unit[] priced, Units units) {
      java.util.Set<String> keys = new java.util.HashSet<>();
      for (Units.Unit u : priced) {
        keys.add(u.priceKey());
      }
      for (Units.Unit u : priced) {
        for (String k : units.usageKeys()) {
          Units.Unit a = units.byUsageKey(k);
          if (a != u && a.isAncestorOrSelfOf(u) && !keys.contains(a.priceKey())) {
            return "prices " + u.priceKey() + " but not " + a.priceKey() + ", which it is part of";
          }
        }
      }
      for (int i = 0; i < priced.length; i++) {
        for (int j = i + 1; j < priced.length; j++) {
          if (!priced[i].compatibleWith(priced[j])) {
            continue;
          }
          Units.Unit join = units.join(priced[i], priced[j]);
          if (join == null || !keys.contains(join.priceKey())) {
            return "prices " + priced[i].priceKey() + " and " + priced[j].priceKey() + " but not the part they share";
          }
        }
      }
      return null;
    }
  }

  static PriceSet read(Node prices, Units units) {
    List<Conditional> out = new ArrayList<>();
    if (prices.json().isArray()) {
      for (Node c : prices.elements()) {
        c.requireObject();
        Node k = c.get("constraint");
        Map<String, Price> p = prices(c.require("prices"), units);
        if (k == null) {
          out.add(new Conditional(null, null, null, p, units));
          continue;
        }
        // the published data file leaves out the type; the package's bundle adds it (both are read)
        String type = k.has("type") ? k.get("type").nonBlankText()
            : k.has("start_date") ? "start_date" : k.has("start_time") ? "time_of_date" : k.require("type").nonBlankText();
        if (type.equals("start_date")) {
          try {
            out.add(new Conditional(LocalDate.parse(k.require("start_date").text()), null, null, p, units));
          } catch (DateTimeParseException e) {
            throw k.get("start_date").error("expected a date such as 2026-08-21");
          }
        } else if (type.equals("time_of_date")) {
          out.add(new Conditional(null, second(k.require("start_time")), second(k.require("end_time")), p, units));
        } else {
          throw k.get("type").error("unknown price constraint; expected start_date or time_of_date");
        }
      }
      if (out.isEmpty()) {
        throw prices.error("a model needs at least one set of prices");
      }
    } else {
      Map<String, Price> p = prices(prices, units);
      out.add(new Conditional(null, null, null, p, units));
    }
    return new PriceSet(out);
  }

  /** Seconds into the UTC day of a time such as {@code 16:30:00Z} or {@code 00:30:00+08:00}. */
  private static int second(Node t) {
    try {
      OffsetTime o = OffsetTime.parse(t.text());
      return o.withOffsetSameInstant(ZoneOffset.UTC).toLocalTime().toSecondOfDay();
    } catch (DateTimeParseException e) {
      throw t.error("expected a time of day with its offset, such as 16:30:00Z");
    }
  }

  private static Map<String, Price> prices(Node p, Units units) {
    Map<String, Price> out = new LinkedHashMap<>();
    for (Map.Entry<String, Node> e : p.requireObject().fields()) {
      if (units.byPriceKey(e.getKey()) == null) {
        throw new CatalogException(p.source(), p.pathOf(e.getKey()), "unknown price key");
      }
      Node v = e.getValue();
      Price price;
      if (v.isObject()) {
        List<Tier> tiers = new ArrayList<>();
        for (Node t : v.require("tiers").elements()) {
          tiers.add(new Tier(t.require("start").count(), nonNegative(t.require("price"))));
        }
        tiers.sort(java.util.Comparator.comparingLong(Tier::start));
        price = new Price(nonNegative(v.require("base")), List.copyOf(tiers));
      } else {
        price = new Price(nonNegative(v), List.of());
      }
      out.put(e.getKey(), price);
    }
    return out;
  }

  private static BigDecimal nonNegative(Node n) {
    BigDecimal d = n.decimal();
    if (d.signum() < 0) {
      throw n.error("a price cannot be negative: " + d.toPlainString());
    }
    return d;
  }
}
