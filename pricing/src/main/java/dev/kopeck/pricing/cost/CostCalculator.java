package dev.kopeck.pricing.cost;

import dev.kopeck.pricing.money.Money;
import dev.kopeck.pricing.tariff.ChargeKind;
import dev.kopeck.pricing.tariff.PricedModel;
import dev.kopeck.pricing.tariff.Rate;
import dev.kopeck.pricing.tariff.RateUnit;
import dev.kopeck.pricing.tariff.Tariff;
import dev.kopeck.pricing.usage.Modalities;
import dev.kopeck.base.Modality;
import dev.kopeck.pricing.usage.Usage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prices a {@link Usage} with a {@link Tariff}, exactly.
 *
 * <p>The input is split into disjoint parts, each billed once: cache reads (audio ones at
 * {@code cache_read_audio} if the tariff has it), cache writes, then the rest by modality (text at
 * {@code input}, images at {@code input_image}, ...). When the provider does not say which
 * modality the cached tokens were, they are taken from text first, then audio, image, video,
 * document. The output is split into reasoning, audio, image and the rest (text). A kind without
 * its own rate is billed at its fallback's (see {@link ChargeKind#fallback()}); the line says so.
 * A long-context tier applies to the whole request once {@code inputTokens} passes its threshold.
 */
public final class CostCalculator {
  private static final Modality[] TAKE_CACHE_FROM = {
    Modality.TEXT, Modality.AUDIO, Modality.IMAGE, Modality.VIDEO, Modality.DOCUMENT
  };

  private CostCalculator() {}

  /**
   * Prices with the tariff of {@code model} in force at {@code when}.
   *
   * @throws PricingException if no tariff is in force then, or the tariff bills a unit the usage lacks
   */
  public static Cost price(Usage usage, PricedModel model, Instant when) {
    Tariff t = model.tariffAt(when).orElseThrow(() -> new PricingException(
        "no tariff of " + model.id() + " at " + model.provider() + " is in force at " + when
            + "; the earliest starts " + model.tariffs().get(0).effectiveFrom()));
    return price(usage, t);
  }

  /** @throws PricingException if the tariff bills a unit (images, seconds, pages) the usage lacks */
  public static Cost price(Usage usage, Tariff tariff) {
    long in = usage.inputTokens();
    Modalities all = usage.inputByModality();
    Modalities cacheRead = usage.cacheReadByModality() != null ? usage.cacheReadByModality()
        : take(all, usage.cacheReadTokens());
    Modalities afterRead = minus(all, cacheRead);
    Modalities cacheWrite = take(afterRead, usage.cacheWriteTokens());
    Modalities fresh = minus(afterRead, cacheWrite);

    List<CostLine> lines = new ArrayList<>(8);
    add(lines, tariff, usage, in, ChargeKind.INPUT, fresh.text());
    add(lines, tariff, usage, in, ChargeKind.INPUT_IMAGE, fresh.image());
    add(lines, tariff, usage, in, ChargeKind.INPUT_AUDIO, fresh.audio());
    add(lines, tariff, usage, in, ChargeKind.INPUT_VIDEO, fresh.video());
    add(lines, tariff, usage, in, ChargeKind.INPUT_DOCUMENT, fresh.document());
    add(lines, tariff, usage, in, ChargeKind.CACHE_READ, cacheRead.total() - cacheRead.audio());
    add(lines, tariff, usage, in, ChargeKind.CACHE_READ_AUDIO, cacheRead.audio());
    add(lines, tariff, usage, in, ChargeKind.CACHE_WRITE, cacheWrite.total());
    long outText = usage.outputTokens() - usage.reasoningTokens() - usage.outputAudioTokens()
        - usage.outputImageTokens();
    add(lines, tariff, usage, in, ChargeKind.OUTPUT, outText);
    add(lines, tariff, usage, in, ChargeKind.REASONING, usage.reasoningTokens());
    add(lines, tariff, usage, in, ChargeKind.OUTPUT_AUDIO, usage.outputAudioTokens());
    add(lines, tariff, usage, in, ChargeKind.OUTPUT_IMAGE, usage.outputImageTokens());
    Optional<Tariff.Applied> fee = tariff.rateFor(ChargeKind.REQUEST, in);
    if (fee.isPresent()) {
      Rate r = fee.get().rate();
      if (r.unit() != RateUnit.REQUEST) {
        throw new PricingException("the request rate of " + tariff.modelId() + " must be per request, not per "
            + r.unit().jsonName());
      }
      lines.add(line(ChargeKind.REQUEST, fee.get().billedAs(), 0, BigDecimal.ONE, r, r.amountFor(1)));
    }
    BigDecimal total = BigDecimal.ZERO;
    for (CostLine l : lines) {
      total = total.add(l.amount());
    }
    return new Cost(tariff.modelId(), tariff.provider(), Cost.Source.TARIFF_TABLE, pricesFrom(tariff), tariff, lines,
        Money.of(total, tariff.currency()), List.of());
  }

