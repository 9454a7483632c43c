package dev.kopeck.pricing.money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;

/**
 * An exact amount of one currency.
 *
 * <p>The amount is a {@link BigDecimal} with no rounding ever applied: a cost of 7 tokens at
 * 15 ₽ per 1M tokens is exactly 0.000105 ₽. Two forms leave this class:
 *
 * <ul>
 *   <li>the ledger form, {@link #toNanos(RoundingMode)}: whole nano-units (10⁻⁹ of the currency
 *       unit, nano-roubles for RUB) in a {@code long}, as budgets count them; {@link #toNanosExact()}
 *       refuses to round;
 *   <li>the display form, {@link #display()}: rounded to the currency's minor unit (kopecks, cents)
 *       with {@link #DISPLAY_ROUNDING} ({@code HALF_UP}), only for a person to read.
 * </ul>
 *
 * <p>Equality ignores the scale: {@code 0.10 RUB} equals {@code 0.1 RUB}. The amount keeps the scale
 * it was made with (normalizing on every sum would cost a division each time); {@link
 * #toPlainString()} shows it without trailing zeros.
 */
public record Money(BigDecimal amount, Currency currency) implements Comparable<Money> {

  /** Nano-units per currency unit: the ledger form counts 10⁻⁹ of a rouble, dollar, euro. */
  public static final int NANO_SCALE = 9;

  /** The rounding of {@link #display()}: half up, to the currency's minor unit. */
  public static final RoundingMode DISPLAY_ROUNDING = RoundingMode.HALF_UP;

  public Money {
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(currency, "currency");
  }

  /** Equal amounts of the same currency, whatever their scale. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Money m && currency.equals(m.currency) && amount.compareTo(m.amount) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * currency.hashCode() + normalize(amount).hashCode();
  }

  /** Parses an exact decimal such as {@code "0.045"}; never goes through {@code double}. */
  public static Money of(String amount, String currencyCode) {
    return new Money(new BigDecimal(amount), Currency.getInstance(currencyCode));
  }

  public static Money of(BigDecimal amount, Currency currency) {
    return new Money(amount, currency);
  }

  public static Money zero(Currency currency) {
    return new Money(BigDecimal.ZERO, currency);
  }

  /** The amount of {@code nanos} nano-units (10⁻⁹) of the currency. */
  public static Money ofNanos(long nanos, Currency currency) {
    return new Money(BigDecimal.valueOf(nanos, NANO_SCALE), currency);
  }

  public Money plus(Money other) {
    requireSameCurrency(other);
    return new Money(amount.add(other.amount), currency);
  }

  public Money minus(Money other) {
    requireSameCurrency(other);
    return new Money(amount.subtract(other.amount), currency);
  }

  public Money negate() {
    return new Money(amount.negate(), currency);
  }

  public boolean isZero() {
    return amount.signum() == 0;
  }

  public int signum() {
    return amount.signum();
  }

  /**
   * The ledger form: whole nano-units, exactly.
   *
   * @throws ArithmeticException if the amount has a fraction of a nano-unit or does not fit a long
   */
  public long toNanosExact() {
    return amount.movePointRight(NANO_SCALE).longValueExact();
  }

  /**
   * The ledger form, rounded: use {@link RoundingMode#CEILING} for a reservation (never reserve
   * less than the cost), {@link RoundingMode#HALF_EVEN} for a neutral figure.
   *
   * @throws ArithmeticException if the amount does not fit a long of nano-units
   */
  public long toNanos(RoundingMode mode) {
    return amount.movePointRight(NANO_SCALE).setScale(0, mode).longValueExact();
  }

  /** The exact amount as a plain decimal string without exponent or trailing zeros: {@code 0.045}. */
  public String toPlainString() {
    return normalize(amount).toPlainString();
  }

  /**
   * For a person to read: rounded {@link #DISPLAY_ROUNDING} to the currency's minor unit (two
   * places for RUB), with its code: {@code 0.05 RUB}. Never feed this back into arithmetic.
   */
  public String display() {
    int digits = Math.max(currency.getDefaultFractionDigits(), 0);
    return amount.setScale(digits, DISPLAY_ROUNDING).toPlainString() + " " + currency.getCurrencyCode();
  }

  @Override
  public int compareTo(Money other) {
    requireSameCurrency(other);
    return amount.compareTo(other.amount);
  }

  private void requireSameCurrency(Money other) {
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException(
          "cannot combine " + currency.getCurrencyCode() + " with " + other.currency.getCurrencyCode());
    }
  }

  @Override
  public String toString() {
    return toPlainString() + " " + currency.getCurrencyCode();
  }

  /** Without trailing zeros, but never a negative scale: 70, not 7E+1. */
  private static BigDecimal normalize(BigDecimal v) {
    BigDecimal s = v.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }
}
