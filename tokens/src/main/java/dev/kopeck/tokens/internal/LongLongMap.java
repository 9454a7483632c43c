package dev.kopeck.tokens.internal;

/**
 * An open-addressing map from long to long, for the merge table: no boxing, one probe mostly. Each
 * key sits beside its value in one array, so a probe that finds its key finds the value in the
 * same cache line (the table of o200k_base is 16 MB: a miss to memory per probe is what a lookup
 * costs).
 *
 * <p>Keys that are two ints below 128 (a pair of the first 128 tokens: the bytes of ASCII in
 * tiktoken's vocabularies) are kept instead in a dense 128 KB table that stays in the processor's
 * cache: every first merge of an ASCII piece is such a pair, and on base64 of random bytes, whose
 * pieces are nearly all new, each is otherwise a miss to memory.
 */
final class LongLongMap {
  static final long MISSING = Long.MIN_VALUE;
  private static final long EMPTY = Long.MIN_VALUE;

  /** key, value, key, value, ... */
  private final long[] table;
  private final int mask;
  private final int shift;
  private int size;
  /** Values of the keys {@code a << 32 | b} with a and b in [0, 128), at {@code a << 7 | b}. */
  private final long[] low = new long[1 << 14];
  private static final long LOW = 0xFFFF_FF80_FFFF_FF80L;

  LongLongMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    table = new long[2 * cap];
    for (int i = 0; i < table.length; i += 2) {
      table[i] = EMPTY;
    }
    java.util.Arrays.fill(low, MISSING);
    mask = cap - 1;
    shift = 64 - Integer.numberOfTrailingZeros(cap);
  }

  private int slot(long key) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
  }

  /** Puts a key (never {@link Long#MIN_VALUE}) and a value (never {@link #MISSING}); returns false if the key was already there. */
  boolean putIfAbsent(long key, long value) {
    if ((key & LOW) == 0) {
      int j = lowIndex(key);
      if (low[j] != MISSING) {
        return false;
      }
      low[j] = value;
      size++;
      return true;
    }
    int i = slot(key);
    long k;
    while ((k = table[2 * i]) != EMPTY) {
      if (k == key) {
        return false;
      }
      i = (i + 1) & mask;
    }
    table[2 * i] = key;
    table[2 * i + 1] = value;
    size++;
    return true;
  }

  long get(long key) {
    if ((key & LOW) == 0) {
      return low[lowIndex(key)];
    }
    int i = slot(key);
    long k;
    while ((k = table[2 * i]) != EMPTY) {
      if (k == key) {
        return table[2 * i + 1];
      }
      i = (i + 1) & mask;
    }
    return MISSING;
  }

  private static int lowIndex(long key) {
    return (int) (key >>> 25) | (int) key;
  }

  int size() {
    return size;
  }
}
