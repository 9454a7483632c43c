package dev.kopeck.tokens.internal;

import java.util.Arrays;

/**
 * The tokens of words seen, shared by all threads of one tokenizer: a 2-way set-associative table
 * of immutable entries. Threads race on it benignly: a reader sees an old entry, a new one or none,
 * each complete (final fields). A new word goes first in its set, the previous first moves second.
 */
final class WordCache {
  private static final int BITS = 18;
  private final Entry[] table = new Entry[1 << BITS];

  /** The tokens of {@code buf[0, len)} (whose hash is {@code h}), or null if not cached. */
  int[] get(int h, char[] buf, int len) {
    int slot = slot(h);
    Entry e0 = table[slot];
    if (e0 != null && e0.matches(h, buf, len)) {
      return e0.ids;
    }
    Entry e1 = table[slot + 1];
    return e1 != null && e1.matches(h, buf, len) ? e1.ids : null;
  }

  /** Caches {@code ids} (not copied: they must not change) as the tokens of {@code buf[0, len)}. */
  void put(int h, char[] buf, int len, int[] ids) {
    int slot = slot(h);
    table[slot + 1] = table[slot];
    table[slot] = new Entry(Arrays.copyOf(buf, len), ids, h);
  }

  private static int slot(int h) {
    return ((h ^ (h >>> 14)) & ((1 << BITS) - 1)) & ~1;
  }

  /** A cached word and its tokens; immutable, so safe to share without locks. */
  private static final class Entry {
    final char[] key;
    final int[] ids;
    final int hash;

    Entry(char[] key, int[] ids, int hash) {
      this.key = key;
      this.ids = ids;
      this.hash = hash;
    }

    boolean matches(int h, char[] buf, int len) {
      return hash == h && key.length == len && Arrays.equals(key, 0, len, buf, 0, len);
    }
  }
}
