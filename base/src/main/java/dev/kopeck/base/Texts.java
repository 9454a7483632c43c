package dev.kopeck.base;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text as files hold it: UTF-8 (a byte-order mark dropped), or UTF-16 when it starts with its
 * byte-order mark. Decoding is strict: a bad sequence is an {@link InputException} naming its byte.
 */
public final class Texts {
  private Texts() {}

  /** Decodes {@code bytes} as UTF-16 when they start with its BOM, else as UTF-8. */
  public static String decode(String source, byte[] bytes) {
    Charset utf16 = utf16(bytes);
    return utf16 == null ? Utf8.decode(source, bytes) : decode(source, bytes, utf16);
  }

  private static Charset utf16(byte[] b) {
    if (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE) {
      return StandardCharsets.UTF_16LE;
    }
    if (b.length >= 2 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF) {
      return StandardCharsets.UTF_16BE;
    }
    return null;
  }

  private static String decode(String source, byte[] bytes, Charset cs) {
    CharsetDecoder dec = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, 2, bytes.length - 2);
    CharBuffer out = CharBuffer.allocate(bytes.length / 2 + 1);
    CoderResult r = dec.decode(in, out, true);
    if (r.isError() || dec.flush(out).isError() || (bytes.length & 1) != 0) {
      throw new InputException(source, "byte " + in.position(), "not valid " + cs.name()
          + " (it starts with that encoding's byte-order mark)");
    }
    out.flip();
    return out.toString();
  }
}
