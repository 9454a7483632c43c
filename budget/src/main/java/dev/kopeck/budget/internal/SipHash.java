package dev.kopeck.budget.internal;

/**
 * SipHash (Aumasson and Bernstein, 2012) of a string's UTF-16LE bytes under a 128-bit key, with
 * {@code c} compression and {@code d} finalization rounds, and a 64- or 128-bit result: the ledger
 * uses SipHash-1-3-128, the rounds of the keyed hash Rust's standard {@code HashMap} uses against
 * hash flooding, so request ids chosen by a caller cannot be made to collide without the ledger's
 * random key. The 128-bit result costs one pass over the string and one more finalization.
 *
 * <p>Internal (the package is not exported): public for the ledger in {@code dev.kopeck.budget} and
 * for the benchmark that measures what the ledger cannot skip.
 */
public final class SipHash {
  private final long k0;
  private final long k1;
  private final int c;
  private final int d;

  public SipHash(long k0, long k1, int c, int d) {
    this.k0 = k0;
    this.k1 = k1;
    this.c = c;
    this.d = d;
  }

  /** The 128-bit SipHash of {@code s}: its first (little-endian) 64 bits in {@code out[at]}, the rest in {@code out[at + 1]}. */
  public void hash128(String s, long[] out, int at) {
    hash(s, out, at);
  }

  /** The 64-bit SipHash of {@code s}. */
  public long hash(String s) {
    return hash(s, null, 0);
  }

  private long hash(String s, long[] wide, int at) {
    long v0 = k0 ^ 0x736f6d6570736575L;
    long v1 = k1 ^ 0x646f72616e646f6dL;
    long v2 = k0 ^ 0x6c7967656e657261L;
    long v3 = k1 ^ 0x7465646279746573L;
    if (wide != null) {
      v1 ^= 0xee;
    }
    int n = s.length();
    int end = n & ~3;
    // every 4 chars (8 bytes, little-endian) are a block; the last block holds the rest and the length
    for (int i = 0; i <= end; i += 4) {
      long m;
      if (i < end) {
        m = s.charAt(i) | (long) s.charAt(i + 1) << 16 | (long) s.charAt(i + 2) << 32 | (long) s.charAt(i + 3) << 48;
      } else {
        m = (long) (2 * n & 0xff) << 56;
        for (int j = i, shift = 0; j < n; j++, shift += 16) {
          m |= (long) s.charAt(j) << shift;
        }
      }
      v3 ^= m;
      for (int r = 0; r < c; r++) {
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
      }
      v0 ^= m;
    }
    // finalization: once for a 64-bit result, twice (the second after v1 ^= 0xdd) for 128 bits
    v2 ^= wide != null ? 0xee : 0xff;
    for (int half = 0; ; half++) {
      for (int r = 0; r < d; r++) {
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
      }
      long h = v0 ^ v1 ^ v2 ^ v3;
      if (wide == null) {
        return h;
      }
      wide[at + half] = h;
      if (half == 1) {
        return h;
      }
      v1 ^= 0xdd;
    }
  }
}
