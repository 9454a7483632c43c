package dev.kopeck.tokens.internal;

import static dev.kopeck.tokens.internal.UnicodeClasses.LETTER;
import static dev.kopeck.tokens.internal.UnicodeClasses.LETTER_OTHER;
import static dev.kopeck.tokens.internal.UnicodeClasses.LOWER;
import static dev.kopeck.tokens.internal.UnicodeClasses.MARK;
import static dev.kopeck.tokens.internal.UnicodeClasses.NUMBER;
import static dev.kopeck.tokens.internal.UnicodeClasses.PUNCT;
import static dev.kopeck.tokens.internal.UnicodeClasses.SPACE;
import static dev.kopeck.tokens.internal.UnicodeClasses.SYMBOL;
import static dev.kopeck.tokens.internal.UnicodeClasses.UPPER;

/**
 * The byte-level families' pre-tokenizers, written by hand: each gives, from a piece's start, where
 * the piece ends, exactly as the family's regular expression (leftmost-first alternation, greedy
 * quantifiers, backtracking) finds its next match. {@link #REGEX} holds each expression as the
 * vocabulary files write it; PreTokenizerTest checks every scanner against the JDK's regex engine
 * running that expression, on text whose characters Java classifies as the table does.
 *
 * <p>A piece never runs past {@code to}: the end of the text between two added tokens, where
 * {@code \s+(?!\S)} sees the end of the input.
 */
