package dev.kopeck.pricing.catalog;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;

/**
 * What a usage costs under a catalog price, exactly, line by line.
 *
 * @param input the cost of the input units (prompt, cache reads and writes, input media)
 * @param output the cost of the output units (completion, reasoning, output media)
 * @param total input, output and what has no direction (per-request fees, searches)
 * @param lines one per priced unit, in the order the prices are listed
 * @param serviceTier the tier whose prices were applied: {@code standard}, or the tier asked for when
 *     its price is known ({@code flex}, {@code batch})
 * @param notes what a reader of the figure should know: a tier asked for and not priced, a modality
 *     billed at another unit's rate because the catalog has none for it; empty when nothing
 */
public record CatalogPrice(String provider, String model, Currency currency, BigDecimal input, BigDecimal output,
    BigDecimal total, List<Line> lines, String serviceTier, List<String> notes) {
  /** The standard tier's prices. */
  public static final String STANDARD = "standard";

  public CatalogPrice {
    lines = List.copyOf(lines);
    java.util.Objects.requireNonNull(serviceTier, "serviceTier");
    notes = List.copyOf(notes);
  }

  /** A price of the standard tier, with nothing to note. */
  public CatalogPrice(String provider, String model, Currency currency, BigDecimal input, BigDecimal output,
      BigDecimal total, List<Line> lines) {
    this(provider, model, currency, input, output, total, lines, STANDARD, List.of());
  }

  /**
   * One priced unit.
   *
   * @param usageKey what it counts ({@code cache_read_tokens})
   * @param priceKey its price's key ({@code cache_read_mtok})
   * @param quantity what it bills: its own count less its priced parts' (1 for a per-request fee)
   * @param price the price applied (a tiered price's tier), per {@code per} units
   */
  public record Line(String usageKey, String priceKey, BigDecimal quantity, BigDecimal price, BigDecimal per,
      BigDecimal amount) {}
}
