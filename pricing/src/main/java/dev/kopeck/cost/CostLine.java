package dev.kopeck.cost;

import dev.kopeck.tariff.ChargeKind;
import dev.kopeck.tariff.Rate;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * One component of a cost: {@code quantity} units of {@code kind}, billed at {@code rate} (the rate
 * of {@code billedAs}, which differs from {@code kind} when the tariff has no rate of its own for it),
 * for an exact {@code amount} in the tariff's currency.
 *
 * @param tokens the tokens this line covers (also for a per-image or per-second rate, for reference)
 * @param quantity how many of the rate's units were billed (tokens, images, seconds, pages, requests)
 */
public record CostLine(ChargeKind kind, ChargeKind billedAs, long tokens, BigDecimal quantity, Rate rate,
    BigDecimal amount) {
  public CostLine {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(billedAs, "billedAs");
    Objects.requireNonNull(quantity, "quantity");
    Objects.requireNonNull(rate, "rate");
    Objects.requireNonNull(amount, "amount");
  }
}
