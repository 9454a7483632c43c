package dev.kopeck.pricing.cost;

import dev.kopeck.pricing.money.ExchangeRates;
import dev.kopeck.pricing.money.Money;
import dev.kopeck.pricing.usage.Usage;
import java.util.Currency;
import java.time.Instant;
import java.util.Optional;

/**
 * A provider's own charge for a call ({@code usage.cost}, or the upstream's on OpenRouter's own-key
 * calls) beside a price: in its own currency, and in the price's when the two are the same or an
 * exchange rate converts it, exactly, at the rate recorded here.
 *
 * @param reported the charge as the provider gave it
 * @param comparable the charge in the price's currency, or null when no rate converts it
 * @param rate the exchange rate used, or null when none was needed (or none was given)
 */
public record ReportedCharge(Money reported, Money comparable, ExchangeRates.Rate rate) {
  /**
   * The usage's charge, if it carries one, beside a price in {@code priced}.
   *
   * @param reportedCurrency the charge's currency, or null when it is the price's (OpenRouter's credits are USD)
   * @param at when the call was made: picks the exchange rate in force
   */
  public static Optional<ReportedCharge> of(Usage usage, Currency reportedCurrency, Currency priced,
      ExchangeRates rates, Instant at) {
    if (usage.tokensCharge() == null) {
      return Optional.empty();
    }
    Currency in = reportedCurrency == null ? priced : reportedCurrency;
    Money reported = Money.of(usage.tokensCharge(), in);
    if (in.equals(priced)) {
      return Optional.of(new ReportedCharge(reported, reported, null));
    }
    return Optional.of(rates.rate(in, priced, at)
        .map(r -> new ReportedCharge(reported, r.convert(usage.tokensCharge()), r))
        .orElseGet(() -> new ReportedCharge(reported, null, null)));
  }

  /** The charge less the price, when they can be compared. */
  public Optional<Money> minus(Money price) {
    return comparable == null ? Optional.empty() : Optional.of(comparable.minus(price));
  }

  /** One line for people: the charge, its conversion, and whether it equals the price. */
  public String describe(Money price, String whose) {
    String r = reported.toPlainString() + (rate == null && comparable != null ? ""
        : " " + reported.currency().getCurrencyCode());
    if (comparable == null) {
      return "reported by the provider: " + r + " (the price is in " + price.currency().getCurrencyCode()
          + "; give exchange rates (--rates FILE) to compare)";
    }
    String at = rate == null ? "" : " = " + comparable.toPlainString() + " " + price.currency().getCurrencyCode()
        + " at " + rate.rate().toPlainString() + " of " + rate.date();
    return "reported by the provider: " + r + at + " (" + (comparable.compareTo(price) == 0 ? "equals the " + whose
        : "differs from the " + whose + " by " + comparable.minus(price).toPlainString()) + ")";
  }
}
