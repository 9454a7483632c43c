package dev.kopeck.tokens;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * Which tokenizer counts a model's text, and how far its count can be trusted.
 *
 * <p>An {@code exact} one is the model's own vocabulary: its counts are the provider's. Otherwise the
 * count is an estimate: the closest open tokenizer's count times {@code ratio}, and the model's true
 * count lies within {@code ±bound} of that (a fraction: 0.35 is ±35%). The defaults come from
 * {@link Tokenizers#resolve}'s table; {@code kopeck reconcile --calibrate} learns both from your own
 * usage ({@link #calibrated}).
 *
 * @param model the model name asked for
 * @param tokenizer the tokenizer's id
 * @param exact whether the count is the model's own
 * @param ratio the model's tokens per tokenizer token (1 when exact)
 * @param bound how far the true count may lie from the estimate, as a fraction (0 when exact)
 * @param source where the choice comes from
 */
public record ModelTokenizer(String model, String tokenizer, boolean exact, BigDecimal ratio, BigDecimal bound,
    String source) {

  public ModelTokenizer {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(tokenizer, "tokenizer");
    if (ratio.signum() <= 0) {
      throw new IllegalArgumentException("the ratio must be positive: " + ratio);
    }
    if (bound.signum() < 0) {
      throw new IllegalArgumentException("the bound must not be negative: " + bound);
    }
  }

  /** The exact tokenizer {@code id}, for a model whose tariff table names it. */
  public static ModelTokenizer exact(String model, String id, String source) {
    return new ModelTokenizer(model, id, true, BigDecimal.ONE, BigDecimal.ZERO, source);
  }

  /** The counter (loaded once, on first use). */
  public TokenCounter counter() {
    return Tokenizers.require(tokenizer);
  }

  /** The same tokenizer with a learned ratio and bound: an estimate, unless both say exact. */
  public ModelTokenizer calibrated(BigDecimal learnedRatio, BigDecimal learnedBound) {
    boolean still = exact && learnedRatio.compareTo(BigDecimal.ONE) == 0 && learnedBound.signum() == 0;
    return new ModelTokenizer(model, tokenizer, still, learnedRatio, learnedBound, "calibrated by reconcile");
  }

  /** The model's tokens for {@code count} tokenizer tokens: {@code ceil(count × ratio)}. */
  public long tokens(long count) {
    return exact ? count : BigDecimal.valueOf(count).multiply(ratio).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** The most the model may count for {@code count} tokenizer tokens: {@code ceil(count × ratio × (1 + bound))}. */
  public long upper(long count) {
    return exact ? count : BigDecimal.valueOf(count).multiply(ratio).multiply(BigDecimal.ONE.add(bound))
        .setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** "exact", or "estimate ±35% (o200k_base)". */
  public String label() {
    if (exact) {
      return "exact";
    }
    String pct = bound.movePointRight(2).stripTrailingZeros().toPlainString();
    String r = ratio.compareTo(BigDecimal.ONE) == 0 ? "" : " × " + ratio.stripTrailingZeros().toPlainString();
    return "estimate ±" + pct + "% (" + tokenizer + r + ")";
  }
}