public enum PreTokenizer {
  /** GPT-2, r50k_base, p50k_base: case-sensitive contractions, runs of letters, numbers, other. */
  GPT2("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"),
  /** cl100k_base and Llama 3: numbers in threes, one non-letter before a word, newlines kept apart. */
  CL100K("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
      + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
  /** Qwen 2.5 and 3: cl100k's, with single digits. */
  QWEN("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
      + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
  /** o200k_base and o200k_harmony: words by case, contractions kept with the word. */
  O200K("[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+"
      + "(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+"
      + "[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*"
      + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
  /**
   * DeepSeek V3 and R1: three splits in sequence, each on the pieces of the one before: numbers in
   * threes, then runs of CJK ideographs and kana, then {@link #DEEPSEEK_WORDS}.
   */
  DEEPSEEK("\\p{N}{1,3}");

  /** The third of DeepSeek's splits. */
  public static final String DEEPSEEK_CJK = "[\u4e00-\u9fa5\u3040-\u309f\u30a0-\u30ff]+";
  public static final String DEEPSEEK_WORDS = "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+"
      + "|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+";

  /** The expression as tokenizer.json and tiktoken write it. */
  public final String regex;

  PreTokenizer(String regex) {
    this.regex = regex;
  }

  /** The pre-tokenizer whose expression this is, or null. */
  public static PreTokenizer ofRegex(String regex) {
    for (PreTokenizer p : values()) {
      if (p != DEEPSEEK && p.regex.equals(regex)) {
        return p;
      }
    }
    return null;
  }

  /**
   * Where the piece that starts at {@code i} ends ({@code i < to}). {@code state} carries what
   * DeepSeek's sequence of splits knows about the current outer piece; reset it ({@code [0] = -1})
   * at each new stretch of text.
   */
  int next(char[] s, int i, int to, UnicodeClasses u, int[] state) {
    switch (this) {
      case GPT2:
        return gpt2(s, i, to, u);
      case CL100K:
        return cl100k(s, i, to, u, 3);
      case QWEN:
        return cl100k(s, i, to, u, 1);
      case O200K:
        return o200k(s, i, to, u);
      default:
        return deepseek(s, i, to, u, state);
    }
  }

  // ---- helpers over code points ----

  static int cp(char[] s, int i, int to) {
    char c = s[i];
    if (Character.isHighSurrogate(c) && i + 1 < to) {
      char d = s[i + 1];
      if (Character.isLowSurrogate(d)) {
        return Character.toCodePoint(c, d);
      }
    }
    return Character.isSurrogate(c) ? 0xFFFD : c;
  }

  /** The chars code point {@code cp} took at {@code i} (a lone surrogate takes one). */
  static int width(int cp) {
    return cp >= 0x10000 ? 2 : 1;
  }

  /** The end of the run of code points from {@code i} whose class has any of {@code bits}. */
  static int run(char[] s, int i, int to, UnicodeClasses u, int bits) {
    while (i < to) {
      int c = cp(s, i, to);
      if ((u.of(c) & bits) == 0) {
        break;
      }
      i += width(c);
    }
    return i;
  }

  /** The end of up to {@code max} code points of class {@code bits} from {@code i}. */
  static int runMax(char[] s, int i, int to, UnicodeClasses u, int bits, int max) {
    for (int n = 0; n < max && i < to; n++) {
      int c = cp(s, i, to);
      if ((u.of(c) & bits) == 0) {
        break;
      }
      i += width(c);
    }
    return i;
  }

  static boolean is(char[] s, int i, int to, UnicodeClasses u, int bits) {
    return i < to && (u.of(cp(s, i, to)) & bits) != 0;
  }

  /** Not white space, not a letter, not a number. */
  static boolean other(int cls) {
    return (cls & (SPACE | LETTER | NUMBER)) == 0;
  }

  static int runOther(char[] s, int i, int to, UnicodeClasses u) {
    while (i < to) {
      int c = cp(s, i, to);
      if (!other(u.of(c))) {
        break;
      }
      i += width(c);
    }
    return i;
  }

  /** A contraction at {@code i}: {@code 's 't 're 've 'm 'll 'd}; its end, or -1. */
  static int contraction(char[] s, int i, int to, boolean ignoreCase) {
    if (i + 1 >= to || s[i] != '\'') {
      return -1;
    }
    char a = s[i + 1];
    if (ignoreCase) {
      a = fold(a);
    }
    if (a == 's' || a == 't' || a == 'm' || a == 'd') {
      return i + 2;
    }
    if (i + 2 >= to) {
      return -1;
    }
    char b = s[i + 2];
    if (ignoreCase) {
      b = fold(b);
    }
    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) {
      return i + 3;
    }
    return -1;
  }

  /** Simple case folding of the contractions' letters: ASCII, and ſ (long s) to s. */
  private static char fold(char c) {
    if (c >= 'A' && c <= 'Z') {
      return (char) (c + 32);
    }
    return c == '\u017F' ? 's' : c;
  }

  /**
   * White space from {@code i} (a white-space character): {@code \s*[\r\n]+}, else
   * {@code \s+(?!\S)}, else {@code \s+}.
   */
  static int space(char[] s, int i, int to, UnicodeClasses u) {
    int j = run(s, i, to, u, SPACE);
    for (int q = j - 1; q >= i; q--) {
      char c = s[q];
      if (c == '\r' || c == '\n') {
        return q + 1;
      }
    }
    return spaceNoNewline(s, i, j, to);
  }

  /** {@code \s+(?!\S)|\s+} for the white-space run {@code [i, j)}. */
  static int spaceNoNewline(char[] s, int i, int j, int to) {
    if (j == to) {
      return j;
    }
    // backtrack one character: the last of the run is white space, so (?!\S) holds before it
    int last = j - 1;
    if (last > i && Character.isLowSurrogate(s[last]) && Character.isHighSurrogate(s[last - 1])) {
      last--;
    }
    return last > i ? last : j;
  }

  // ---- the families ----

  private static int gpt2(char[] s, int i, int to, UnicodeClasses u) {
    int e = contraction(s, i, to, false);
    if (e >= 0) {
      return e;
    }
    int c = cp(s, i, to);
    int j = c == ' ' ? i + 1 : i;
    if (j < to) {
      int cls = u.of(cp(s, j, to));
      if ((cls & LETTER) != 0) {
        return run(s, j, to, u, LETTER);
      }
      if ((cls & NUMBER) != 0) {
        return run(s, j, to, u, NUMBER);
      }
      if (other(cls)) {
        return runOther(s, j, to, u);
      }
    }
    if ((u.of(c) & SPACE) != 0) {
      int k = run(s, i, to, u, SPACE);
      return spaceNoNewline(s, i, k, to);
    }
    return i + width(c);
  }

  private static int cl100k(char[] s, int i, int to, UnicodeClasses u, int digits) {
    int e = contraction(s, i, to, true);
    if (e >= 0) {
      return e;
    }
    int c = cp(s, i, to);
    int cls = u.of(c);
    // [^\r\n\p{L}\p{N}]?\p{L}+
    if ((cls & LETTER) != 0) {
      return run(s, i, to, u, LETTER);
    }
    if ((cls & NUMBER) == 0 && c != '\r' && c != '\n' && is(s, i + width(c), to, u, LETTER)) {
      return run(s, i + width(c), to, u, LETTER);
    }
    if ((cls & NUMBER) != 0) {
      return runMax(s, i, to, u, NUMBER, digits);
    }
    // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
    int j = c == ' ' ? i + 1 : i;
    if (j < to && other(u.of(cp(s, j, to)))) {
      return newlines(s, runOther(s, j, to, u), to, false);
    }
    if ((cls & SPACE) != 0) {
      return space(s, i, to, u);
    }
    return i + width(c);
  }

  /** The end of a run of CR and LF (and {@code /} if asked) from {@code i}. */
  private static int newlines(char[] s, int i, int to, boolean slash) {
    while (i < to) {
      char c = s[i];
      if (c != '\r' && c != '\n' && !(slash && c == '/')) {
        break;
      }
      i++;
    }
    return i;
  }

  private static final int UPPERISH = UPPER | LETTER_OTHER | MARK; // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
  private static final int LOWERISH = LOWER | LETTER_OTHER | MARK; // [\p{Ll}\p{Lm}\p{Lo}\p{M}]

  private static int o200k(char[] s, int i, int to, UnicodeClasses u) {
    int c = cp(s, i, to);
    int cls = u.of(c);
    boolean prefix = (cls & (LETTER | NUMBER)) == 0 && c != '\r' && c != '\n';
    int w = width(c);
    // [^\r\n\p{L}\p{N}]?[A]*[B]+('s...)?
    int e = prefix ? upperThenLower(s, i + w, to, u) : -1;
    if (e < 0) {
      e = upperThenLower(s, i, to, u);
    }
    if (e >= 0) {
      return suffix(s, e, to);
    }
    // [^\r\n\p{L}\p{N}]?[A]+[B]*('s...)?
    if (prefix && is(s, i + w, to, u, UPPERISH)) {
      return suffix(s, run(s, run(s, i + w, to, u, UPPERISH), to, u, LOWERISH), to);
    }
    if ((cls & UPPERISH) != 0) {
      return suffix(s, run(s, run(s, i, to, u, UPPERISH), to, u, LOWERISH), to);
    }
    if ((cls & NUMBER) != 0) {
      return runMax(s, i, to, u, NUMBER, 3);
    }
    int j = c == ' ' ? i + 1 : i;
    if (j < to && other(u.of(cp(s, j, to)))) {
      return newlines(s, runOther(s, j, to, u), to, true);
    }
    if ((cls & SPACE) != 0) {
      return space(s, i, to, u);
    }
    return i + w;
  }

  /** {@code [A]*[B]+} from {@code p}, with the regex's backtracking: its end, or -1. */
  private static int upperThenLower(char[] s, int p, int to, UnicodeClasses u) {
    if (p >= to) {
      return -1;
    }
    int k = p;
    int lastBoth = -1; // the last code point in [p, k) that is also in B
    int lastBothEnd = -1;
    while (k < to) {
      int c = cp(s, k, to);
      int cls = u.of(c);
      if ((cls & UPPERISH) == 0) {
        break;
      }
      if ((cls & LOWERISH) != 0) {
        lastBoth = k;
        lastBothEnd = k + width(c);
      }
      k += width(c);
    }
    if (is(s, k, to, u, LOWERISH)) {
      return run(s, k, to, u, LOWERISH);
    }
    return lastBoth >= 0 ? lastBothEnd : -1;
  }

  /** An optional contraction, any case, after a word. */
  private static int suffix(char[] s, int e, int to) {
    int c = contraction(s, e, to, true);
    return c >= 0 ? c : e;
  }

  // ---- DeepSeek: a sequence of three splits ----

  private static boolean cjk(int c) {
    return (c >= 0x4E00 && c <= 0x9FA5) || (c >= 0x3040 && c <= 0x309F) || (c >= 0x30A0 && c <= 0x30FF);
  }

  private static int deepseek(char[] s, int i, int to, UnicodeClasses u, int[] state) {
    int c = cp(s, i, to);
    if ((u.of(c) & NUMBER) != 0) {
      return runMax(s, i, to, u, NUMBER, 3); // split 1: the numbers, in threes from the run's start
    }
    // the piece of splits 1 and 2 that holds i: a run of CJK, or what lies before the next number or CJK
    int pe = state[0];
    if (pe <= i) {
      pe = i + width(c);
      boolean inCjk = cjk(c);
      while (pe < to) {
        int d = cp(s, pe, to);
        if ((u.of(d) & NUMBER) != 0 || cjk(d) != inCjk) {
          break;
        }
        pe += width(d);
      }
      state[0] = pe;
    }
    int e = words(s, i, pe, u);
    if (e >= 0) {
      return e;
    }
    // no match starts here: the gap runs to where one does
    int g = i + width(c);
    while (g < pe && words(s, g, pe, u) < 0) {
      g += width(cp(s, g, pe));
    }
    return g;
  }

  private static boolean asciiPunct(char c) {
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
  }

  private static boolean asciiLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  /** {@link #DEEPSEEK_WORDS} at {@code i}, within {@code [i, to)}: the match's end, or -1. */
  static int words(char[] s, int i, int to, UnicodeClasses u) {
    char ch = s[i];
    if (asciiPunct(ch) && i + 1 < to && asciiLetter(s[i + 1])) {
      int k = i + 1;
      while (k < to && asciiLetter(s[k])) {
        k++;
      }
      return k;
    }
    int c = cp(s, i, to);
    int cls = u.of(c);
    int w = width(c);
    // [^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+
    boolean prefix = (cls & (LETTER | PUNCT | SYMBOL)) == 0 && c != '\r' && c != '\n';
    if (prefix && is(s, i + w, to, u, LETTER | MARK)) {
      return run(s, i + w, to, u, LETTER | MARK);
    }
    if ((cls & (LETTER | MARK)) != 0) {
      return run(s, i, to, u, LETTER | MARK);
    }
    // ' ?[\p{P}\p{S}]+[\r\n]*'
    int j = c == ' ' ? i + 1 : i;
    if (is(s, j, to, u, PUNCT | SYMBOL)) {
      return newlines(s, run(s, j, to, u, PUNCT | SYMBOL), to, false);
    }
    if ((cls & SPACE) != 0) {
      return space(s, i, to, u);
    }
    return -1;
  }
}
