package dev.kopeck.catalog;

import dev.kopeck.json.Node;
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
      for (Tier t : tiers) {
        if (inputTokens.compareTo(BigDecimal.valueOf(t.start)) > 0) {
          p = t.price;
        }
      }
      return p;
    }
  }

  record Tier(long start, BigDecimal price) {}

  /** One set of prices and when it applies: {@code from} a date, or {@code [startSecond, endSecond)} of a UTC day. */
  record Conditional(LocalDate from, Integer startSecond, Integer endSecond, Map<String, Price> prices) {
    boolean holds(Instant at) {
      if (from != null) {
        return !at.isBefore(from.atStartOfDay(ZoneOffset.UTC).toInstant());
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

  Map<String, Price> at(Instant at) {
    for (int i = sets.size() - 1; i >= 0; i--) {
      if (sets.get(i).holds(at)) {
        return sets.get(i).prices;
      }
    }
    return sets.get(0).prices;
  }

  static PriceSet read(Node prices, Units units) {
    List<Conditional> out = new ArrayList<>();
    if (prices.json().isArray()) {
      for (Node c : prices.elements()) {
        c.requireObject();
        Node k = c.get("constraint");
        Map<String, Price> p = prices(c.require("prices"), units);
        if (k == null) {
          out.add(new Conditional(null, null, null, p));
          continue;
        }
        String type = k.require("type").nonBlankText();
        if (type.equals("start_date")) {
          try {
            out.add(new Conditional(LocalDate.parse(k.require("start_date").text()), null, null, p));
          } catch (DateTimeParseException e) {
            throw k.get("start_date").error("expected a date such as 2026-08-21");
          }
        } else if (type.equals("time_of_date")) {
          out.add(new Conditional(null, second(k.require("start_time")), second(k.require("end_time")), p));
        } else {
          throw k.get("type").error("unknown price constraint; expected start_date or time_of_date");
        }
      }
      if (out.isEmpty()) {
        throw prices.error("a model needs at least one set of prices");
      }
    } else {
      out.add(new Conditional(null, null, null, prices(prices, units)));
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
