package dev.kopeck.tokens.internal;

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
 * <p>This class cuts the text into pieces; pieces up to {@link #CACHE_MAX} characters go through a
 * shared {@link WordCache}; {@link Merges} runs BPE on a piece; {@link Scratch} holds each thread's
 * buffers.
 */
final class BpeTokenizer extends WalkingCounter {
  /** Pieces up to this many characters go through the shared {@link WordCache}. */
  static final int CACHE_MAX = 32;

  private final BpeVocabulary v;
  private final AddedTokenMatcher added;
  private final boolean[] crossLast = new boolean[65536];
  private final WordCache cache = new WordCache();
  private final Merges merges;
  /** False for a vocabulary whose merges involve byte-fallback tokens: then nothing may be cut. */
  private final boolean cut;
  /** Whether the text may be cut for counting in parallel ({@link #cutAt}). */
  private final boolean cuttable;

  BpeTokenizer(String id, BpeVocabulary v) {
    super(id);
    this.merges = new Merges(v.merges);
    this.v = v;
    this.added = new AddedTokenMatcher(v.addedContents, v.addedIds);
    this.cut = !v.mergesTouchFallback;
    boolean cuttable = cut;
    for (String a : v.addedContents) {
      cuttable &= a.indexOf(' ') < 0;
    }
    this.cuttable = cuttable;
    for (String[] m : v.crossMerges) {
      crossLast[m[0].charAt(m[0].length() - 1)] = true;
    }
  }

  /**
   * Between an ASCII letter and a space followed by an ASCII letter, where the walk itself cuts the
   * stretch into words (a space after a non-space, no cross-boundary merge spelled out around it), if
   * no added token holds a space (a match that crossed the cut would hold the text's space there;
   * added tokens are matched in the raw text, so Gemma's {@code ▁▁} ones match only a written
   * {@code ▁▁}).
   */
  @Override
  boolean cutAt(CharSequence text, int i) {
    return cuttable && i > 0 && i + 1 < text.length() && text.charAt(i) == ' '
        && WalkingCounter.asciiLetter(text.charAt(i - 1)) && WalkingCounter.asciiLetter(text.charAt(i + 1))
        && !(crossLast[text.charAt(i - 1)] && crossesAt(text, 0, i));
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

  @Override
  boolean cuttable() {
    return cuttable;
  }

  /**
   * The walk over a window ({@link WalkingCounter#window}): added tokens, then words between them, the
   * windows cut by this engine's own rule ({@link #cutAt}), as the parts of a parallel count are.
   */
  @Override
  long window(Scratch s, CharSequence text, char[] a, int from, int to, int limit, TokenSink sink, long before) {
    int n = to;
    long total = before;
    int segStart = from;
    int wordStart = from;
    boolean prevMarker = false;
    char prev = 0;
    int i = from;
    while (i < n) {
      char c = a[i - from];
      if (added.mayStart(c)) {
        long hit = added.match(text, i);
        int m = (int) hit;
        if (m > 0 && i + m <= n) {
          if (i > wordStart) {
            total += word(s, a, from, text, wordStart, i, sink, (int) Math.min(total, Integer.MAX_VALUE));
            if (total > limit || s.stop) {
              return total;
            }
          }
          if (sink != null) {
            s.one[0] = (int) (hit >>> 32);
            if (!sink.word(text, i, i + m, s.one, 1, (int) total)) {
              s.stop = true;
              return total + 1;
            }
          }
          total++;
          if (total > limit) {
            return total;
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
        total += word(s, a, from, text, wordStart, i, sink, (int) Math.min(total, Integer.MAX_VALUE));
        if (total > limit || s.stop) {
          return total;
        }
        wordStart = i;
      }
      prevMarker = marker;
      prev = c;
      i++;
    }
    if (n > wordStart) {
      total += word(s, a, from, text, wordStart, n, sink, (int) Math.min(total, Integer.MAX_VALUE));
    }
    return total;
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
  private int word(Scratch s, char[] a, int base, CharSequence text, int start, int end, TokenSink sink,
      int countBefore) {
    if (end - start <= CACHE_MAX || !cut) {
      return piece(s, a, base, text, start, end, sink, countBefore);
    }
    int total = 0;
    int from = start;
    char prev = normalized(a[start - base]);
    for (int i = start + 1; i < end; i++) {
      char c = normalized(a[i - base]);
      if (!v.seams.contains((prev << 16) | c) && !(Character.isHighSurrogate(prev) && Character.isLowSurrogate(c))) {
        total += piece(s, a, base, text, from, i, sink, countBefore + total);
        if (s.stop) {
          return total;
        }
        from = i;
      }
      prev = c;
    }
    return total + piece(s, a, base, text, from, end, sink, countBefore + total);
  }

  private static char normalized(char c) {
    return c == ' ' ? BpeVocabulary.MARKER : c;
  }

  /**
   * Tokens of a piece no merge crosses, text positions {@code [start, end)} ({@code a[i - base]} is
   * position {@code i}): from the shared cache, or by BPE.
   */
  private int piece(Scratch s, char[] a, int base, CharSequence text, int start, int end, TokenSink sink,
      int countBefore) {
    int len = end - start;
    char[] buf = s.chars(len);
    int h = 0;
    for (int k = 0; k < len; k++) {
      char c = normalized(a[start - base + k]);
      buf[k] = c;
      h = 31 * h + c;
    }
    int[] ids;
    int count;
    if (len <= CACHE_MAX) {
      ids = cache.get(h, buf, 0, len);
      if (ids != null) {
        count = ids.length;
      } else {
        count = bpe(s, buf, len);
        ids = s.sym;
        if (cache.admit(h)) {
          ids = Arrays.copyOf(s.sym, count);
          cache.put(h, buf, 0, len, ids);
        }
      }
    } else {
      count = bpe(s, buf, len);
      ids = s.sym;
    }
    if (sink != null && !sink.word(text, start, end, ids, count, countBefore)) {
      s.stop = true;
    }
    return count;
  }

  /** BPE over {@code buf[0, len)}; leaves the ids in {@code s.sym[0, result)}. */
  private int bpe(Scratch s, char[] buf, int len) {
    int k = initialSymbols(s, buf, len);
    if (k < 2) {
      return k;
    }
    return merges.merge(s, k);
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

  /** Finds where the text must be cut so that it holds at most {@code max} tokens. */
  private final class Truncation implements TokenSink {
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
}
