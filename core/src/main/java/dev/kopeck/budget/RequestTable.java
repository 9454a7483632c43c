package dev.kopeck.budget;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.IdentityHashMap;

/**
 * The request ids an {@link InMemoryLedger} remembers, with their reservations: open-addressing
 * (linear probing) tables of primitives in 64 segments, each guarded by its own lock, so the table
 * holds no object per request (nothing for the garbage collector to trace or copy) and two threads
 * rarely meet on a lock.
 *
 * <p>An id is kept as a 128-bit fingerprint: two SipHash-1-3 values under two random 128-bit keys
 * (SipHash is the keyed hash Rust's standard {@code HashMap} uses against hash flooding). Ids chosen
 * by a caller cannot be made to collide without the keys, and two different ids among {@code n}
 * remembered ones share a fingerprint with probability about {@code n²/2¹²⁹}: for a billion ids,
 * 10⁻²¹.
 *
 * <p>A finished id (committed, released or expired) is remembered for exactly the idempotency
 * window after it finished; after that it reads as absent. Every insert also sweeps a few slots
 * behind a cursor, deleting forgotten ids in place (backward-shift deletion), so a busy segment
 * keeps its size without rebuilding; it is rebuilt only to grow (when half full) or to shrink (when
 * a sweep finds it less than 1/16 full), to four times what it holds.
 *
 * <p>Every method of {@link Segment} must be called holding that segment's lock.
 */
final class RequestTable {
  static final int RESERVED = 0;
  static final int COMMITTED = 1;
  static final int RELEASED = 2;
  static final int EXPIRED = 3;

  private static final int SEGMENT_BITS = 6;
  /**
   * Longs per slot: the two fingerprint halves, amount, actual, expires at (high 44 bits) and
   * charge index (low 20), finished at (high 62) and state (low 2).
   */
  private static final int STRIDE = 6;
  private static final int H1 = 0;
  private static final int H2 = 1;
  private static final int AMOUNT = 2;
  private static final int ACTUAL = 3;
  private static final int EXPIRES = 4;
  private static final int STATE = 5;
  private static final int CHARGE_BITS = 20;
  private static final long CHARGE_MASK = (1L << CHARGE_BITS) - 1;
  /** Slots swept per insert: enough that forgotten ids go well before a segment fills. */
  private static final int SWEEP = 8;

  private final SipHash sip1;
  private final SipHash sip2;
  private final Segment[] segments = new Segment[1 << SEGMENT_BITS];

  RequestTable(long windowMillis) {
    SecureRandom r = new SecureRandom();
    this.sip1 = new SipHash(r.nextLong(), r.nextLong(), 1, 3);
    this.sip2 = new SipHash(r.nextLong(), r.nextLong(), 1, 3);
    for (int i = 0; i < segments.length; i++) {
      segments[i] = new Segment(windowMillis);
    }
  }

  /** The first half of the id's fingerprint: it picks the segment and the slot. Never 0 (0 marks an empty slot). */
  long hash1(String id) {
    long h = sip1.hash(id);
    return h == 0 ? 1 : h;
  }

  long hash2(String id) {
    return sip2.hash(id);
  }

  Segment segment(long h1) {
    return segments[(int) (h1 >>> (64 - SEGMENT_BITS))];
  }

  Segment[] segments() {
    return segments;
  }

  /**
   * A segment's fields, next to its lock word (one cache line to take per call); the subclass's
   * padding comes after them, since a superclass's fields come first in an object.
   */
  abstract static class SegmentFields {
    final long window;
    long[] slots = new long[16 * STRIDE];
    int used;
    int mask = 15;
    int cursor;
    /**
     * The distinct charges this segment's reservations refer to; a slot holds an index here, not a
     * reference, so storing a reservation costs the collector nothing.
     */
    Object[] charges = new Object[4];
    int nCharges;
    int chargeLimit = 64;
    final IdentityHashMap<Object, Integer> chargeIndex = new IdentityHashMap<>();
    Object lastCharge;
    int lastChargeIndex;

