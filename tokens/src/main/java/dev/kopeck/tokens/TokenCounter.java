package dev.kopeck.tokens;

/**
 * Counts, encodes and truncates text in one model family's tokens. Implementations are immutable
 * and thread-safe; the vocabulary loads once, on first use.
 */
public interface TokenCounter {
  /** The tokenizer's id: {@code gemma3}, {@code gemma}, {@code o200k_base}, {@code cl100k_base}, or a user's. */
  String id();

  /** The number of tokens of {@code text}, reading it in place (no copy of the whole text). */
  int count(CharSequence text);

  /**
   * The number of tokens if it is at most {@code limit}; otherwise {@code limit + 1}, found without
   * counting the rest of the text: the cost grows with the limit, not the text.
   */
  int countUpTo(CharSequence text, int limit);

  /** The token ids of {@code text}. No special tokens are added (no {@code <bos>}). */
  int[] encode(CharSequence text);

  /** The text of token ids. */
  String decode(int[] ids);

  /**
   * The longest prefix of {@code text} that ends at a token boundary and holds at most
   * {@code maxTokens} tokens (never half a character); the text itself if it fits.
   */
  CharSequence truncate(CharSequence text, int maxTokens);
}
