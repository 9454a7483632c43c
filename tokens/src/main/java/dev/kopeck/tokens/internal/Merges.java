package dev.kopeck.tokens.internal;

import java.util.Arrays;

/**
 * BPE over one piece: repeatedly merge the adjacent pair with the best (lowest) rank, leftmost
 * first. Three ways to do it, chosen by the piece's length, that give the same tokens:
 *
 * <ul>
 *   <li>up to {@link #SMALL} symbols, a scan over the pairs' ranks (quadratic, but short);
 *   <li>from {@link #BUCKETS} symbols on ({@code aaaa…}), buckets by rank, drained in rank order;
 *       this order equals the heap's only for a merge list in which no merge creates a pair of the
 *       same or a lower rank (true of trained lists); otherwise it gives up and the heap does it;
 *   <li>otherwise a min-heap of (rank, position) over a linked list of symbols, O(n log n).
 * </ul>
 *
 * MergesTest checks that the three agree, on trained and on adversarial merge lists.
 */
final class Merges {
  static final int SMALL = 64;
  static final int BUCKETS = 2048;

  private final MergeTable merges;

  Merges(MergeTable merges) {
    this.merges = merges;
  }

  /** Merges {@code s.sym[0, k)} in place; returns how many symbols are left. */
  int merge(Scratch s, int k) {
    if (k <= SMALL) {
      return mergeSmall(s, k);
    }
    if (k >= BUCKETS) {
      int n = mergeBuckets(s, k);
      if (n >= 0) {
        return n;
      }
    }
    return mergeLarge(s, k);
  }

  private long pair(int a, int b) {
    return merges.get(a, b);
  }

  /** Short words: keep each adjacent pair's rank; merge the best, leftmost first; update neighbours. */
  int mergeSmall(Scratch s, int k) {
    int[] sym = s.sym;
    long[] rank = s.ranks(k);
    for (int j = 0; j + 1 < k; j++) {
      rank[j] = pair(sym[j], sym[j + 1]);
    }
    while (k > 1) {
      int best = -1;
      long bestRank = Long.MAX_VALUE;
      long bestKey = Long.MAX_VALUE;
      for (int j = 0; j + 1 < k; j++) {
        long r = rank[j];
        // compare ranks only (the high half): equal ranks go to the leftmost pair
        if (r != MergeTable.MISSING && (r & 0xFFFFFFFF00000000L) < bestKey) {
          bestKey = r & 0xFFFFFFFF00000000L;
          bestRank = r;
          best = j;
        }
      }
      if (best < 0) {
        break;
      }
      sym[best] = (int) bestRank;
      System.arraycopy(sym, best + 2, sym, best + 1, k - best - 2);
      System.arraycopy(rank, best + 1, rank, best, k - best - 2);
      k--;
      if (best > 0) {
        rank[best - 1] = pair(sym[best - 1], sym[best]);
      }
      if (best + 1 < k) {
        rank[best] = pair(sym[best], sym[best + 1]);
      }
    }
    return k;
  }

  /**
   * Long words, fast: pairs waiting to merge are kept in buckets by rank, and the buckets are
   * drained lowest rank first, each left to right. That is the heap's order as long as every merge
   * only creates pairs of a higher rank than its own (true of trained merge lists, where a piece
   * exists before anything is merged onto it). If a merge ever creates a pair of the same or a lower
   * rank, this gives up, restores the symbols and returns -1, and the heap does the word.
   */
  int mergeBuckets(Scratch s, int k) {
    int[] sym = s.sym;
    int[] orig = s.orig(k);
    System.arraycopy(sym, 0, orig, 0, k);
    int[] next = s.next(k);
    int[] prev = s.prev(k);
    link(next, prev, k);
    Buckets b = s.buckets();
    b.clear();
    for (int j = 0; j + 1 < k; j++) {
      long r = pair(sym[j], sym[j + 1]);
      if (r != MergeTable.MISSING) {
        b.add((int) (r >>> 32), j);
      }
    }
    int current;
    while ((current = b.nextRank()) >= 0) {
      int[] positions = b.take(current);
      int count = b.takenSize;
      boolean sorted = true;
      for (int i = 1; i < count; i++) {
        if (positions[i] < positions[i - 1]) {
          sorted = false;
          break;
        }
      }
      if (!sorted) {
        Arrays.sort(positions, 0, count);
      }
      for (int i = 0; i < count; i++) {
        int pos = positions[i];
        int q = next[pos];
        if (sym[pos] < 0 || q < 0) {
          continue;
        }
        long r = pair(sym[pos], sym[q]);
        if (r == MergeTable.MISSING || (int) (r >>> 32) != current) {
          continue; // stale: this position's pair changed since it was filed
        }
        int qn = join(sym, next, prev, pos, q, (int) r);
        if (qn >= 0) {
          long rr = pair(sym[pos], sym[qn]);
          if (rr != MergeTable.MISSING) {
            int rank = (int) (rr >>> 32);
            if (rank <= current) {
              System.arraycopy(orig, 0, sym, 0, k);
              return -1;
            }
            b.add(rank, pos);
          }
        }
        int p = prev[pos];
        if (p >= 0) {
          long rl = pair(sym[p], sym[pos]);
          if (rl != MergeTable.MISSING) {
            int rank = (int) (rl >>> 32);
            if (rank <= current) {
              System.arraycopy(orig, 0, sym, 0, k);
              return -1;
            }
            b.add(rank, p);
          }
        }
      }
    }
    return collect(sym, next);
  }

