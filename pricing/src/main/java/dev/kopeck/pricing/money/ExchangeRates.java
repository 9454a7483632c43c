package dev.kopeck.pricing.money;

import dev.kopeck.base.InputException;
import dev.kopeck.pricing.json.Json;
import dev.kopeck.pricing.json.Node;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/**
 * Dated exchange rates that you supply, to compare and add amounts of different currencies. Kopeck
 * ships none and fetches none: a rate is a fact of your books (the bank's, the router's, the day's).
 *
 * <p>A file: {@code {"rates": [{"date": "2026-08-21", "from": "USD", "to": "RUB", "rate": "92.5"}]}},
 * meaning 1 USD = 92.5 RUB from that day on (UTC) until the next rate of the pair. The rate of an
 * instant is the latest of the pair dated on or before its day. A pair given only the other way
 * round is used inverted, to 34 significant digits.
 */
public final class ExchangeRates {
  /** One rate: 1 {@code from} = {@code rate} {@code to}, from {@code date} on. */
  public record Rate(Currency from, Currency to, BigDecimal rate, LocalDate date) {
    public Rate {
      if (rate.signum() <= 0) {
        throw new IllegalArgumentException("an exchange rate must be positive: " + rate.toPlainString());
      }
    }

    /** {@code amount} in {@code to}, exact (a rate inverted from the file is already rounded to 34 digits). */
    public Money convert(BigDecimal amount) {
      return Money.of(amount.multiply(rate), to);
    }
  }

  private static final ExchangeRates NONE = new ExchangeRates(List.of());
  private final List<Rate> rates;

  private ExchangeRates(List<Rate> rates) {
    this.rates = List.copyOf(rates);
  }

  /** No rates: amounts of different currencies are never compared or added. */
  public static ExchangeRates none() {
    return NONE;
  }

  public static ExchangeRates of(List<Rate> rates) {
    return new ExchangeRates(rates);
  }

  /**
   * Reads a rates file.
   *
   * @throws InputException naming the file and the JSON path of what is wrong
   */
  public static ExchangeRates read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw InputException.unreadable(file.toString(), e);
    }
    Node root = Node.root(file.toString(), Json.parse(file.toString(), text)).requireObject();
    root.rejectUnknownFields(java.util.Set.of("rates", "note"));
    List<Rate> out = new ArrayList<>();
    for (Node r : root.require("rates").elements()) {
      r.requireObject().rejectUnknownFields(java.util.Set.of("date", "from", "to", "rate"));
      LocalDate date;
      try {
        date = LocalDate.parse(r.require("date").text());
      } catch (DateTimeParseException e) {
        throw r.get("date").error("expected a date such as 2026-08-21");
      }
      BigDecimal rate = r.require("rate").decimal();
      if (rate.signum() <= 0) {
        throw r.get("rate").error("an exchange rate must be positive: " + rate.toPlainString());
      }
      out.add(new Rate(currency(r.require("from")), currency(r.require("to")), rate, date));
    }
    return new ExchangeRates(out);
  }

  private static Currency currency(Node n) {
    try {
      return Currency.getInstance(n.nonBlankText());
    } catch (IllegalArgumentException e) {
      throw n.error("not an ISO 4217 currency code: \"" + n.text() + "\"");
    }
  }

  /** The rate from {@code from} to {@code to} in force at {@code at}, if one is given (either way round). */
  public Optional<Rate> rate(Currency from, Currency to, Instant at) {
    LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
    Rate best = null;
    for (Rate r : rates) {
      if (r.date.isAfter(day)) {
        continue;
      }
      Rate candidate = r.from.equals(from) && r.to.equals(to) ? r
          : r.from.equals(to) && r.to.equals(from)
              ? new Rate(from, to, BigDecimal.ONE.divide(r.rate, MathContext.DECIMAL128), r.date) : null;
      if (candidate != null && (best == null || !candidate.date.isBefore(best.date))) {
        best = candidate;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * {@code amount} in {@code to}, converted exactly at the rate in force at {@code at}, with the rate
   * used (none when the amount is in {@code to} already).
   *
   * @throws dev.kopeck.base.InputException when no rate between the two currencies is given for that day
   */
  public Converted convert(Money amount, Currency to, Instant at) {
    if (amount.currency().equals(to)) {
      return new Converted(amount, null);
    }
    Rate r = rate(amount.currency(), to, at).orElseThrow(() -> new dev.kopeck.base.InputException(null, null,
        "no exchange rate from " + amount.currency().getCurrencyCode() + " to " + to.getCurrencyCode() + " is given for "
            + LocalDate.ofInstant(at, ZoneOffset.UTC) + " or before"));
    return new Converted(r.convert(amount.amount()), r);
  }

  /** An amount converted, and the rate it was converted at (null when none was needed). */
  public record Converted(Money amount, Rate rate) {}
}
