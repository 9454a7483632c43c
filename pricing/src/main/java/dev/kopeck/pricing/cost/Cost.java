package dev.kopeck.pricing.cost;

import dev.kopeck.pricing.money.Money;
import dev.kopeck.pricing.tariff.Tariff;
import java.util.Currency;
import java.util.List;
import java.util.Objects;

/**
 * The price of one usage, whichever source priced it: the lines and their exact sum, with where
 * the prices came from.
 *
 * @param model the model's id as the prices name it
 * @param provider who bills it (a router, a cloud, a provider of the catalog)
 * @param source what priced it: a tariff table or the catalog of public prices
 * @param pricesFrom the prices' origin, for people: the table's provider, model and date, or the
 *     catalog's data source and version
 * @param tariff the tariff table's tariff that priced it, or null when the catalog did
 * @param notes what a reader of the cost should know: a rate used for another, a count inferred
 */
public record Cost(String model, String provider, Source source, String pricesFrom, Tariff tariff,
    List<CostLine> lines, Money total, List<String> notes) {

  /** Where the prices come from. */
  public enum Source {
    /** A tariff table: the bundled router tables or the user's own. */
    TARIFF_TABLE("tariff_table"),
    /** The catalog of public prices (genai-prices). */
    CATALOG("catalog");

    private final String jsonName;

    Source(String jsonName) {
      this.jsonName = jsonName;
    }

    public String jsonName() {
      return jsonName;
    }
  }

  public Cost {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(pricesFrom, "pricesFrom");
    if ((tariff != null) != (source == Source.TARIFF_TABLE)) {
      throw new IllegalArgumentException("a tariff goes with a tariff table's cost, and only with one");
    }
    lines = List.copyOf(lines);
    Objects.requireNonNull(total, "total");
    notes = List.copyOf(notes);
  }

  public Currency currency() {
    return total.currency();
  }

  /** What the input costs: the lines of input, its media and the cache ({@code input*}, {@code cache*}). */
  public Money input() {
    return sum(true);
  }

  /** What the output costs: the lines of output and reasoning ({@code output*}, {@code reasoning}). */
  public Money output() {
    return sum(false);
  }

  private Money sum(boolean input) {
    java.math.BigDecimal s = java.math.BigDecimal.ZERO;
    for (CostLine l : lines) {
      String c = l.component();
      boolean in = c.startsWith("input") || c.startsWith("cache");
      boolean out = c.startsWith("output") || c.equals("reasoning");
      if (input ? in : out) {
        s = s.add(l.amount());
      }
    }
    return Money.of(s, total.currency());
  }

  /** The same cost with one more note. */
  public Cost withNote(String note) {
    List<String> n = new java.util.ArrayList<>(notes);
    n.add(note);
    return new Cost(model, provider, source, pricesFrom, tariff, lines, total, n);
  }
}
