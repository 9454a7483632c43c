package dev.kopeck.tokens.internal;

import dev.kopeck.tokens.TokenCounter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Exact HuggingFace-BPE counting for the Gemma vocabularies, fast.
 *
 * <h2>Why it may cut the text into words</h2>
 *
 * HuggingFace runs BPE over each stretch of text between added tokens as one piece: it starts from
 * one symbol per character (or per byte, by byte fallback) and repeatedly merges the adjacent pair
 * with the best (lowest) merge rank, leftmost first. Two stretches of one piece evolve
 * independently unless some merge joins a symbol that ends at their boundary with one that starts
 * there. A merge {@code (a, b)} can only join across position {@code p} if {@code a} ends with the
 * character at {@code p-1} and {@code b} starts with the character at {@code p}.
 *
 * <p>Cut before every {@code ▁} whose predecessor is not {@code ▁}. A merge across such a cut has
 * an {@code a} that ends with a non-{@code ▁} and a {@code b} that starts with {@code ▁}. The
 * vocabulary lists all such merges ({@link BpeVocabulary#crossMerges}: none in Gemma 1, one in
 * Gemma 3: {@code (">", "▁</")}); at a position where the text around the cut spells out one of
 * them ({@code a} just before, {@code b} just after), we do not cut. Every other cut is one that no
 * merge can cross, so BPE on the words gives exactly the tokens of BPE on the whole stretch, and
 * each word's tokens can be cached. The check is made from the merge list when a vocabulary loads,
 * so it holds for any vocabulary, not by hope.
 *
 * <p>The same argument, made per pair of characters, cuts long words further: a merge {@code (a, b)}
 * joins across {@code p} only if {@code (last(a), first(b))} is the pair of characters at
 * {@code p-1, p}; the merge list has few such pairs (33,695 in Gemma 3), so digits and most of
 * base64 fall apart into short pieces. Neither argument would hold if a merge involved a
 * byte-fallback token (whose text is not the character it stands for); the vocabulary checks that
 * none does, and if one did, nothing would be cut.
 *
 * <p>Pieces up to {@link #CACHE_MAX} characters go through a shared direct-mapped cache; their BPE
 * is a scan over pair ranks (quadratic in a short piece). Longer pieces use a heap of pair ranks
 * over a linked list, O(n log n); very long ones ({@code aaaa…}) buckets by rank (see
 * {@link #mergeBuckets}), falling back to the heap for a merge list where that order would differ.
 */
final class BpeTokenizer implements TokenCounter {
  static final int CACHE_MAX = 32;
  private static final int SMALL = 64;
  /** From this many symbols on, a word is merged through rank buckets rather than a heap. */
  private static final int BUCKETS = 2048;
  private static final int CACHE_BITS = 18;

  private final String id;
  private final BpeVocabulary v;
  private final AddedTokenMatcher added;
  private final boolean[] crossLast = new boolean[65536];
  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
  /**
   * Words seen, shared by all threads: a 2-way set-associative table of immutable entries. Threads race
   * on it benignly: a reader sees an old entry, a new one or none, each complete (final fields).
   */
  private final Entry[] cache = new Entry[1 << CACHE_BITS];
  /** False for a vocabulary whose merges involve byte-fallback tokens: then nothing may be cut. */
  private final boolean cut;

  BpeTokenizer(String id, BpeVocabulary v) {
    this.id = id;
    this.v = v;
    this.added = new AddedTokenMatcher(v.addedContents, v.addedIds);
    this.cut = !v.mergesTouchFallback;
    for (String[] m : v.crossMerges) {
      crossLast[m[0].charAt(m[0].length() - 1)] = true;
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public int count(CharSequence text) {
    return walk(text, Integer.MAX_VALUE, null);
  }

  @Override
  public int countUpTo(CharSequence text, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    return walk(text, limit, null);
  }

  @Override
  public int[] encode(CharSequence text) {
    IntList out = new IntList();
    walk(text, Integer.MAX_VALUE, out);
    return out.toArray();
  }

  @Override
  public CharSequence truncate(CharSequence text, int maxTokens) {
    if (maxTokens < 0) {
      throw new IllegalArgumentException("maxTokens must not be negative: " + maxTokens);
    }
    Truncation t = new Truncation(maxTokens);
    walk(text, Integer.MAX_VALUE, t);
    return t.cutAt < 0 ? text : text.subSequence(0, t.cutAt);
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder sb = new StringBuilder();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int t : ids) {
      if (t < 0 || t >= v.size() || v.len[t] < 0) {
        throw new IllegalArgumentException("not a token id of " + id + ": " + t);
      }
      int b = byteValue(t);
      if (b >= 0) {
        bytes.write(b);
        continue;
      }
      if (bytes.size() > 0) {
        sb.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
        bytes.reset();
      }
      for (int k = v.start[t], end = k + v.len[t]; k < end; k++) {
        char c = v.blob[k];
        sb.append(c == BpeVocabulary.MARKER ? ' ' : c);
      }
    }
    if (bytes.size() > 0) {
      sb.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  private int byteValue(int tokenId) {
    if (v.len[tokenId] == 6 && v.blob[v.start[tokenId] + 1] == '0') {
      for (int b = 0; b < 256; b++) {
        if (v.byteId[b] == tokenId) {
          return b;
        }
      }
    }
    return -1;
  }

  /** Receives tokens as the walk goes (encode, truncate); null to count only. */
  private interface Sink {
    /** Tokens {@code ids[0..n)} of the text {@code [start, end)}; false stops the walk. */
    boolean word(CharSequence text, int start, int end, int[] ids, int n, int countBefore);
  }

  /**
   * The one walk over the text: added tokens, then words between them. Returns the count, or
   * {@code limit + 1} as soon as the count passes {@code limit}.
   */
  private int walk(CharSequence text, int limit, Sink sink) {
    Scratch s = scratch.get();
    int n = text.length();
    long total = 0;
    int segStart = 0;
    int wordStart = 0;
    boolean prevMarker = false;
    char prev = 0;
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (added.mayStart(c)) {
        long hit = added.match(text, i);
        int m = (int) hit;
        if (m > 0) {
          if (i > wordStart) {
            total += word(s, text, wordStart, i, sink, (int) Math.min(total, Integer.MAX_VALUE));
            if (total > limit || s.stop) {
              return finish(s, total, limit);
            }
          }
          if (sink != null) {
            s.one[0] = (int) (hit >>> 32);
            if (!sink.word(text, i, i + m, s.one, 1, (int) total)) {
              s.stop = true;
              return finish(s, total + 1, limit);
            }
          }
          total++;
          if (total > limit) {
            return finish(s, total, limit);
          }
          i += m;
          segStart = i;
          wordStart = i;
          prevMarker = false;
          continue;
        }
      }
      boolean marker = c == ' ' || c == BpeVocabulary.MARKER;
      if (marker && cut && !prevMarker && i > wordStart && !(crossLast[prev] && crossesAt(text, segStart, i))) {
        total += word(s, text, wordStart, i, sink, (int) Math.min(total, Integer.MAX_VALUE));
        if (total > limit || s.stop) {
          return finish(s, total, limit);
        }
        wordStart = i;
      }
      prevMarker = marker;
      prev = c;
      i++;
    }
    if (n > wordStart) {
      total += word(s, text, wordStart, n, sink, (int) Math.min(total, Integer.MAX_VALUE));
    }
    return finish(s, total, limit);
  }

  private static int finish(Scratch s, long total, int limit) {
    s.stop = false;
    return total > limit ? limit + 1 : (int) total;
  }

  /** Whether a cross-boundary merge {@code (a, b)} is spelled out around position {@code p}. */
  private boolean crossesAt(CharSequence text, int segStart, int p) {
    for (String[] m : v.crossMerges) {
      String a = m[0];
      String b = m[1];
      if (p - a.length() >= segStart && p + b.length() <= text.length()
          && matches(text, p - a.length(), a) && matches(text, p, b)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(CharSequence text, int at, String s) {
    for (int k = 0; k < s.length(); k++) {
      char c = text.charAt(at + k);
      if (c == ' ') {
        c = BpeVocabulary.MARKER;
      }
      if (c != s.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Tokens of one word {@code [start, end)}. A long word (a megabyte of base64) is cut further
   * wherever its two neighbouring characters are not a seam of any merge (see
   * {@link BpeVocabulary#seams}), and never inside a surrogate pair.
   */
  private int word(Scratch s, CharSequence text, int start, int end, Sink sink, int countBefore) {
    if (end - start <= CACHE_MAX || !cut) {
      return piece(s, text, start, end, sink, countBefore);
    }
    int total = 0;
    int from = start;
    char prev = normalized(text.charAt(start));
    for (int i = start + 1; i < end; i++) {
      char c = normalized(text.charAt(i));
      if (!v.seams.contains((prev << 16) | c) && !(Character.isHighSurrogate(prev) && Character.isLowSurrogate(c))) {
        total += piece(s, text, from, i, sink, countBefore + total);
        if (s.stop) {
          return total;
        }
        from = i;
      }
      prev = c;
    }
    return total + piece(s, text, from, end, sink, countBefore + total);
  }

  private static char normalized(char c) {
    return c == ' ' ? BpeVocabulary.MARKER : c;
  }

  /** Tokens of a piece no merge crosses: from the shared cache, or by BPE. */
  private int piece(Scratch s, CharSequence text, int start, int end, Sink sink, int countBefore) {
    int len = end - start;
    char[] buf = s.chars(len);
    int h = 0;
    for (int k = 0; k < len; k++) {
      char c = normalized(text.charAt(start + k));
      buf[k] = c;
      h = 31 * h + c;
    }
    int[] ids;
    int count;
    if (len <= CACHE_MAX) {
      // two ways: a new word goes first, the previous first moves second
      int slot = ((h ^ (h >>> 14)) & ((1 << CACHE_BITS) - 1)) & ~1;
      Entry e0 = cache[slot];
      Entry e1 = cache[slot + 1];
      if (e0 != null && e0.matches(h, buf, len)) {
        ids = e0.ids;
      } else if (e1 != null && e1.matches(h, buf, len)) {
        ids = e1.ids;
      } else {
        count = bpe(s, buf, len);
        ids = Arrays.copyOf(s.sym, count);
        cache[slot + 1] = e0;
        cache[slot] = new Entry(Arrays.copyOf(buf, len), ids, h);
      }
      count = ids.length;
    } else {
      count = bpe(s, buf, len);
      ids = s.sym;
    }
    if (sink != null && !sink.word(text, start, end, ids, count, countBefore)) {
      s.stop = true;
    }
    return count;
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

  /** BPE over {@code buf[0, len)}; leaves the ids in {@code s.sym[0, result)}. */
  private int bpe(Scratch s, char[] buf, int len) {
    int k = initialSymbols(s, buf, len);
    if (k < 2) {
      return k;
    }
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

  /** One symbol per character, or per UTF-8 byte for a character the vocabulary lacks. */
  private int initialSymbols(Scratch s, char[] buf, int len) {
    int[] sym = s.symbols(len * 4);
    int k = 0;
    boolean lastUnk = false;
    for (int i = 0; i < len; ) {
      char c = buf[i];
      int cp;
      int id;
      if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(buf[i + 1])) {
        cp = Character.toCodePoint(c, buf[i + 1]);
        Integer sid = v.supplementaryId.get(cp);
        id = sid == null ? -1 : sid;
        i += 2;
      } else {
        cp = Character.isSurrogate(c) ? 0xFFFD : c;
        id = Character.isSurrogate(c) ? v.bmpId[0xFFFD] : v.bmpId[c];
        i++;
      }
      if (id >= 0) {
        sym[k++] = id;
        lastUnk = false;
        continue;
      }
      if (v.byteFallback && byteEncodable(cp)) {
        k = appendBytes(sym, k, cp);
        lastUnk = false;
        continue;
      }
      if (!(v.fuseUnk && lastUnk)) {
        sym[k++] = v.unkId;
      }
      lastUnk = true;
    }
    return k;
  }

  private boolean byteEncodable(int cp) {
    byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
    for (byte x : b) {
      if (v.byteId[x & 0xFF] < 0) {
        return false;
      }
    }
    return true;
  }

  private int appendBytes(int[] sym, int k, int cp) {
    if (cp < 0x80) {
      sym[k++] = v.byteId[cp];
    } else if (cp < 0x800) {
      sym[k++] = v.byteId[0xC0 | (cp >> 6)];
      sym[k++] = v.byteId[0x80 | (cp & 0x3F)];
    } else if (cp < 0x10000) {
      sym[k++] = v.byteId[0xE0 | (cp >> 12)];
      sym[k++] = v.byteId[0x80 | ((cp >> 6) & 0x3F)];
      sym[k++] = v.byteId[0x80 | (cp & 0x3F)];
    } else {
      sym[k++] = v.byteId[0xF0 | (cp >> 18)];
      sym[k++] = v.byteId[0x80 | ((cp >> 12) & 0x3F)];
      sym[k++] = v.byteId[0x80 | ((cp >> 6) & 0x3F)];
      sym[k++] = v.byteId[0x80 | (cp & 0x3F)];
    }
    return k;
  }

  private long pair(int a, int b) {
    return v.merges.get(((long) a << 32) | (b & 0xFFFFFFFFL));
  }

  /** Short words: keep each adjacent pair's rank; merge the best, leftmost first; update neighbours. */
  private int mergeSmall(Scratch s, int k) {
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
        if (r != LongLongMap.MISSING && (r & 0xFFFFFFFF00000000L) < bestKey) {
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
  private int mergeBuckets(Scratch s, int k) {
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
      if (r != LongLongMap.MISSING) {
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
        if (r == LongLongMap.MISSING || (int) (r >>> 32) != current) {
          continue; // stale: this position's pair changed since it was filed
        }
        int qn = join(sym, next, prev, pos, q, (int) r);
        if (qn >= 0) {
          long rr = pair(sym[pos], sym[qn]);
          if (rr != LongLongMap.MISSING) {
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
          if (rl != LongLongMap.MISSING) {
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
   * thread: an open-addressing table maps a rank to a slot, each slot holds a growable int list.
   */
  static final class Buckets {
    private int[] keys = new int[64];
    private int[] slotOf = new int[64];
    private int[][] lists = new int[16][];
    private int[] sizes = new int[16];
    private int slots;
    private long[] heap = new long[16];
    private int heapSize;
    int takenSize;

    void clear() {
      java.util.Arrays.fill(keys, -1);
      slots = 0;
      heapSize = 0;
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
      int i = find(rank);
      int slot;
      if (i >= 0) {
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
        if (slot == lists.length) {
          lists = Arrays.copyOf(lists, slot * 2);
          sizes = Arrays.copyOf(sizes, slot * 2);
        }
        if (lists[slot] == null) {
          lists[slot] = new int[8];
        }
        sizes[slot] = 0;
        push(rank);
      }
      int n = sizes[slot];
      if (n == lists[slot].length) {
        lists[slot] = Arrays.copyOf(lists[slot], n * 2);
      }
      lists[slot][n] = pos;
      sizes[slot] = n + 1;
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
     * The positions filed under {@code rank} (the first {@link #takenSize}); the rank is forgotten,
     * so positions filed under it later start a new list (the caller never files the current rank).
     */
    int[] take(int rank) {
      int i = find(rank);
      int slot = slotOf[i];
      takenSize = sizes[slot];
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
      int[] l = lists[slot];
      lists[slot] = null; // the caller owns it now; the slot gets a fresh list if reused
      return l;
    }
  }

  /** Long words: a min-heap of (rank, position) over a linked list of symbols; stale entries skipped. */
  private int mergeLarge(Scratch s, int k) {
    int[] sym = s.sym;
    int[] next = s.next(k);
    int[] prev = s.prev(k);
    long[] heap = s.heap(k);
    int size = 0;
    link(next, prev, k);
    for (int j = 0; j + 1 < k; j++) {
      long r = pair(sym[j], sym[j + 1]);
      if (r != LongLongMap.MISSING) {
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
      if (r == LongLongMap.MISSING || (r & 0xFFFFFFFF00000000L) != (top & 0xFFFFFFFF00000000L)) {
        continue;
      }
      int qn = join(sym, next, prev, pos, q, (int) r);
      if (qn >= 0) {
        long rr = pair(sym[pos], sym[qn]);
        if (rr != LongLongMap.MISSING) {
          heap = s.ensureHeap(size + 1);
          heap[size] = (rr & 0xFFFFFFFF00000000L) | pos;
          siftUp(heap, size++);
        }
      }
      int p = prev[pos];
      if (p >= 0) {
        long rl = pair(sym[p], sym[pos]);
        if (rl != LongLongMap.MISSING) {
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

  /** Per-thread buffers and the word cache. */
  private static final class Scratch {
    final int[] one = new int[1];
    char[] chars = new char[256];
    int[] sym = new int[1024];
    long[] rank = new long[256];
    int[] next = new int[0];
    int[] prev = new int[0];
    long[] heap = new long[0];
    int[] orig = new int[0];
    final Buckets buckets = new Buckets();
    boolean stop;

    int[] orig(int n) {
      if (orig.length < n) {
        orig = new int[n];
      }
      return orig;
    }

    Buckets buckets() {
      return buckets;
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

  /** Finds where the text must be cut so that it holds at most {@code max} tokens. */
  private final class Truncation implements Sink {
    final int max;
    int cutAt = -1;

    Truncation(int max) {
      this.max = max;
    }

    @Override
    public boolean word(CharSequence text, int start, int end, int[] ids, int n, int countBefore) {
      if (countBefore + n <= max) {
        return true;
      }
      int room = max - countBefore;
      cutAt = start + charsOf(text, start, ids, room);
      return false;
    }
  }

  /** How many characters from {@code start} the first {@code k} tokens cover (whole characters only). */
  private int charsOf(CharSequence text, int start, int[] ids, int k) {
    int pos = start;
    int pendingBytes = 0;
    for (int t = 0; t < k; t++) {
      int id = ids[t];
      if (byteValue(id) >= 0) {
        if (pendingBytes == 0) {
          int cp = Character.codePointAt(text, pos);
          pendingBytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
        }
        if (--pendingBytes == 0) {
          pos += Character.charCount(Character.codePointAt(text, pos));
        }
      } else if (id == v.unkId) {
        pos += Character.charCount(Character.codePointAt(text, pos));
      } else {
        pos += v.len[id];
      }
    }
    return pos - start;
  }

  /** A growable int array. */
  private static final class IntList implements Sink {
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
