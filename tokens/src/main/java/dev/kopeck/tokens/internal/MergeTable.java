package dev.kopeck.tokens.internal;

import java.util.Arrays;

/**
 * The merges of a vocabulary, by pair: {@code (a, b)} to its rank and the token it makes, as
 * {@code rank << 32 | result}, or {@link #MISSING}. A lookup is what BPE does most, and on text
 * whose pieces are new (base64 of random bytes) each is a trip to memory, so the table is as small
 * as a pair's facts allow: one long a slot holds both ids and the rank (21 bits each), and the token
 * a rank makes is the rank itself (tiktoken's vocabularies) or read from an array by rank. Open
 * addressing, linear probing, at most half full: o200k_base's 446,189 merges (a tiktoken vocabulary's
 * every pair that makes a token) take 8 MB.
 *
 * <p>Pairs of the first 128 ids (the bytes of ASCII in tiktoken's vocabularies) are kept instead in
 * a dense 128 KB table that stays in the processor's cache: every first merge of an ASCII piece is
 * such a pair.
 */
final class MergeTable {
  static final long MISSING = Long.MIN_VALUE;
  /** The bits of each of a slot's three fields: up to 2,097,152 tokens and ranks. */
  static final int BITS = 21;
  private static final long FIELD = (1L << BITS) - 1;
  private static final long EMPTY = -1;

  /** {@code a << 42 | b << 21 | rank}, or {@link #EMPTY}. */
  private final long[] slots;
  private final int mask;
  private final int shift;
  /** The token each rank makes; null when it is the rank itself. */
  private final int[] resultOf;
  /** {@code rank << 32 | result} of the pairs {@code (a, b)} with both below 128, at {@code a << 7 | b}. */
  private final long[] low;
  /**
   * Four bits a slot, a bit per hash of a pair's key set for the pairs in {@link #slots}: a sixteenth
   * of the slots' size, so it stays in the processor's cache where they do not, and most pairs not in the table (on base64,
   * about half of the lookups) are told without a trip to memory.
   */
  private final long[] filter;
  private final int filterShift;
  private int size;
  /** The multiplier that spreads a pair's key over the slots. */
  static final long MIX = 0x9E3779B97F4A7C15L;
  /** The length of {@link #low}. */
  static final int LOW = 1 << 14;

  /** The number of slots for {@code n} merges: a power of two, at most half of it used. */
  static int capacity(int n) {
    return Integer.highestOneBit(Math.max(4, n * 2 - 1)) << 1;
  }

  /**
   * A table as {@link #slots}, {@link #low}, {@link #filter}, {@link #resultOf} and {@link #size} gave it,
   * read back ready to use ({@link ByteVocabulary}'s stored tables); the arrays become the table's.
   */
  MergeTable(long[] slots, long[] low, long[] filter, int[] resultOf, int size) {
    if (Integer.bitCount(slots.length) != 1 || low.length != LOW || filter.length != filterLength(slots.length)) {
      throw new IllegalArgumentException("a merge table's slots must be a power of two, its low table " + LOW
          + " and its filter a sixteenth of its slots");
    }
    this.slots = slots;
    this.mask = slots.length - 1;
    this.shift = 64 - Integer.numberOfTrailingZeros(slots.length);
    this.low = low;
    this.filter = filter;
    this.filterShift = filterShift(slots.length);
    this.resultOf = resultOf;
    this.size = size;
  }

  /**
   * The filter has four bits a slot (at least 64): with the table at most half full, one in 9 to 11 pairs
   * not in it passes.
   */
  private static int filterShift(int cap) {
    return 64 - Integer.numberOfTrailingZeros(Math.max(64, cap * 4));
  }

  /** The filter's longs for {@code cap} slots. */
  static int filterLength(int cap) {
    return Math.max(64, cap * 4) / 64;
  }

  /** The multiplier that spreads a pair's key over the filter's bits (another than {@link #MIX}). */
  static final long MIX2 = 0xC2B2AE3D27D4EB4FL;

