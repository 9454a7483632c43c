package dev.kopeck.pricing.cost;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One component of a cost, whichever source priced it: {@code quantity} units of {@code component},
 * billed at {@code price} per {@code per} units (the price of {@code billedAs}, which differs from
 * {@code component} when the prices have no price of their own for it), for an exact {@code amount}
 * in the cost's currency.
 *
 * <p>Components are named as the tariff tables name their charge kinds ({@code input},
 * {@code input_image}, {@code cache_read}, {@code cache_write}, {@code output}, {@code reasoning},
 * {@code output_audio}, {@code request}, ...); a component only the catalog of public prices knows
 * keeps its name there without {@code _tokens} ({@code cache_write_1h}, {@code web_searches}).
 *
 * @param tokens the tokens this line covers (also for a per-image or per-second price, for
 *     reference; 0 for a line that counts no tokens, such as a request fee)
 * @param quantity how many of the unit were billed (tokens, images, seconds, pages, requests, searches)
 * @param unit what {@code quantity} counts: {@code token}, {@code image}, {@code second}, {@code page},
 *     {@code request}, {@code search}
 */
public record CostLine(String component, String billedAs, long tokens, BigDecimal quantity, String unit,
    BigDecimal price, BigDecimal per, BigDecimal amount) {
  public CostLine {
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(billedAs, "billedAs");
    Objects.requireNonNull(quantity, "quantity");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(price, "price");
    Objects.requireNonNull(per, "per");
    Objects.requireNonNull(amount, "amount");
  }

  /** Whether the line is billed at another component's price (the prices have none of its own). */
  public boolean fallback() {
    return !billedAs.equals(component);
  }

  /** {@code 15 per 1M tokens}, {@code 3.91 per 1K images}, {@code 0.01 per request}. */
  public String priceText() {
    String p = price.signum() == 0 ? "0" : price.stripTrailingZeros().toPlainString();
    String u = unit;
    if (per.compareTo(BigDecimal.ONE) == 0) {
      return p + " per " + u;
    }
    String n = per.compareTo(BigDecimal.valueOf(1_000_000)) == 0 ? "1M" : per.compareTo(BigDecimal.valueOf(1_000)) == 0
        ? "1K" : per.stripTrailingZeros().toPlainString();
    return p + " per " + n + " " + u + "s";
  }
}
