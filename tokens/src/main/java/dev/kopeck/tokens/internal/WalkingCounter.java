package dev.kopeck.tokens.internal;

import dev.kopeck.tokens.TokenCounter;

/**
 * What both engines share: counting, counting up to a limit and encoding are one walk over the
 * text, with or without a {@link TokenSink} to receive the tokens.
 */
abstract class WalkingCounter implements TokenCounter {
  final String id;

  WalkingCounter(String id) {
    this.id = id;
  }

  /**
   * The one walk over the text: returns the count, or {@code limit + 1} as soon as the count
   * passes {@code limit}; gives the tokens to {@code sink} (null: count only) until it says stop.
   */
  abstract int walk(CharSequence text, int limit, TokenSink sink);

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final int count(CharSequence text) {
    return walk(text, Integer.MAX_VALUE, null);
  }

  @Override
  public final int countUpTo(CharSequence text, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    return walk(text, limit, null);
  }

  @Override
  public final int[] encode(CharSequence text) {
    TokenSink.Ids out = new TokenSink.Ids();
    walk(text, Integer.MAX_VALUE, out);
    return out.toArray();
  }
}
