package dev.kopeck.core.reconcile;

import dev.kopeck.pricing.tariff.ChargeKind;
import dev.kopeck.pricing.tariff.RateUnit;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * What the charges providers reported say about a tariff ({@code tariff} names it: model, provider
 * and the date it took effect). {@link #message()} says it in a sentence.
 */
public sealed interface TariffFinding {
  /** The tariff the finding is about: {@code model @ provider from date}. */
  String tariff();

  /** The finding in one English sentence, for reports. */
  String message();

  /** How many of the reported charges the tariff explains (within a minor unit or 1%). */
  record Explained(String tariff, long explained, long reported) implements TariffFinding {
    @Override
    public String message() {
      return String.format(Locale.ROOT, "%s: the tariff explains %d of %d reported charges", tariff, explained, reported);
    }
  }

  /**
   * How many charges with images the other reading of the image line would explain.
   *
   * @param otherUnit the other reading: {@code per 1000 images} or {@code per 1000 tokens}
   */
  record OtherImageUnit(String tariff, long withImages, String otherUnit, long wouldExplain) implements TariffFinding {
    @Override
    public String message() {
      return String.format(Locale.ROOT, "%s: of %d charges with images, billing the image line %s would explain %d",
          tariff, withImages, otherUnit, wouldExplain);
    }
  }

  /**
   * A rate the mismatching charges agree on, and that differs from the tariff's by more than 1%.
   *
   * @param impliedPrice the median price the charges imply, per {@code per} {@code unit}
   */
  record RateMismatch(String tariff, ChargeKind kind, long charges, BigDecimal impliedPrice, long per, RateUnit unit,
      BigDecimal tariffPrice) implements TariffFinding {
    @Override
    public String message() {
      return String.format(Locale.ROOT, "%s: %s does not fit: %d mismatching charges imply %s per %s %s, the tariff"
          + " says %s", tariff, kind.jsonName(), charges, impliedPrice.round(new MathContext(6)).stripTrailingZeros()
          .toPlainString(), per, unit.jsonName(), tariffPrice.toPlainString());
    }
  }
}
