package dev.kopeck.core.guard;

import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.estimate.Estimate;
import dev.kopeck.core.estimate.Estimator;
import dev.kopeck.pricing.usage.Usage;

/**
 * The text an answer brought, counted as it passes, for the estimate of an answer that reports no
 * usage: it holds at most a piece of {@value #PIECE} characters (and the line being read), counts each
 * full piece with the model's tokenizer and drops it, and stops counting at what the request may
 * produce (its max tokens, else the model's output limit): an estimate is never more than that. A
 * piece is cut at white space where it can be, so the count is the text's to within a token a piece.
 */
final class StreamedText {
  static final int PIECE = 1 << 16;

  private final Estimator estimator;
  private final ChatRequest request;
  private final StringBuilder text = new StringBuilder();
  private Estimate estimate;
  private long tokens;
  private boolean full;

  StreamedText(Estimator estimator, ChatRequest request) {
    this.estimator = estimator;
    this.request = request;
  }

  /** Where a chunk's text is appended; {@link #counted} after. */
  StringBuilder buffer() {
    return text;
  }

  void append(CharSequence s) {
    text.append(s);
    counted();
  }

  /** Counts and drops full pieces; once the output limit is reached, drops everything. */
  void counted() {
    if (full) {
      text.setLength(0);
      return;
    }
    while (text.length() >= PIECE) {
      int cut = PIECE;
      for (int i = PIECE; i > PIECE / 2; i--) {
        if (Character.isWhitespace(text.charAt(i - 1))) {
          cut = i;
          break;
        }
      }
      if (Character.isHighSurrogate(text.charAt(cut - 1))) {
        cut--;
      }
      tokens += estimator.textTokens(estimate().model(), text.subSequence(0, cut));
      text.delete(0, cut);
      if (tokens >= cap()) {
        full = true;
        text.setLength(0);
        return;
      }
    }
  }

  private Estimate estimate() {
    if (estimate == null) {
      estimate = estimator.estimate(request);
    }
    return estimate;
  }

  private long cap() {
    long max = estimate().outputMax();
    return max > 0 ? max : Long.MAX_VALUE;
  }

  /**
   * The estimated usage: the request's input, and as output the text counted, or with
   * {@code worstCase} (an answer not read whole) the most the request may produce.
   */
  Usage usage(boolean worstCase) {
    Estimate e = estimate();
    long out;
    if (worstCase || full) {
      out = cap() == Long.MAX_VALUE ? tokens : cap();
    } else {
      long rest = text.length() == 0 ? 0
          : estimator.conversation(e.model()).append("assistant", text.toString()).tokens();
      out = Math.min(cap(), tokens + rest);
    }
    return Usage.of(e.input().total(), out);
  }
}