  /** {@code routerai google/gemini-2.0-flash-001 from 2025-02-05T00:00:00Z}: which tariff priced a cost. */
  public static String pricesFrom(Tariff t) {
    return t.provider() + " " + t.modelId() + " from " + t.effectiveFrom();
  }

  private static CostLine line(ChargeKind kind, ChargeKind billedAs, long tokens, BigDecimal quantity, Rate rate,
      BigDecimal amount) {
    return new CostLine(kind.jsonName(), billedAs.jsonName(), tokens, quantity, rate.unit().jsonName(), rate.price(),
        BigDecimal.valueOf(rate.per()), amount);
  }

  private static void add(List<CostLine> lines, Tariff tariff, Usage usage, long in, ChargeKind kind, long tokens) {
    if (tokens == 0) {
      return;
    }
    Optional<ChargeKind> unlisted = tariff.unlistedFor(kind, in);
    if (unlisted.isPresent()) {
      String where = tariff.tierFor(in).map(t -> String.format(java.util.Locale.ROOT, " above %,d input tokens",
          t.aboveInputTokens())).orElse("");
      throw new PricingException(String.format(java.util.Locale.ROOT, "%s at %s lists no price for %s%s (its source"
          + " shows only some prices), and this usage has %,d %s tokens: it cannot be priced", tariff.modelId(),
          tariff.provider(), unlisted.get().jsonName(), where, tokens, kind.jsonName()));
    }
    Tariff.Applied applied = tariff.rateFor(kind, in).orElseThrow(
        () -> new IllegalStateException("no rate and no fallback for " + kind));
    Rate rate = applied.rate();
    BigDecimal quantity = quantity(kind, rate.unit(), tokens, usage, tariff);
    lines.add(line(kind, applied.billedAs(), tokens, quantity, rate, rate.amountFor(quantity)));
  }

  private static BigDecimal quantity(ChargeKind kind, RateUnit unit, long tokens, Usage usage, Tariff tariff) {
    switch (unit) {
      case TOKEN:
        return BigDecimal.valueOf(tokens);
      case IMAGE:
        if (kind == ChargeKind.INPUT_IMAGE && usage.media().images() != null) {
          return BigDecimal.valueOf(usage.media().images());
        }
        break;
      case SECOND:
        if (kind == ChargeKind.INPUT_AUDIO && usage.media().audioSeconds() != null) {
          return usage.media().audioSeconds();
        }
        if (kind == ChargeKind.INPUT_VIDEO && usage.media().videoSeconds() != null) {
          return usage.media().videoSeconds();
        }
        break;
      case PAGE:
        if (kind == ChargeKind.INPUT_DOCUMENT && usage.media().pages() != null) {
          return BigDecimal.valueOf(usage.media().pages());
        }
        break;
      default:
        break;
    }
    throw new PricingException("the tariff of " + tariff.modelId() + " bills " + kind.jsonName() + " per "
        + unit.jsonName() + ", but the usage gives " + tokens + " " + kind.jsonName()
        + " tokens and no " + unit.jsonName() + " count; give the count (kopeck cost --"
        + unit.jsonName() + "s N) or bill per token");
  }

  /** Takes {@code n} tokens out of {@code from}: text first, then audio, image, video, document. */
  private static Modalities take(Modalities from, long n) {
    Modalities taken = Modalities.NONE;
    long left = n;
    for (Modality m : TAKE_CACHE_FROM) {
      long t = Math.min(left, from.get(m));
      taken = taken.with(m, t);
      left -= t;
    }
    if (left > 0) {
      throw new IllegalStateException("cannot take " + n + " tokens out of " + from);
    }
    return taken;
  }

  private static Modalities minus(Modalities a, Modalities b) {
    return new Modalities(a.text() - b.text(), a.image() - b.image(), a.audio() - b.audio(),
        a.video() - b.video(), a.document() - b.document());
  }
}
