package dev.kopeck.core.reconcile;

import java.nio.charset.StandardCharsets;

/**
 * The call ids a log run has reconciled, to find a call logged twice. It keeps a 64-bit hash of
 * each id, not the id, in an open-addressed table at most half full: a {@code HashSet} of the ids
 * ran out of the 64 MB heap docs/reconcile.md promises for a million-line log, this runs it with 23
 * MB live (docs/design/reconcile-duplicates.md). Two different ids share a hash with a chance of
 * about n^2 / 2^65, one in 37 million for a million calls; the second is then reported as a repeat,
 * never dropped silently. The spend log's readers use it to keep the first record of a request and event.
 */
public final class CallIds {
  private long[] table = new long[1 << 10];
  private int size;
  private boolean zeroSeen;

  /** Adds {@code id}; false when it was added before. */
  public boolean add(String id) {
    long h = hash(id);
    if (h == 0) {
      boolean fresh = !zeroSeen;
      zeroSeen = true;
      return fresh;
    }
    if (2 * (size + 1) > table.length) {
      grow();
    }
    if (!insert(table, h)) {
      return false;
    }
    size++;
    return true;
  }

  private static boolean insert(long[] t, long h) {
    int mask = t.length - 1;
    for (int i = (int) h & mask; ; i = (i + 1) & mask) {
      if (t[i] == h) {
        return false;
      }
      if (t[i] == 0) {
        t[i] = h;
        return true;
      }
    }
  }

  private void grow() {
    long[] old = table;
    table = new long[old.length * 2];
    for (long h : old) {
      if (h != 0) {
        insert(table, h);
      }
    }
  }

  /** FNV-1a over the id's UTF-8 bytes, then a 64-bit finalizer so that nearby ids spread over the table. */
  static long hash(String id) {
    long h = 0xcbf29ce484222325L;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
