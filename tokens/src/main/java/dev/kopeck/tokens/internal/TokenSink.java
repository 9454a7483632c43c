package dev.kopeck.tokens.internal;

import java.util.Arrays;

/** Receives tokens as a tokenizer's walk goes (encode, truncate); the walk passes null to count only. */
interface TokenSink {
  /** Tokens {@code ids[0..n)} of the text {@code [start, end)}; false stops the walk. */
  boolean word(CharSequence text, int start, int end, int[] ids, int n, int countBefore);

  /** Collects every id: a growable int array. */
  final class Ids implements TokenSink {
    int[] a = new int[64];
    int n;

    @Override
    public boolean word(CharSequence text, int start, int end, int[] ids, int count, int countBefore) {
      if (n + count > a.length) {
        a = Arrays.copyOf(a, Math.max(n + count, a.length * 2));
      }
      System.arraycopy(ids, 0, a, n, count);
      n += count;
      return true;
    }

    int[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }
}
