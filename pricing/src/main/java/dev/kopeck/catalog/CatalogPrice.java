package dev.kopeck.catalog;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Map;

/**
 * What a usage costs under a catalog price, exactly.
 *
 * @param input the cost of the input units (prompt, cache reads and writes, input media)
 * @param output the cost of the output units (completion, reasoning, output media)
 * @param total input, output and what has no direction (per-request fees, searches)
 * @param prices the price set applied: price key to its price (a tiered price as the tier chosen)
 */
public record CatalogPrice(String provider, String model, Currency currency, BigDecimal input, BigDecimal output,
    BigDecimal total, Map<String, BigDecimal> prices) {
  public CatalogPrice {
    prices = Map.copyOf(prices);
  }
}
