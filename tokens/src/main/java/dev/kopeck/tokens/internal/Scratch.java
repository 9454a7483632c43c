package dev.kopeck.tokens.internal;

import java.util.Arrays;

/** One thread's buffers for BPE: grown as needed and reused, so counting allocates nothing per word. */
final class Scratch {
  final int[] one = new int[1];
  char[] chars = new char[256];
  int[] sym = new int[1024];
  long[] rank = new long[256];
  int[] next = new int[0];
  int[] prev = new int[0];
  long[] heap = new long[0];
  int[] orig = new int[0];
  final Merges.Buckets buckets = new Merges.Buckets();
  boolean stop;
  /** The ids of the last piece a byte-level walk counted. */
  int[] ids;
  /**
   * A byte-level walk's copy of its text, a window at a time: up to {@link #WINDOW} chars, or
   * more for a stretch with no place to cut (kept, as {@link #bytes} keeps the longest piece's).
   */
  char[] text = new char[256];
  static final int WINDOW = 1 << 16;
  /** The UTF-8 bytes of a byte-level piece. */
  byte[] bytes = new byte[256];
  /** What DeepSeek's sequence of splits knows of the current outer piece ({@link PreTokenizer#next}). */
  final int[] split = new int[1];

  byte[] bytes(int n) {
    if (bytes.length < n) {
      bytes = new byte[Math.max(n, bytes.length * 2)];
    }
    return bytes;
  }

  int[] orig(int n) {
    if (orig.length < n) {
      orig = new int[n];
    }
    return orig;
  }

  Merges.Buckets buckets() {
    return buckets;
  }

  char[] text(int n) {
    if (text.length < n) {
      text = new char[Math.max(n, Math.min(WINDOW, text.length * 2))];
    }
    return text;
  }

  char[] chars(int n) {
    if (chars.length < n) {
      chars = new char[Math.max(n, chars.length * 2)];
    }
    return chars;
  }

  int[] symbols(int n) {
    if (sym.length < n) {
      sym = new int[Math.max(n, sym.length * 2)];
    }
    return sym;
  }

  long[] ranks(int n) {
    if (rank.length < n) {
      rank = new long[Math.max(n, rank.length * 2)];
    }
    return rank;
  }

  int[] next(int n) {
    if (next.length < n) {
      next = new int[n];
    }
    return next;
  }

  int[] prev(int n) {
    if (prev.length < n) {
      prev = new int[n];
    }
    return prev;
  }

  long[] heap(int n) {
    if (heap.length < n) {
      heap = new long[n];
    }
    return heap;
  }

  long[] ensureHeap(int n) {
    if (heap.length < n) {
      heap = Arrays.copyOf(heap, Math.max(n, heap.length * 2));
    }
    return heap;
  }
}
