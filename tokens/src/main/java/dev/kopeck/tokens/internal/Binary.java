package dev.kopeck.tokens.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reading the vocabularies' binary forms: what both formats share. */
final class Binary {
  private Binary() {}

  /** {@code n} ints from {@code b}'s position, which moves past them. */
  static int[] ints(ByteBuffer b, int n) {
    int[] a = new int[n];
    b.asIntBuffer().get(a);
    b.position(b.position() + 4 * n);
    return a;
  }

  /**
   * Where each entry starts in one blob of all of them, from their lengths (-1: no entry); the last
   * element of the result, one past the array's end in meaning, is the blob's length.
   */
  static int[] starts(int[] len) {
    int[] start = new int[len.length + 1];
    int at = 0;
    for (int i = 0; i < len.length; i++) {
      start[i] = at;
      at += Math.max(len[i], 0);
    }
    start[len.length] = at;
    return start;
  }

  // ---- ready-to-use tables: little-endian arrays, read and written through one buffer ----

  /** The next {@code n} bytes of {@code in}; {@code at[0]} counts the bytes read. */
  static byte[] bytes(InputStream in, int n, long[] at) throws IOException {
    byte[] b = in.readNBytes(n);
    at[0] += b.length;
    if (b.length < n) {
      throw new EOFException();
    }
    return b;
  }

  /** Fills {@code dst} from {@code in}, {@code buf} at a time; {@code at[0]} counts the bytes read. */
  static int[] ints(InputStream in, byte[] buf, int[] dst, long[] at) throws IOException {
    for (int off = 0; off < dst.length; ) {
      int k = Math.min(dst.length - off, buf.length / 4);
      fill(in, buf, 4 * k, at);
      ByteBuffer.wrap(buf, 0, 4 * k).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(dst, off, k);
      off += k;
    }
    return dst;
  }

  /** Fills {@code dst} from {@code in}, {@code buf} at a time; {@code at[0]} counts the bytes read. */
  static long[] longs(InputStream in, byte[] buf, long[] dst, long[] at) throws IOException {
    for (int off = 0; off < dst.length; ) {
      int k = Math.min(dst.length - off, buf.length / 8);
      fill(in, buf, 8 * k, at);
      ByteBuffer.wrap(buf, 0, 8 * k).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(dst, off, k);
      off += k;
    }
    return dst;
  }

  private static void fill(InputStream in, byte[] buf, int n, long[] at) throws IOException {
    int got = in.readNBytes(buf, 0, n);
    at[0] += got;
    if (got < n) {
      throw new EOFException();
    }
  }

  static void write(OutputStream out, byte[] buf, int[] a) throws IOException {
    for (int off = 0; off < a.length; ) {
      int k = Math.min(a.length - off, buf.length / 4);
      ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(a, off, k);
      out.write(buf, 0, 4 * k);
      off += k;
    }
  }

  static void write(OutputStream out, byte[] buf, long[] a) throws IOException {
    for (int off = 0; off < a.length; ) {
      int k = Math.min(a.length - off, buf.length / 8);
      ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(a, off, k);
      out.write(buf, 0, 8 * k);
      off += k;
    }
  }
}
