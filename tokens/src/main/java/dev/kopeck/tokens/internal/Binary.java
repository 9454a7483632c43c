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
    read(in, buf, dst.length, 4, at, (b, off, k) -> b.asIntBuffer().get(dst, off, k));
    return dst;
  }

  /** Fills {@code dst} from {@code in}, {@code buf} at a time; {@code at[0]} counts the bytes read. */
  static long[] longs(InputStream in, byte[] buf, long[] dst, long[] at) throws IOException {
    read(in, buf, dst.length, 8, at, (b, off, k) -> b.asLongBuffer().get(dst, off, k));
    return dst;
  }

  static void write(OutputStream out, byte[] buf, int[] a) throws IOException {
    write(out, buf, a.length, 4, (b, off, k) -> b.asIntBuffer().put(a, off, k));
  }

  static void write(OutputStream out, byte[] buf, long[] a) throws IOException {
    write(out, buf, a.length, 8, (b, off, k) -> b.asLongBuffer().put(a, off, k));
  }

  /** Copies {@code k} elements from {@code off} of an array between it and a little-endian buffer. */
  private interface Chunk {
    void copy(ByteBuffer b, int off, int k);
  }

  /** Reads {@code n} elements of {@code width} bytes, a bufferful at a time, handing each to {@code c}. */
  private static void read(InputStream in, byte[] buf, int n, int width, long[] at, Chunk c) throws IOException {
    for (int off = 0; off < n; ) {
      int k = Math.min(n - off, buf.length / width);
      int got = in.readNBytes(buf, 0, width * k);
      at[0] += got;
      if (got < width * k) {
        throw new EOFException();
      }
      c.copy(ByteBuffer.wrap(buf, 0, width * k).order(ByteOrder.LITTLE_ENDIAN), off, k);
      off += k;
    }
  }

  /** Writes {@code n} elements of {@code width} bytes, a bufferful at a time, filled by {@code c}. */
  private static void write(OutputStream out, byte[] buf, int n, int width, Chunk c) throws IOException {
    for (int off = 0; off < n; ) {
      int k = Math.min(n - off, buf.length / width);
      c.copy(ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN), off, k);
      out.write(buf, 0, width * k);
      off += k;
    }
  }
}
