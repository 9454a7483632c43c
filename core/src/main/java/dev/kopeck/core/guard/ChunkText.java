package dev.kopeck.core.guard;

/**
 * The text a stream's chunk adds to the answer, read in place: the string values of
 * {@code choices[*].delta.content} in a chat chunk, or of the top-level {@code delta} in a Responses
 * {@code response.output_text.delta} event. It builds no tree and makes no string: a chunk costs its
 * characters appended to the caller's buffer, nothing more ({@code StreamTapBenchmark} measures it).
 * It exists because the tap sees every chunk of every stream; a JSON parser per chunk allocated
 * about a kilobyte each. It reads well-formed JSON as Jackson does (ChunkTextTest checks it against
 * Jackson); on malformed text it stops without throwing, and the text it gives is then only what
 * an estimate of a stream without usage counts.
 */
final class ChunkText {
  private static final int MAX_DEPTH = 64;
  private static final byte NONE = 0;
  private static final byte DELTA = 1;
  private static final byte CONTENT = 2;

  /** Per open container: is it an object, and is it the value of a "delta" key. Reused chunk after chunk. */
  private final boolean[] object = new boolean[MAX_DEPTH];
  private final boolean[] delta = new boolean[MAX_DEPTH];

  /**
   * Appends to {@code out} the text of the chat chunk in {@code s} from {@code from} to {@code to}.
   * With {@code responses}, the chunk is a Responses event and its top-level {@code delta} is the text.
   */
  void append(CharSequence s, int from, int to, boolean responses, StringBuilder out) {
    int depth = 0;
    boolean keyNext = false;
    byte key = NONE;
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      switch (c) {
        case ' ', '\t', '\r', '\n', ':' -> i++;
        case '{', '[' -> {
          if (depth == MAX_DEPTH) {
            return;
          }
          object[depth] = c == '{';
          delta[depth] = c == '{' && key == DELTA && depth > 0 && object[depth - 1];
          depth++;
          keyNext = c == '{';
          key = NONE;
          i++;
        }
        case '}', ']' -> {
          if (depth == 0) {
            return;
          }
          depth--;
          keyNext = false;
          key = NONE;
          i++;
        }
        case ',' -> {
          keyNext = depth > 0 && object[depth - 1];
          key = NONE;
          i++;
        }
        case '"' -> {
          int end = stringEnd(s, i + 1, to);
          if (end < 0) {
            return;
          }
          if (keyNext) {
            key = classify(s, i + 1, end, responses);
            keyNext = false;
          } else {
            boolean text = responses ? key == DELTA && depth == 1 : key == CONTENT && depth > 0 && delta[depth - 1];
            if (text) {
              unescape(s, i + 1, end, out);
            }
            key = NONE;
          }
          i = end + 1;
        }
        default -> { // a number, true, false or null
          while (i < to && ",}] \t\r\n".indexOf(s.charAt(i)) < 0) {
            i++;
          }
          key = NONE;
        }
      }
    }
  }

  /** The index of the quote that ends the string whose first character is at {@code i}; -1 if none. */
  private static int stringEnd(CharSequence s, int i, int to) {
    while (i < to) {
      char c = s.charAt(i);
      if (c == '"') {
        return i;
      }
      i += c == '\\' ? 2 : 1;
    }
    return -1;
  }

  /** Which key the raw key text is; a key written with escapes is decoded first (never in practice). */
  private static byte classify(CharSequence s, int from, int to, boolean responses) {
    if (is(s, from, to, "delta")) {
      return DELTA;
    }
    if (!responses && is(s, from, to, "content")) {
      return CONTENT;
    }
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == '\\') {
        StringBuilder k = new StringBuilder(to - from);
        unescape(s, from, to, k);
        return is(k, 0, k.length(), "delta") ? DELTA : !responses && is(k, 0, k.length(), "content") ? CONTENT : NONE;
      }
    }
    return NONE;
  }

  private static boolean is(CharSequence s, int from, int to, String word) {
    if (to - from != word.length()) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      if (s.charAt(from + i) != word.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Appends the JSON string body from {@code from} to {@code to}, its escapes decoded. */
  private static void unescape(CharSequence s, int from, int to, StringBuilder out) {
    int i = from;
    while (i < to) {
      char c = s.charAt(i++);
      if (c != '\\' || i >= to) {
        out.append(c);
        continue;
      }
      char e = s.charAt(i++);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> {
          if (i + 4 > to) {
            return;
          }
          int v = 0;
          for (int k = 0; k < 4; k++) {
            int d = Character.digit(s.charAt(i + k), 16);
            if (d < 0) {
              return;
            }
            v = v * 16 + d;
          }
          out.append((char) v);
          i += 4;
        }
        default -> out.append(e); // \" \\ \/
      }
    }
  }
}