  /**
   * Positions by rank, and a heap of the ranks that have any; primitive arrays only, reused per
   * thread, so a long word allocates nothing once a thread has met one as long: an open-addressing
   * table maps a rank to a slot, each slot holds a chain of entries (a position and the next entry)
   * in the order they were filed, and a drained chain's entries are reused.
   */
  static final class Buckets {
    private int[] keys = new int[64];
    private int[] slotOf = new int[64];
    private int[] head = new int[16];
    private int[] tail = new int[16];
    private int slots;
    private long[] heap = new long[16];
    private int heapSize;
    /** Entries: a position, and the next entry of its chain (-1: the last). */
    private int[] entryPos = new int[64];
    private int[] entryNext = new int[64];
    private int entries;
    /** The chain of entries free for reuse (-1: none). */
    private int free = -1;
    private int[] taken = new int[64];
    int takenSize;
    /**
     * The rank filed last and its slot (-1: none): a long run files the same rank many times over
     * ({@code aaaa…}: every {@code aa a} pair), each then without a search of the table.
     */
    private int lastRank = -1;
    private int lastSlot;

    void clear() {
      java.util.Arrays.fill(keys, -1);
      lastRank = -1;
      slots = 0;
      heapSize = 0;
      entries = 0;
      free = -1;
    }

    private int find(int rank) {
      int mask = keys.length - 1;
      int i = (rank * 0x9E3779B9) >>> 7 & mask;
      while (keys[i] != -1) {
        if (keys[i] == rank) {
          return i;
        }
        i = (i + 1) & mask;
      }
      return ~i;
    }

    void add(int rank, int pos) {
      int slot;
      int i;
      if (rank == lastRank) {
        slot = lastSlot;
      } else if ((i = find(rank)) >= 0) {
        slot = slotOf[i];
      } else {
        if ((slots + 1) * 2 > keys.length) {
          grow();
          i = find(rank);
        }
        i = ~i;
        slot = slots++;
        keys[i] = rank;
        slotOf[i] = slot;
        if (slot == head.length) {
          head = Arrays.copyOf(head, slot * 2);
          tail = Arrays.copyOf(tail, slot * 2);
        }
        head[slot] = -1;
        push(rank);
      }
      lastRank = rank;
      lastSlot = slot;
      int e;
      if (free >= 0) {
        e = free;
        free = entryNext[e];
      } else {
        if (entries == entryPos.length) {
          entryPos = Arrays.copyOf(entryPos, entries * 2);
          entryNext = Arrays.copyOf(entryNext, entries * 2);
        }
        e = entries++;
      }
      entryPos[e] = pos;
      entryNext[e] = -1;
      if (head[slot] < 0) {
        head[slot] = e;
      } else {
        entryNext[tail[slot]] = e;
      }
      tail[slot] = e;
    }

    private void grow() {
      int[] oldKeys = keys;
      int[] oldSlots = slotOf;
      keys = new int[oldKeys.length * 2];
      slotOf = new int[oldKeys.length * 2];
      Arrays.fill(keys, -1);
      for (int j = 0; j < oldKeys.length; j++) {
        if (oldKeys[j] != -1) {
          int i = ~find(oldKeys[j]);
          keys[i] = oldKeys[j];
          slotOf[i] = oldSlots[j];
        }
      }
    }

    private void push(int rank) {
      if (heapSize == heap.length) {
        heap = Arrays.copyOf(heap, heapSize * 2);
      }
      heap[heapSize] = rank;
      siftUp(heap, heapSize++);
    }

    /** The lowest rank with positions, or -1. */
    int nextRank() {
      if (heapSize == 0) {
        return -1;
      }
      int top = (int) heap[0];
      heap[0] = heap[--heapSize];
      siftDown(heap, 0, heapSize);
      return top;
    }

