package dev.kopeck.tokens.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Exact byte-level BPE counting (OpenAI's encodings, Llama 3, Qwen, DeepSeek, gpt-oss), fast.
 *
 * <p>The walk: added tokens are found in the raw text first (leftmost-longest, as HuggingFace's
 * added vocabulary and tiktoken's allowed specials do); each stretch between them is normalized if
 * the vocabulary says so (NFC) and cut into pieces by the family's {@link PreTokenizer}; each
 * piece's UTF-8 bytes are merged by rank ({@link Merges}), or, where the vocabulary ignores merges
 * (tiktoken, {@code ignore_merges}), a piece that is itself a token is that token. Pieces of up to
 * {@link #CACHE_MAX} characters go through a shared {@link WordCache}: natural text repeats its
 * words, so most pieces cost one lookup.
 */
final class ByteBpeTokenizer extends WalkingCounter {
  static final int CACHE_MAX = 32;

  private final ByteVocabulary v;
  private final UnicodeClasses u;
  private final AddedTokenMatcher added;
  /** The added tokens that strip white space or match only single words, by id. */
  private final java.util.Map<Integer, Integer> flagsById = new java.util.HashMap<>();
  private final Merges merges;
  private final WordCache cache = new WordCache();
  /**
   * The tokens of each piece of two ASCII characters, by {@code c0 << 7 | c1}: 0 not yet known, an id
   * plus 1 when the two are one token, -1 when they are two (each its byte's). Filled as pieces are
   * met (threads race benignly: every writer writes the same value). A 64 KB array stays in the
   * processor's cache where the word cache's entries do not: random base64 is mostly pieces of one
   * to three characters (docs/benchmarks.md, "Start-up, third pass").
   */
  private final int[] pairs = new int[1 << 14];

  ByteBpeTokenizer(String id, ByteVocabulary v, UnicodeClasses u) {
    super(id);
    this.v = v;
    this.u = u;
    this.added = new AddedTokenMatcher(v.addedContents, v.addedIds);
    for (int k = 0; k < v.addedIds.length; k++) {
      if (v.addedFlags[k] != 0) {
        flagsById.put(v.addedIds[k], v.addedFlags[k]);
      }
    }
    this.merges = new Merges(v.merges);
    boolean cuttable = true;
    boolean digitCuts = true;
    for (int k = 0; k < v.addedIds.length; k++) {
      cuttable &= v.addedFlags[k] == 0 && v.addedContents[k].indexOf(' ') < 0;
      digitCuts &= !letterThenDigit(v.addedContents[k]);
    }
    this.cuttable = cuttable;
    this.digitCuts = cuttable && digitCuts;
  }

  /**
   * Whether the text may be cut at all: no added token holds a space (a match could cross a cut)
   * or strips white space or matches single words (its match depends on what is around it).
   */
  private final boolean cuttable;
  /** Whether it may also be cut before a digit that follows a letter: no added token holds that pair. */
  private final boolean digitCuts;

  private static boolean letterThenDigit(String s) {
    for (int k = 1; k < s.length(); k++) {
      if (asciiLetter(s.charAt(k - 1)) && asciiDigit(s.charAt(k))) {
        return true;
      }
    }
    return false;
  }

  private static boolean asciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * Before a space between two ASCII letters, or before an ASCII digit that follows an ASCII letter:
   * in every family no piece holds a letter followed by a space or by a digit, and none that ends
   * in a letter looks past its end; a digit after a letter starts its number's run
   * (docs/design/tokenizers.md, "Cutting a text for all cores").
   */
  @Override
  boolean cutAt(CharSequence text, int i) {
    if (!cuttable || i <= 0 || i >= text.length() || !asciiLetter(text.charAt(i - 1))) {
      return false;
    }
    char c = text.charAt(i);
    return c == ' ' ? i + 1 < text.length() && asciiLetter(text.charAt(i + 1)) : digitCuts && asciiDigit(c);
  }

  @Override
  public String decode(int[] ids) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int t : ids) {
      if (t < 0 || t >= v.size() || v.len[t] < 0) {
        throw new IllegalArgumentException("not a token id of " + id + ": " + t);
      }
      bytes.write(v.blob, v.start[t], v.len[t]);
    }
    return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
  }

  @Override
  public CharSequence truncate(CharSequence text, int maxTokens) {
    if (maxTokens < 0) {
      throw new IllegalArgumentException("maxTokens must not be negative: " + maxTokens);
    }
    int target = maxTokens;
    while (true) {
      Truncation t = new Truncation(target);
      walk(text, Integer.MAX_VALUE, t);
      if (t.cutAt < 0) {
        return text;
      }
      CharSequence head = text.subSequence(0, t.cutAt);
      // a prefix can pre-tokenize differently at its end; take fewer tokens until it fits
      if (t.cutAt == 0 || count(head) <= maxTokens) {
        return head;
      }
      target--;
    }
  }

  @Override
  boolean cuttable() {
    return cuttable;
  }

  @Override
  long window(Scratch s, CharSequence text, char[] a, int from, int to, int limit, TokenSink sink, long before) {
    int n = to;
    long total = before;
    int seg = from;
    int i = from;
    while (i < n) {
      char c = a[i - from];
      if (added.mayStart(c)) {
        long hit = added.match(text, i);
        int m = (int) hit;
        if (m > 0 && i + m <= n) {
          int id = (int) (hit >>> 32);
          int flags = flags(id);
          int start = i;
          int stop = i + m;
          if ((flags & ByteVocabulary.SINGLE_WORD) != 0 && (wordBefore(text, start) || wordAt(text, stop, n))) {
            i = stop; // not a word of its own: text, and the search goes on after it (HuggingFace's)
            continue;
          }
          if ((flags & ByteVocabulary.LSTRIP) != 0) {
            start = spaceBefore(text, start, seg);
          }
          if ((flags & ByteVocabulary.RSTRIP) != 0) {
            stop = spaceAfter(text, stop, n);
          }
          if (start > seg) {
            total += stretch(s, text, a, from, seg, start, limit - total, sink, total);
            if (total > limit || s.stop) {
              return total;
            }
          }
          if (sink != null) {
            s.one[0] = id;
            if (!sink.word(text, start, stop, s.one, 1, (int) total)) {
              s.stop = true;
              return total + 1;
            }
          }
          total++;
          if (total > limit) {
            return total;
          }
          i = stop;
          seg = i;
          continue;
        }
      }
      i++;
    }
    if (n > seg) {
      total += stretch(s, text, a, from, seg, n, limit - total, sink, total);
    }
    return total;
  }

  /** The HuggingFace flags of added token {@code id} (0 for most). */
  private int flags(int id) {
    Integer f = flagsById.get(id);
    return f == null ? 0 : f;
  }

  /** {@code \w} as HuggingFace's regex sees it: a letter, a mark, a digit, a connector, a joiner. */
  private boolean word(int cp) {
    int t = Character.getType(cp);
    return (u.of(cp) & (UnicodeClasses.LETTER | UnicodeClasses.MARK)) != 0 || t == Character.DECIMAL_DIGIT_NUMBER
        || t == Character.LETTER_NUMBER || t == Character.CONNECTOR_PUNCTUATION || cp == 0x200C || cp == 0x200D;
  }

  private boolean wordBefore(CharSequence text, int at) {
    return at > 0 && word(Character.codePointBefore(text, at));
  }

  private boolean wordAt(CharSequence text, int at, int end) {
    return at < end && word(Character.codePointAt(text, at));
  }

  /** Where the white space that ends at {@code at} starts, but not before {@code floor}. */
  private int spaceBefore(CharSequence text, int at, int floor) {
    while (at > floor && (u.of(Character.codePointBefore(text, at)) & UnicodeClasses.SPACE) != 0) {
      at -= Character.charCount(Character.codePointBefore(text, at));
    }
    return at;
  }

  /** Where the white space that starts at {@code at} ends, but not after {@code end}. */
  private int spaceAfter(CharSequence text, int at, int end) {
    while (at < end && (u.of(Character.codePointAt(text, at)) & UnicodeClasses.SPACE) != 0) {
      at += Character.charCount(Character.codePointAt(text, at));
    }
    return at;
  }

  /**
   * The tokens of the text between added tokens, {@code [from, to)} (text positions; {@code a} holds
   * the text from position {@code base}); stops once past {@code room}.
   */
  private long stretch(Scratch s, CharSequence text, char[] a, int base, int from, int to, long room, TokenSink sink,
      long before) {
    if (v.normalizer == ByteVocabulary.Normalizer.NFC && !nfc(a, from - base, to - base)) {
      String sub = new String(a, from - base, to - from);
      String norm = java.text.Normalizer.normalize(sub, java.text.Normalizer.Form.NFC);
      if (!norm.equals(sub)) {
        Truncation t = sink instanceof Truncation ? (Truncation) sink : null;
        if (t != null) {
          // a cut in the normalized text is mapped back to the caller's text when it is made
          t.original = sub;
          t.originalFrom = from;
        }
        try {
          return pieces(s, norm.toCharArray(), 0, norm.length(), room, sink, before, norm, 0);
        } finally {
          if (t != null) {
            t.original = null;
          }
        }
      }
    }
    return pieces(s, a, from - base, to - base, room, sink, before, text, base);
  }

  /** Whether {@code a[from, to)} is surely NFC: below U+0300 nothing composes. */
  private static boolean nfc(char[] a, int from, int to) {
    for (int i = from; i < to; i++) {
      if (a[i] >= 0x300) {
        return false;
      }
    }
    return true;
  }

  /**
   * The pieces of {@code a[from, to)}; the sink gets them as positions in {@code text}, where index
   * {@code i} of {@code a} is position {@code base + i}.
   */
  private long pieces(Scratch s, char[] a, int from, int to, long room, TokenSink sink, long before,
      CharSequence text, int base) {
    s.split[0] = -1;
    PreTokenizer split = v.split;
    long total = 0;
    int i = from;
    while (i < to) {
      int e = split.next(a, i, to, u, s.split);
      int count = piece(s, a, i, e);
      if (sink != null && !sink.word(text, base + i, base + e, s.ids, count,
          (int) Math.min(before + total, Integer.MAX_VALUE))) {
        s.stop = true;
      }
      total += count;
      if (total > room || s.stop) {
        return total;
      }
      i = e;
    }
    return total;
  }

  /**
   * The tokens of the piece {@code a[start, end)}, from the shared cache or by BPE over its bytes: how
   * many, the ids left in {@code s.ids}.
   */
  private int piece(Scratch s, char[] a, int start, int end) {
    int len = end - start;
    int[] ids;
    int count;
    char first = a[start];
    char second;
    if (len == 1 && first < 0x80) {
      // one ASCII character: its byte's token, without a trip to the cache
      ids = s.sym;
      ids[0] = v.byteId[first];
      count = 1;
    } else if (len == 2 && first < 0x80 && (second = a[start + 1]) < 0x80) {
      int k = first << 7 | second;
      int p = pairs[k];
      if (p == 0) {
        p = bpe(s, a, start, end) == 1 ? s.sym[0] + 1 : -1;
        pairs[k] = p;
      }
      ids = s.sym;
      if (p > 0) {
        ids[0] = p - 1;
        count = 1;
      } else {
        ids[0] = v.byteId[first];
        ids[1] = v.byteId[second];
        count = 2;
      }
    } else if (len <= CACHE_MAX) {
      int h = 0;
      for (int k = start; k < end; k++) {
        h = 31 * h + a[k];
      }
      ids = cache.get(h, a, start, len);
      if (ids != null) {
        count = ids.length;
      } else {
        count = bpe(s, a, start, end);
        ids = s.sym;
        if (cache.admit(h)) {
          ids = Arrays.copyOf(s.sym, count);
          cache.put(h, a, start, len, ids);
        }
      }
    } else {
      count = bpe(s, a, start, end);
      ids = s.sym;
    }
    s.ids = ids;
    return count;
  }

  /** BPE over the UTF-8 bytes of {@code a[start, end)}; leaves the ids in {@code s.sym[0, result)}. */
  private int bpe(Scratch s, char[] a, int start, int end) {
    byte[] b = s.bytes((end - start) * 3);
    int n = utf8(a, start, end, b);
    int[] sym = s.symbols(n);
    if (v.ignoreMerges && n > 1) {
      int id = v.idOf(b, n, ByteVocabulary.hash(b, 0, n));
      if (id >= 0) {
        sym[0] = id;
        return 1;
      }
    }
    for (int k = 0; k < n; k++) {
      sym[k] = v.byteId[b[k] & 0xFF];
    }
    return n < 2 ? n : merges.merge(s, n);
  }

  /** Writes the UTF-8 bytes of {@code a[start, end)} (a lone surrogate as U+FFFD); returns how many. */
  static int utf8(char[] a, int start, int end, byte[] b) {
    int n = 0;
    for (int i = start; i < end; i++) {
      char c = a[i];
      if (c < 0x80) {
        b[n++] = (byte) c;
      } else if (c < 0x800) {
        b[n++] = (byte) (0xC0 | (c >> 6));
        b[n++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(a[i + 1])) {
        int cp = Character.toCodePoint(c, a[++i]);
        b[n++] = (byte) (0xF0 | (cp >> 18));
        b[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        b[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[n++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        int cp = Character.isSurrogate(c) ? 0xFFFD : c;
        b[n++] = (byte) (0xE0 | (cp >> 12));
        b[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[n++] = (byte) (0x80 | (cp & 0x3F));
      }
    }
    return n;
  }

  /** Finds where the text must be cut so that it holds at most {@code max} tokens. */
  private final class Truncation implements TokenSink {
    final int max;
    int cutAt = -1;

    Truncation(int max) {
      this.max = max;
    }

    /** While a stretch is walked normalized: the caller's text of it, and where it starts; else null. */
    String original;
    int originalFrom;

    @Override
    public boolean word(CharSequence text, int start, int end, int[] ids, int n, int countBefore) {
      if (countBefore + n <= max) {
        return true;
      }
      int room = max - countBefore;
      int cut = start + charsOf(text, start, end, ids, room);
      cutAt = original != null ? originalFrom + beforeNfc(original, cut) : cut;
      return false;
    }
  }

  /**
   * The longest prefix of {@code original} (in chars, whole code points) whose NFC is no longer than
   * {@code cut} chars: where a cut in the normalized text falls in the caller's text. The
   * truncation checks the count of what it returns, so an approximate place only costs a retry.
   */
  static int beforeNfc(String original, int cut) {
    int lo = 0;
    int hi = original.length();
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (mid < original.length() && Character.isLowSurrogate(original.charAt(mid))) {
        mid--;
        if (mid <= lo) {
          break;
        }
      }
      String n = java.text.Normalizer.normalize(original.substring(0, mid), java.text.Normalizer.Form.NFC);
      if (n.length() <= cut) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** How many chars from {@code start} the first {@code k} tokens cover, whole characters only. */
  private int charsOf(CharSequence text, int start, int end, int[] ids, int k) {
    long bytes = 0;
    for (int t = 0; t < k; t++) {
      bytes += v.len[ids[t]];
    }
    int pos = start;
    while (pos < end) {
      int cp = Character.codePointAt(text, pos);
      int w = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (Character.isSurrogate(text.charAt(pos)) && cp < 0x10000) {
        w = 3;
      }
      if (w > bytes) {
        break;
      }
      bytes -= w;
      pos += Character.charCount(cp);
    }
    return pos - start;
  }
}
