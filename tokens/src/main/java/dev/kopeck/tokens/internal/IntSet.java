package dev.kopeck.tokens.internal;

import java.util.Arrays;

/** An open-addressing set of ints (never {@link Integer#MIN_VALUE}); grows as needed. */
final class IntSet {
  private static final int EMPTY = Integer.MIN_VALUE;
  private int[] keys;
  private int size;

  IntSet(int expected) {
    keys = new int[Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1];
    Arrays.fill(keys, EMPTY);
  }

  private static int mix(int k) {
    return (k * 0x9E3779B9) ^ (k >>> 16);
  }

  void add(int key) {
    if ((size + 1) * 2 > keys.length) {
      int[] old = keys;
      keys = new int[old.length * 2];
      Arrays.fill(keys, EMPTY);
      size = 0;
      for (int k : old) {
        if (k != EMPTY) {
          add(k);
        }
      }
    }
    int mask = keys.length - 1;
    int i = mix(key) & mask;
    while (keys[i] != EMPTY) {
      if (keys[i] == key) {
        return;
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    size++;
  }

  boolean contains(int key) {
    int mask = keys.length - 1;
    int i = mix(key) & mask;
    int k;
    while ((k = keys[i]) != EMPTY) {
      if (k == key) {
        return true;
      }
      i = (i + 1) & mask;
    }
    return false;
  }

  int size() {
    return size;
  }
}
