package dev.kopeck.tokens.internal;

import java.util.Arrays;

/**
 * The tokens of words seen, shared by all threads of one tokenizer: a 2-way set-associative table
 * of immutable entries. Threads race on it benignly: a reader sees an old entry, a new one or none,
 * each complete (final fields). A new word goes first in its set, the previous first moves second.
 *
 * <p>Once the cache has taken its first {@link #FREE_PUTS} words, a word is let in only the second
 * time it is met ({@link #admit}): a run of pieces that never
 * repeat (base64 of random bytes) would otherwise allocate an entry for each and push out the words
 * that do repeat. A small table of hashes remembers what was met once; it races benignly too (a lost
 * write only delays a word's admission).
 */
final class WordCache {
  private static final int BITS = 18;
  private static final int SEEN_BITS = 16;
  private final Entry[] table = new Entry[1 << BITS];
  /**
   * Each slot's entry's hash, beside the table: a word not cached is told by one read here, where
   * the entries themselves would cost a trip to memory each (most of a miss's cost on base64).
   * A reader may see a hash and an entry of different writes; the entry's own check decides.
   */
  private final int[] hashes = new int[1 << BITS];
  private final int[] seen = new int[1 << SEEN_BITS];

  /**
   * How many words a new cache lets in the first time they are met, before it asks for a second
   * meeting: a quarter of the table. A count's first megabytes of natural text meet most of their
   * words then, and each word let in at once is one BPE less (an 8 MiB count's 107K BPEs were a third
   * second meetings; docs/benchmarks.md, issue 33, fifth pass). Pieces that never repeat fill at most
   * this quarter once, with entries the words that do repeat push out.
   */
  static final int FREE_PUTS = 1 << (BITS - 2);
  /** Words put so far, up to {@link #FREE_PUTS}; threads race on it benignly (a lost count only lets one more in). */
  private int puts;

  /**
   * Whether a word of hash {@code h}, not in the cache, should be put in it: true while the cache is
   * new ({@link #FREE_PUTS}), then true if a word of that hash was met before (recently); otherwise it
   * is remembered as met and the answer is false.
   */
  boolean admit(int h) {
    if (puts < FREE_PUTS) {
      return true;
    }
    int i = (h * 0x9E3779B9) >>> (32 - SEEN_BITS);
    if (seen[i] == h) {
      return true;
    }
    seen[i] = h;
    return false;
  }

  /** The tokens of {@code a[start, start + len)} (whose hash is {@code h}), or null if not cached. */
  int[] get(int h, char[] a, int start, int len) {
    int slot = slot(h);
    if (hashes[slot] == h) {
      Entry e0 = table[slot];
      if (e0 != null && e0.matches(h, a, start, len)) {
        return e0.ids;
      }
    }
    if (hashes[slot + 1] == h) {
      Entry e1 = table[slot + 1];
      if (e1 != null && e1.matches(h, a, start, len)) {
        return e1.ids;
      }
    }
    return null;
  }

  /** Caches {@code ids} (not copied: they must not change) as the tokens of {@code a[start, start + len)}. */
  void put(int h, char[] a, int start, int len, int[] ids) {
    int slot = slot(h);
    table[slot + 1] = table[slot];
    hashes[slot + 1] = hashes[slot];
    table[slot] = new Entry(Arrays.copyOfRange(a, start, start + len), ids, h);
    hashes[slot] = h;
    if (puts < FREE_PUTS) {
      puts++;
    }
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

    boolean matches(int h, char[] a, int start, int len) {
      return hash == h && key.length == len && Arrays.equals(key, 0, len, a, start, start + len);
    }
  }
}
