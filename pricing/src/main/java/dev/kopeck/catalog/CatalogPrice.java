package dev.kopeck.catalog;

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
 */
public record CatalogPrice(String provider, String model, Currency currency, BigDecimal input, BigDecimal output,
    BigDecimal total, List<Line> lines) {
  public CatalogPrice {
    lines = List.copyOf(lines);
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
