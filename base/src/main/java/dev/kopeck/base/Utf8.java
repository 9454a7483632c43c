package dev.kopeck.base;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding: bad bytes are an {@link InputException} naming their byte offset. */
public final class Utf8 {
  private Utf8() {}

  /**
   * Decodes {@code bytes}; a leading byte-order mark is dropped.
   *
   * @throws InputException "byte N: not valid UTF-8" at the offset of the first bad sequence
   */
  public static String decode(String source, byte[] bytes) {
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
        && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharBuffer out = CharBuffer.allocate(bytes.length - start);
    CoderResult r = dec.decode(in, out, true);
    if (r.isError()) {
      throw new InputException(source, "byte " + in.position(), "not valid UTF-8 ("
          + r.length() + " bad byte" + (r.length() == 1 ? "" : "s") + String.format(" starting 0x%02X)",
              bytes[in.position()] & 0xFF));
    }
    r = dec.flush(out);
    if (r.isError()) {
      throw new InputException(source, "byte " + in.position(), "not valid UTF-8 (truncated sequence at the end)");
    }
    out.flip();
    return out.toString();
  }
}
