package dev.kopeck.tokens.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The character classes the pre-tokenizers split by, per code point: letter (upper/title, lower,
 * modifier/other), mark, number, punctuation, symbol, and Unicode's {@code White_Space}.
 *
 * <p>Java 17's own tables stop at Unicode 13; tiktoken and HuggingFace classify newer code points
 * (a Gurung Khema digit, Unicode 16, is a number to them). So the table is made at build time from
 * a current Unicode database (ICU4J, pinned in kopeck-vocab-compiler) and ships in
 * kopeck-vocab-unicode as {@code unicode.kuc}; without it, Java's own classes are used ({@link #jdk}).
 *
 * <p>Form: a two-stage table, a block index per 256 code points and the distinct blocks.
 */
public final class UnicodeClasses {
  public static final int UPPER = 1; // Lu, Lt
  public static final int LOWER = 2; // Ll
  public static final int LETTER_OTHER = 4; // Lm, Lo
  public static final int MARK = 8; // Mn, Mc, Me
  public static final int NUMBER = 16; // Nd, Nl, No
  public static final int SPACE = 32; // White_Space
  public static final int PUNCT = 64; // P*
  public static final int SYMBOL = 128; // S*
  public static final int LETTER = UPPER | LOWER | LETTER_OTHER;

  private static final int MAGIC = 0x4B554331; // "KUC1"

  private final char[] index;
  private final byte[] blocks;
  /** The Unicode version the table was made from, e.g. "16.0". */
  public final String version;

  private UnicodeClasses(char[] index, byte[] blocks, String version) {
    this.index = index;
    this.blocks = blocks;
    this.version = version;
  }

  /** The class bits of code point {@code cp}. */
  public int of(int cp) {
    return blocks[(index[cp >>> 8] << 8) | (cp & 0xFF)] & 0xFF;
  }

  /** Builds the table from a classifier of every code point (the build step, or the JDK's). */
  public static UnicodeClasses build(java.util.function.IntUnaryOperator classify, String version) {
    char[] index = new char[0x110000 >>> 8];
    java.util.Map<String, Integer> seen = new java.util.HashMap<>();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] block = new byte[256];
    for (int b = 0; b < index.length; b++) {
      for (int k = 0; k < 256; k++) {
        block[k] = (byte) classify.applyAsInt((b << 8) | k);
      }
      String key = new String(block, java.nio.charset.StandardCharsets.ISO_8859_1);
      Integer at = seen.get(key);
      if (at == null) {
        at = seen.size();
        seen.put(key, at);
        out.write(block, 0, 256);
      }
      index[b] = (char) (int) at;
    }
    return new UnicodeClasses(index, out.toByteArray(), version);
  }

  /** Java's own classes (its Unicode version, 13.0 on Java 17). */
  public static UnicodeClasses jdk() {
    return build(UnicodeClasses::jdkClass, "JDK " + Runtime.version().feature());
  }

  static int jdkClass(int cp) {
    int bits = 0;
    switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER:
      case Character.TITLECASE_LETTER:
        bits = UPPER;
        break;
      case Character.LOWERCASE_LETTER:
        bits = LOWER;
        break;
      case Character.MODIFIER_LETTER:
      case Character.OTHER_LETTER:
        bits = LETTER_OTHER;
        break;
      case Character.NON_SPACING_MARK:
      case Character.COMBINING_SPACING_MARK:
      case Character.ENCLOSING_MARK:
        bits = MARK;
        break;
      case Character.DECIMAL_DIGIT_NUMBER:
      case Character.LETTER_NUMBER:
      case Character.OTHER_NUMBER:
        bits = NUMBER;
        break;
      case Character.CONNECTOR_PUNCTUATION:
      case Character.DASH_PUNCTUATION:
      case Character.START_PUNCTUATION:
      case Character.END_PUNCTUATION:
      case Character.INITIAL_QUOTE_PUNCTUATION:
      case Character.FINAL_QUOTE_PUNCTUATION:
      case Character.OTHER_PUNCTUATION:
        bits = PUNCT;
        break;
      case Character.MATH_SYMBOL:
      case Character.CURRENCY_SYMBOL:
      case Character.MODIFIER_SYMBOL:
      case Character.OTHER_SYMBOL:
        bits = SYMBOL;
        break;
      default:
        break;
    }
    if (isWhiteSpace(cp)) {
      bits |= SPACE;
    }
    return bits;
  }

  /** Unicode's White_Space property (stable since Unicode 6.3). */
  static boolean isWhiteSpace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
        || cp == 0x3000;
  }

  public void write(OutputStream os) throws IOException {
    java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(os));
    out.writeInt(MAGIC);
    out.writeUTF(version);
    out.writeInt(index.length);
    for (char c : index) {
      out.writeChar(c);
    }
    out.writeInt(blocks.length);
    out.write(blocks);
    out.flush();
  }

  public static UnicodeClasses read(String source, InputStream in) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(in.readAllBytes());
    try {
      if (b.getInt() != MAGIC) {
        throw new IOException(source + ": not a Kopeck Unicode table");
      }
      byte[] v = new byte[b.getShort() & 0xFFFF];
      b.get(v);
      char[] index = new char[b.getInt()];
      b.asCharBuffer().get(index);
      b.position(b.position() + 2 * index.length);
      byte[] blocks = new byte[b.getInt()];
      b.get(blocks);
      if (index.length != 0x110000 >>> 8) {
        throw new IOException(source + ": a Unicode table of " + index.length + " blocks");
      }
      for (char c : index) {
        if ((c + 1) * 256 > blocks.length) {
          throw new IOException(source + ": a block index past the table");
        }
      }
      return new UnicodeClasses(index, blocks, new String(v, java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.nio.BufferUnderflowException e) {
      throw new IOException(source + ": truncated Unicode table", e);
    }
  }
}