  private int filterBit(long key) {
    return (int) ((key * MIX2) >>> filterShift);
  }

  /**
   * The merges {@code left[i] right[i] -> result[i]} of rank {@code rank[i]} ({@code i} where
   * {@code rank} is null); a pair listed twice keeps its first rank, as HuggingFace's map does.
   *
   * @throws IllegalArgumentException if an id or a rank is negative or past 2^21, or two merges
   *     of one rank make different tokens
   */
  MergeTable(int[] left, int[] right, int[] rank, int[] result) {
    int n = left.length;
    int cap = capacity(n);
    slots = new long[cap];
    low = new long[LOW];
    filter = new long[filterLength(cap)];
    filterShift = filterShift(cap);
    Arrays.fill(slots, EMPTY);
    mask = cap - 1;
    shift = 64 - Integer.numberOfTrailingZeros(cap);
    Arrays.fill(low, MISSING);
    boolean identity = true;
    int maxRank = -1;
    for (int i = 0; i < n; i++) {
      int r = rank == null ? i : rank[i];
      identity &= r == result[i];
      maxRank = Math.max(maxRank, r);
    }
    int[] results = null;
    if (!identity) {
      results = new int[maxRank + 1];
      Arrays.fill(results, -1);
    }
    resultOf = results;
    for (int i = 0; i < n; i++) {
      int a = left[i];
      int b = right[i];
      int r = rank == null ? i : rank[i];
      if (((a | b | r) & ~FIELD) != 0) {
        throw new IllegalArgumentException("merge " + i + " (" + a + " " + b + ", rank " + r
            + "): token ids and ranks must be in [0, " + (1 << BITS) + ")");
      }
      if (!put(a, b, r, result[i])) {
        continue;
      }
      if (results != null) {
        if (results[r] >= 0 && results[r] != result[i]) {
          throw new IllegalArgumentException("merge " + i + " (" + a + " " + b + "): rank " + r
              + " makes token " + result[i] + " here and " + results[r] + " in an earlier merge");
        }
        results[r] = result[i];
      }
    }
  }

  /** Puts the pair if it is not there yet; returns whether it was put. */
  private boolean put(int a, int b, int r, int result) {
    if (((a | b) & ~0x7F) == 0) {
      if (low[a << 7 | b] != MISSING) {
        return false;
      }
      low[a << 7 | b] = (long) r << 32 | result;
      size++;
      return true;
    }
    long key = (long) a << (2 * BITS) | (long) b << BITS;
    int i = slot(key);
    long e;
    while ((e = slots[i]) != EMPTY) {
      if ((e & ~FIELD) == key) {
        return false;
      }
      i = (i + 1) & mask;
    }
    slots[i] = key | r;
    int f = filterBit(key);
    filter[f >>> 6] |= 1L << f;
    size++;
    return true;
  }

  private int slot(long key) {
    return (int) ((key * MIX) >>> shift);
  }

  /** {@code rank << 32 | result} of the merge of {@code a} and {@code b}, or {@link #MISSING}. */
  long get(int a, int b) {
    if (((a | b) & ~0x7F) == 0) {
      return low[a << 7 | b];
    }
    if (((a | b) & ~FIELD) != 0) {
      return MISSING;
    }
    long key = (long) a << (2 * BITS) | (long) b << BITS;
    int f = filterBit(key);
    if ((filter[f >>> 6] & (1L << f)) == 0) {
      return MISSING;
    }
    int i = slot(key);
    long e;
    while ((e = slots[i]) != EMPTY) {
      if ((e & ~FIELD) == key) {
        int r = (int) (e & FIELD);
        return (long) r << 32 | (resultOf == null ? r : resultOf[r]);
      }
      i = (i + 1) & mask;
    }
    return MISSING;
  }

  int size() {
    return size;
  }

  long[] slots() {
    return slots;
  }

  long[] low() {
    return low;
  }

  long[] filter() {
    return filter;
  }

  /** Null when a rank makes the token of its own number. */
  int[] resultOf() {
    return resultOf;
  }
}
