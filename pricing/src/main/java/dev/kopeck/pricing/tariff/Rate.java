package dev.kopeck.pricing.tariff;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A price per a number of units: {@code 15} per {@code 1000000} {@code TOKEN}s. The price is an
 * exact decimal in the tariff's currency, never negative.
 */
public record Rate(BigDecimal price, long per, RateUnit unit) {

  public Rate {
    Objects.requireNonNull(price, "price");
    Objects.requireNonNull(unit, "unit");
    if (price.signum() < 0) {
      throw new IllegalArgumentException("a price cannot be negative: " + price.toPlainString());
    }
    if (per <= 0) {
      throw new IllegalArgumentException("per must be positive: " + per);
    }
    price = normalize(price);
  }

  /** {@code Rate.of("15", 1_000_000, RateUnit.TOKEN)}: 15 per million tokens. */
  public static Rate of(String price, long per, RateUnit unit) {
    return new Rate(new BigDecimal(price), per, unit);
  }

  /** The exact amount for {@code quantity} units: {@code quantity × price / per}. */
  public BigDecimal amountFor(long quantity) {
    return amountFor(BigDecimal.valueOf(quantity));
  }

  /** The exact amount for a fractional quantity (seconds of audio): {@code quantity × price / per}. */
  public BigDecimal amountFor(BigDecimal quantity) {
    BigDecimal product = quantity.multiply(price);
    int tens = powerOfTen(per);
    if (tens >= 0) {
      return product.movePointLeft(tens); // 1, 1K, 1M: a shift of the scale, exact and cheap
    }
    // per is a positive long; the quotient is exact whenever per's only prime factors are 2 and 5
    // (1, 1K, 1M, ...). For any other per, divide with 34 significant digits.
    try {
      return product.divide(BigDecimal.valueOf(per));
    } catch (ArithmeticException nonTerminating) {
      return product.divide(BigDecimal.valueOf(per), java.math.MathContext.DECIMAL128);
    }
  }

  /** {@code 15 per 1M tokens}. */
  @Override
  public String toString() {
    return price.toPlainString() + " per " + perLabel(per) + " " + unit.jsonName() + (per == 1 ? "" : "s");
  }

  /** k if {@code v} is 10^k, else -1. */
  private static int powerOfTen(long v) {
    int k = 0;
    while (v % 10 == 0) {
      v /= 10;
      k++;
    }
    return v == 1 ? k : -1;
  }

  static String perLabel(long per) {
    if (per >= 1_000_000 && per % 1_000_000 == 0) {
      return (per / 1_000_000) + "M";
    }
    if (per >= 1_000 && per % 1_000 == 0) {
      return (per / 1_000) + "K";
    }
    return Long.toString(per);
  }

  /** Without trailing zeros, but never a negative scale: 70, not 7E+1. */
  private static BigDecimal normalize(BigDecimal v) {
    BigDecimal s = v.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }
}