    SegmentFields(long window) {
      this.window = window;
    }
  }

  /**
   * One lock's share of the table, padded so that neighbouring segments (two threads' locks) share
   * no cache line: its lock word and fields change on every call.
   */
  static final class Segment extends SegmentFields {
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

    Segment(long window) {
      super(window);
    }

    /**
     * The slot remembering the id, or {@code ~slot} of where to insert it. Sweeps and makes room
     * first, so an insert at the returned place never overfills the segment. (Only inserts sweep: a
     * commit then touches no line but the segment's and its slot's.)
     */
    int findOrMakeRoom(long h1, long h2, long now) {
      sweep(now);
      if (used + 1 > (mask + 1) >>> 1) {
        rebuild(now);
      }
      return find(h1, h2, now);
    }

    /** The slot remembering the id, or {@code ~slot} of where it would go. */
    int find(long h1, long h2, long now) {
      long[] sl = slots;
      int m = mask;
      int free = -1; // the first forgotten id's slot on the way: reused rather than growing the chain
      for (int i = (int) h1 & m; ; i = i + 1 & m) {
        int b = i * STRIDE;
        long h = sl[b];
        if (h == 0) {
          return ~(free >= 0 ? free : i);
        }
        if (h == h1 && sl[b + H2] == h2) {
          return stale(sl, b, now) ? ~i : i;
        }
        if (free < 0 && stale(sl, b, now)) {
          free = i;
        }
      }
    }

    private boolean stale(long[] sl, int b, long now) {
      long st = sl[b + STATE];
      return (st & 3) != RESERVED && (st >>> 2) + window <= now;
    }

    /** Deletes forgotten ids among the next few slots behind the cursor; shrinks after a sparse lap. */
    private void sweep(long now) {
      long[] sl = slots;
      int m = mask;
      for (int k = 0; k < SWEEP; k++) {
        int b = cursor * STRIDE;
        if (sl[b] != 0 && stale(sl, b, now)) {
          delete(cursor); // may pull a later entry into this slot: look at it again next time
          continue;
        }
        cursor = cursor + 1 & m;
        if (cursor == 0 && m > 15 && used * 16 < m + 1) {
          rebuild(now);
          return;
        }
      }
    }

    /** Backward-shift deletion: later entries of the probe chain move up, so no tombstone is left. */
    private void delete(int i) {
      long[] sl = slots;
      int m = mask;
      int j = i;
      while (true) {
        j = j + 1 & m;
        int bj = j * STRIDE;
        if (sl[bj] == 0) {
          break;
        }
        int home = (int) sl[bj] & m;
        boolean stays = i <= j ? i < home && home <= j : i < home || home <= j;
        if (!stays) {
          System.arraycopy(sl, bj, sl, i * STRIDE, STRIDE);
          i = j;
        }
      }
      sl[i * STRIDE] = 0;
      used--;
    }

    /** Remembers a new reservation at {@code ~find(...)}. */
    void insert(int at, long h1, long h2, Object charge, long amount, long expiresAt) {
      int idx = chargeIndex(charge);
      int b = at * STRIDE;
      long[] sl = slots;
      if (sl[b] == 0) {
        used++;
      }
      sl[b] = h1;
      sl[b + H2] = h2;
      sl[b + AMOUNT] = amount;
      sl[b + ACTUAL] = 0;
      sl[b + EXPIRES] = expiresAt << CHARGE_BITS | idx;
      sl[b + STATE] = RESERVED;
    }

    private int chargeIndex(Object charge) {
      if (charge == lastCharge) {
        return lastChargeIndex;
      }
      Integer i = chargeIndex.get(charge);
      if (i == null) {
        if (nCharges == chargeLimit) {
          compactCharges();
        }
        if (nCharges > CHARGE_MASK) {
          throw new IllegalStateException("more than " + (CHARGE_MASK + 1)
              + " distinct lists of scopes are open in one segment of the ledger");
        }
        i = add(charge);
      }
      lastCharge = charge;
      lastChargeIndex = i;
      return i;
    }

