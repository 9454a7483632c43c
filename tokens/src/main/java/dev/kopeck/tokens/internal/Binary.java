package dev.kopeck.tokens.internal;

import java.nio.ByteBuffer;

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
}
