package dev.kopeck.tokens.internal;

import java.util.Arrays;

/** An open-addressing map from long to long, for the merge table: no boxing, one probe mostly. */
final class LongLongMap {
  static final long MISSING = Long.MIN_VALUE;
  private static final long EMPTY = Long.MIN_VALUE;

  private final long[] keys;
  private final long[] values;
  private final int mask;
  private final int shift;
  private int size;

  LongLongMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    keys = new long[cap];
    values = new long[cap];
    Arrays.fill(keys, EMPTY);
    mask = cap - 1;
    shift = 64 - Integer.numberOfTrailingZeros(cap);
  }

  private int slot(long key) {
    return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
  }

  /** Puts a key (never {@link Long#MIN_VALUE}); returns false if the key was already there. */
  boolean putIfAbsent(long key, long value) {
    int i = slot(key);
    while (keys[i] != EMPTY) {
      if (keys[i] == key) {
        return false;
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
    size++;
    return true;
  }

  long get(long key) {
    int i = slot(key);
    long k;
    while ((k = keys[i]) != EMPTY) {
      if (k == key) {
        return values[i];
      }
      i = (i + 1) & mask;
    }
    return MISSING;
  }

  int size() {
    return size;
  }
}