    private int add(Object charge) {
      if (nCharges == charges.length) {
        charges = Arrays.copyOf(charges, nCharges * 2);
      }
      int i = nCharges++;
      charges[i] = charge;
      chargeIndex.put(charge, i);
      return i;
    }

    /** Keeps only the charges some slot still refers to, renumbering the slots. */
    private void compactCharges() {
      Object[] old = charges;
      charges = new Object[Math.max(4, nCharges)];
      nCharges = 0;
      chargeIndex.clear();
      lastCharge = null;
      long[] sl = slots;
      for (int b = 0; b < sl.length; b += STRIDE) {
        if (sl[b] != 0) {
          long e = sl[b + EXPIRES];
          Object c = old[(int) (e & CHARGE_MASK)];
          Integer i = chargeIndex.get(c);
          sl[b + EXPIRES] = e & ~CHARGE_MASK | (i != null ? i : add(c));
        }
      }
      chargeLimit = Math.max(64, nCharges * 2);
    }

    int state(int at) {
      return (int) (slots[at * STRIDE + STATE] & 3);
    }

    long amount(int at) {
      return slots[at * STRIDE + AMOUNT];
    }

    long actual(int at) {
      return slots[at * STRIDE + ACTUAL];
    }

    long expiresAt(int at) {
      return slots[at * STRIDE + EXPIRES] >> CHARGE_BITS;
    }

    Object charge(int at) {
      return charges[(int) (slots[at * STRIDE + EXPIRES] & CHARGE_MASK)];
    }

    /** Ends a reservation: committed (with its actual cost), released or expired, at {@code now}. */
    void finish(int at, int state, long now, long actual) {
      int b = at * STRIDE;
      slots[b + ACTUAL] = actual;
      slots[b + STATE] = now << 2 | state;
    }

    int capacity() {
      return mask + 1;
    }

    /** Whether the slot holds an open reservation whose time to live ended by {@code now}. */
    boolean expiredBy(int at, long now) {
      int b = at * STRIDE;
      return slots[b] != 0 && (slots[b + STATE] & 3) == RESERVED && slots[b + EXPIRES] >> CHARGE_BITS <= now;
    }

    /** Ids remembered at {@code now}: open reservations, and ids finished within the window. */
    int remembered(long now) {
      int n = 0;
      for (int b = 0; b < slots.length; b += STRIDE) {
        if (slots[b] != 0 && !stale(slots, b, now)) {
          n++;
        }
      }
      return n;
    }

    /** Drops forgotten ids and re-sizes to four times what is left (at least 16 slots). */
    private void rebuild(long now) {
      long[] sl = slots;
      int live = 0;
      for (int b = 0; b < sl.length; b += STRIDE) {
        if (sl[b] != 0 && !stale(sl, b, now)) {
          live++;
        }
      }
      int cap = Math.max(16, Integer.highestOneBit(Math.max(1, live) * 4 - 1) << 1);
      if ((long) cap * STRIDE > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("the ledger remembers too many request ids (" + live
            + " in one segment): shorten the idempotency window or the reservation TTL");
      }
      long[] ns = new long[cap * STRIDE];
      int nm = cap - 1;
      for (int b = 0; b < sl.length; b += STRIDE) {
        if (sl[b] == 0 || stale(sl, b, now)) {
          continue;
        }
        int j = (int) sl[b] & nm;
        while (ns[j * STRIDE] != 0) {
          j = j + 1 & nm;
        }
        System.arraycopy(sl, b, ns, j * STRIDE, STRIDE);
      }
      slots = ns;
      used = live;
      mask = nm;
      cursor = 0;
    }
  }
}