    /**
     * The positions filed under {@code rank}, in the order filed (the first {@link #takenSize} of
     * the array returned, which is this object's and valid until the next call); the rank is
     * forgotten, so positions filed under it later start a new chain (the caller never files the
     * current rank).
     */
    int[] take(int rank) {
      if (rank == lastRank) {
        lastRank = -1;
      }
      int i = find(rank);
      int slot = slotOf[i];
      // remove the key: re-insert the cluster after it (linear probing deletion)
      int mask = keys.length - 1;
      keys[i] = -1;
      int j = (i + 1) & mask;
      while (keys[j] != -1) {
        int k = keys[j];
        int sl = slotOf[j];
        keys[j] = -1;
        int to = ~find(k);
        keys[to] = k;
        slotOf[to] = sl;
        j = (j + 1) & mask;
      }
      int n = 0;
      for (int e = head[slot]; e >= 0; e = entryNext[e]) {
        if (n == taken.length) {
          taken = Arrays.copyOf(taken, n * 2);
        }
        taken[n++] = entryPos[e];
      }
      // the chain's entries are free again
      entryNext[tail[slot]] = free;
      free = head[slot];
      takenSize = n;
      return taken;
    }
  }

  /** Long words: a min-heap of (rank, position) over a linked list of symbols; stale entries skipped. */
  int mergeLarge(Scratch s, int k) {
    int[] sym = s.sym;
    int[] next = s.next(k);
    int[] prev = s.prev(k);
    long[] heap = s.heap(k);
    int size = 0;
    link(next, prev, k);
    for (int j = 0; j + 1 < k; j++) {
      long r = pair(sym[j], sym[j + 1]);
      if (r != MergeTable.MISSING) {
        heap[size++] = (r & 0xFFFFFFFF00000000L) | j;
      }
    }
    for (int j = size / 2 - 1; j >= 0; j--) {
      siftDown(heap, j, size);
    }
    while (size > 0) {
      long top = heap[0];
      heap[0] = heap[--size];
      siftDown(heap, 0, size);
      int pos = (int) top;
      int q = next[pos];
      if (sym[pos] < 0 || q < 0) {
        continue;
      }
      long r = pair(sym[pos], sym[q]);
      if (r == MergeTable.MISSING || (r & 0xFFFFFFFF00000000L) != (top & 0xFFFFFFFF00000000L)) {
        continue;
      }
      int qn = join(sym, next, prev, pos, q, (int) r);
      if (qn >= 0) {
        long rr = pair(sym[pos], sym[qn]);
        if (rr != MergeTable.MISSING) {
          heap = s.ensureHeap(size + 1);
          heap[size] = (rr & 0xFFFFFFFF00000000L) | pos;
          siftUp(heap, size++);
        }
      }
      int p = prev[pos];
      if (p >= 0) {
        long rl = pair(sym[p], sym[pos]);
        if (rl != MergeTable.MISSING) {
          heap = s.ensureHeap(size + 1);
          heap[size] = (rl & 0xFFFFFFFF00000000L) | p;
          siftUp(heap, size++);
        }
      }
    }
    return collect(sym, next);
  }

  /** Links symbols 0..k-1 into a list. */
  private static void link(int[] next, int[] prev, int k) {
    for (int j = 0; j < k; j++) {
      next[j] = j + 1 < k ? j + 1 : -1;
      prev[j] = j - 1;
    }
  }

  /** Joins symbol {@code q} into {@code pos} as token {@code merged}; returns the symbol after them, or -1. */
  private static int join(int[] sym, int[] next, int[] prev, int pos, int q, int merged) {
    sym[pos] = merged;
    sym[q] = -1;
    int qn = next[q];
    next[pos] = qn;
    if (qn >= 0) {
      prev[qn] = pos;
    }
    return qn;
  }

  /** Moves the symbols still linked (symbol 0 always is) to the front; returns how many. */
  private static int collect(int[] sym, int[] next) {
    int out = 0;
    for (int j = 0; j >= 0; j = next[j]) {
      sym[out++] = sym[j];
    }
    return out;
  }

  private static void siftDown(long[] h, int i, int size) {
    long x = h[i];
    while (true) {
      int c = 2 * i + 1;
      if (c >= size) {
        break;
      }
      if (c + 1 < size && h[c + 1] < h[c]) {
        c++;
      }
      if (h[c] >= x) {
        break;
      }
      h[i] = h[c];
      i = c;
    }
    h[i] = x;
  }

  private static void siftUp(long[] h, int i) {
    long x = h[i];
    while (i > 0) {
      int p = (i - 1) >>> 1;
      if (h[p] <= x) {
        break;
      }
      h[i] = h[p];
      i = p;
    }
    h[i] = x;
  }
}
