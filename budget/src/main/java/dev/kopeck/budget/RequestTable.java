package dev.kopeck.budget;

import dev.kopeck.budget.internal.SipHash;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * The request ids an {@link InMemoryLedger} remembers, with their reservations: 64 segments, each
 * one {@code long[]} of slots with linear probing, so the table holds no object per request
 * (nothing for the garbage collector to trace or copy).
 *
 * <p><b>Locks live in the slots.</b> Every operation on an id holds the lock of the id's <i>home
 * slot</i> (the slot its hash points at): a bit in that slot's state word. A call therefore writes
 * the cache lines of its own slots and nothing that other calls write too (no per-segment lock word,
 * counter or cursor), so two cores working on different ids pass no line back and forth but the
 * few their ids happen to share (docs/budgets.md has the measurements).
 *
 * <p><b>Entries never move</b> while the segment is in use: an insert takes the first free slot
 * on its id's probe sequence (an unused one, or one whose id is forgotten), taking it with a
 * compare-and-set on the slot's state so that two inserts of different ids cannot take the same
 * slot; two inserts of the same id hold the same home lock. A lookup scans from the home slot to
 * the first never-used slot (or {@link #MAX_PROBE} slots, as far as an insert ever goes).
 *
 * <p><b>Purges.</b> Forgotten slots are reused but do not end a probe, so the slots in use grow
 * until a purge: when about 5/8 of a segment's slots have been used since its last purge (an
 * estimate counted on one in 16 inserts), when an insert finds no room within {@link #MAX_PROBE},
 * or when the distinct lists of scopes referred to fill their register. A purge freezes the
 * segment (every operation on it waits; one that holds a home lock is waited for), drops what is
 * forgotten, expires reservations past their time to live, and re-places the live entries, in
 * place, or into a new array of four times their number when that differs in size (so a segment
 * shrinks after a burst).
 *
 * <p>An id is kept as a 128-bit fingerprint: SipHash-1-3-128 under a random 128-bit key. Ids chosen
 * by a caller cannot be made to collide without the key, and two different ids among {@code n}
 * remembered ones share a fingerprint with probability about {@code n²/2¹²⁹}: for a billion ids,
 * 10⁻²¹.
 *
 * <p>A finished id (committed, released or expired) is remembered for exactly the idempotency
 * window after it finished; after that it reads as absent and its slot may be reused.
 */
final class RequestTable {
  static final int EMPTY = 0; // unused since the last purge: ends every probe
  static final int CLAIMED = 1; // taken by an insert that is writing it
  static final int RESERVED = 2;
  static final int COMMITTED = 3;
  static final int RELEASED = 4;
  static final int EXPIRED = 5;

  /** {@link #find} found no room for an insert within {@link #MAX_PROBE} slots of the home slot. */
  static final int FULL = Integer.MIN_VALUE;
  /** No id is ever placed further than this from its home slot. */
  static final int MAX_PROBE = 32;

  static final int SEGMENTS = 64;
  private static final int SEGMENT_SHIFT = 64 - 6;

  /*
   * A slot is six longs: the state word, the fingerprint, the amount reserved, the actual cost
   * committed, and the expiry (high 44 bits, ms) with the charge's register index (low 20 bits).
   * The state word: bit 0 is the lock of the ids whose home is this slot (whatever id the slot
   * holds), bits 1-3 the state, bits 4-63 a time in ms (signed): when a finished entry finished.
   */
  private static final int STRIDE = 6;
  private static final int STATE = 0;
  private static final int H1 = 1;
  private static final int H2 = 2;
  private static final int AMOUNT = 3;
  private static final int ACTUAL = 4;
  private static final int EXPIRES = 5;
  private static final long LOCK = 1;
  private static final long STATE_MASK = 0b1110;
  private static final int TIME_SHIFT = 4;
  private static final int CHARGE_BITS = 20;
  private static final long CHARGE_MASK = (1L << CHARGE_BITS) - 1;
  private static final long MAX_EXPIRY = (1L << (63 - CHARGE_BITS)) - 1;
  /*
   * Each array begins with 24 longs and ends with 8 that hold no slot: the array's header (its
   * length, read by every bounds check) and the objects around the array share no cache line with
   * a slot that is written all the time. Index 12, a line apart from both, holds the estimate of
   * the slots used since the last purge, index 13 the number of purges the array went through.
   */
  private static final int HEAD = 24;
  private static final int TAIL = 8;
  private static final int USED = 12;
  private static final int PURGES = 13;
  private static final int MIN_CAPACITY = 16;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  /** Told of each reservation a purge expires (its time to live ended), so its money goes back. */
  interface Expiry {
    void expired(Object charge, long amount);
  }

  /**
   * What an entry is charged to, registered with each segment that holds one of its entries: a
   * slot keeps the register index, not a reference, so storing a reservation costs the collector
   * nothing. Caches its index in each segment (checked on use, since a purge renumbers).
   */
  abstract static class Charged {
    /**
     * The index in each segment at [PAD + segment]: read on every insert, so kept a cache line away
     * from whatever object the collector puts next to the array (one written by another thread
     * would make every read a miss).
     */
    private final int[] index = new int[PAD + SEGMENTS + PAD];

    protected Charged() {
      Arrays.fill(index, -1);
    }
  }

  private static final int PAD = 16;

  private final SipHash sip;
  private final Segment[] segments = new Segment[SEGMENTS];

  RequestTable(long windowMillis) {
    SecureRandom r = new SecureRandom();
    this.sip = new SipHash(r.nextLong(), r.nextLong(), 1, 3);
    for (int i = 0; i < segments.length; i++) {
      segments[i] = new Segment(i, windowMillis);
    }
  }

  /** The id's fingerprint, into {@code out[at]} (which picks the segment and the home slot) and {@code out[at + 1]}. */
  void hash(String id, long[] out, int at) {
    sip.hash128(id, out, at);
  }

  Segment segment(long h1) {
    return segments[(int) (h1 >>> SEGMENT_SHIFT)];
  }

  Segment[] segments() {
    return segments;
  }

  static int state(long w) {
    return (int) ((w & STATE_MASK) >>> 1);
  }

  private static long word(int state, long time) {
    return time << TIME_SHIFT | (long) state << 1;
  }

  private static int slotsIn(long[] t) {
    return (t.length - HEAD - TAIL) / STRIDE;
  }

  private static int base(int slot) {
    return HEAD + slot * STRIDE;
  }

  /** The home slot in {@code t} of the id hashed to {@code h1}: where its probe starts and its lock lives. */
  private static int home(long[] t, long h1) {
    return (int) h1 & (slotsIn(t) - 1);
  }

  /** The register index of the charge of the entry at {@code b}. */
  private static int chargeIndex(long[] t, int b) {
    return (int) (t[b + EXPIRES] & CHARGE_MASK);
  }

  private static long[] newSlots(int capacity) {
    return new long[HEAD + capacity * STRIDE + TAIL];
  }

  /** Waits a little, more each time: spin, then yield, then sleep (a purge may take milliseconds). */
  private static void backOff(int round) {
    if (round < 64) {
      Thread.onSpinWait();
    } else if (round < 128) {
      Thread.yield();
    } else {
      LockSupport.parkNanos(20_000);
    }
  }

  /** The segment's fields, read on every call and written only by purges and by new registrations. */
  abstract static class SegmentFields {
    volatile long[] slots = newSlots(MIN_CAPACITY);
    /** Set by a purge: operations wait (see {@link Segment#lock}). */
    volatile boolean frozen;
    final int number;
    final long window;
    /** Register of charges: written under {@code registry}, read without it. */
    volatile Object[] charges = new Object[4];
    int nCharges;
    int chargeLimit = 64;
    final IdentityHashMap<Object, Integer> chargeIndex = new IdentityHashMap<>();
    final Object registry = new Object();

    SegmentFields(int number, long window) {
      this.number = number;
      this.window = window;
    }
  }

  /** One segment, padded so that no other object's fields share its cache line. */
  static final class Segment extends SegmentFields {
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

    Segment(int number, long window) {
      super(number, window);
    }

    /**
     * Takes the home lock of the id hashed to {@code h1} and returns the slots it is taken in.
     * The lock is taken, then the segment checked not to be frozen (a purge sets {@code frozen}
     * and then waits for every lock bit to clear, so one of the two sees the other), and the
     * slots checked to be the segment's still (a purge that grew them left the old ones behind).
     */
    long[] lock(long h1) {
      for (int round = 0; ; round++) {
        long[] t = slots;
        int b = base(home(t, h1));
        long w = (long) LONGS.getVolatile(t, b);
        if ((w & LOCK) == 0 && LONGS.compareAndSet(t, b, w, w | LOCK)) {
          if (!frozen && slots == t) {
            return t;
          }
          LONGS.getAndBitwiseAnd(t, b, ~LOCK);
        }
        backOff(round);
      }
    }

    /** Releases the home lock {@link #lock} took. */
    void unlock(long[] t, long h1) {
      LONGS.getAndBitwiseAnd(t, base(home(t, h1)), ~LOCK);
    }

    /**
     * Takes the lock of home slot {@code home} in {@code t}, waiting out a purge; false if a purge
     * went through {@code t} since {@code purges} was read of it (its entries may have moved).
     */
    private boolean lockIn(long[] t, int home, long purges) {
      int b = base(home);
      for (int round = 0; ; round++) {
        if (slots != t || t[PURGES] != purges) {
          return false;
        }
        long w = (long) LONGS.getVolatile(t, b);
        if (!frozen && (w & LOCK) == 0 && LONGS.compareAndSet(t, b, w, w | LOCK)) {
          if (!frozen && slots == t && t[PURGES] == purges) {
            return true;
          }
          LONGS.getAndBitwiseAnd(t, b, ~LOCK);
        }
        backOff(round);
      }
    }

    private boolean stale(long w, long now) {
      int st = state(w);
      return st >= COMMITTED && now - (w >> TIME_SHIFT) >= window;
    }

    private boolean free(long w, long now) {
      return state(w) == EMPTY || stale(w, now);
    }

    /** Whether the word's entry is remembered at {@code now}: an open reservation, or finished within the window. */
    private boolean remembers(long w, long now) {
      int st = state(w);
      return st != EMPTY && st != CLAIMED && !stale(w, now);
    }

    /** Whether the entry at {@code b} (in state {@code st}) is a reservation whose time to live ended by {@code now}. */
    private static boolean pastTtl(long[] t, int b, int st, long now) {
      return st == RESERVED && t[b + EXPIRES] >> CHARGE_BITS <= now;
    }

    /**
     * Under the id's home lock: the slot that remembers it at {@code now} (≥ 0); else {@code -1 -
     * slot} of where to insert it (the first free slot on its way); or {@link #FULL}.
     */
    int find(long[] t, long h1, long h2, long now) {
      int m = slotsIn(t) - 1;
      int free = -1;
      int i = (int) h1 & m;
      for (int n = Math.min(MAX_PROBE, m + 1); n > 0; n--, i = i + 1 & m) {
        int b = base(i);
        long w = (long) LONGS.getAcquire(t, b);
        int st = state(w);
        if (st == EMPTY) {
          return -1 - (free >= 0 ? free : i);
        }
        if (st == CLAIMED) {
          continue; // another id, being written
        }
        boolean gone = stale(w, now);
        if (t[b + H1] == h1 && t[b + H2] == h2) {
          return gone ? -1 - (free >= 0 ? free : i) : i;
        }
        if (gone && free < 0) {
          free = i;
        }
      }
      return free >= 0 ? -1 - free : FULL;
    }

    /**
     * Under the id's home lock, takes free slot {@code at} (from {@link #find}) for an insert; false
     * if another insert took it first (then {@link #find} again).
     */
    boolean claim(long[] t, int at, long h2, long now) {
      int b = base(at);
      while (true) {
        long w = (long) LONGS.getVolatile(t, b);
        if (!free(w, now)) {
          return false;
        }
        if (LONGS.compareAndSet(t, b, w, w & LOCK | word(CLAIMED, 0))) {
          if (state(w) == EMPTY && (h2 & 15) == 0) {
            LONGS.getAndAdd(t, USED, 16L); // a sampled count of slots used: one insert in 16 writes it
          }
          return true;
        }
      }
    }

    /**
     * Writes a new reservation into a slot {@link #claim}ed for it and releases the id's home lock.
     * When the slot is the home slot (the usual case), one store publishes the entry and releases
     * the lock: no other thread writes a word whose lock bit it does not hold once its entry is
     * taken.
     */
    void fillAndUnlock(long[] t, int at, long h1, long h2, long amount, long expiresAt, int charge) {
      int b = base(at);
      t[b + H1] = h1;
      t[b + H2] = h2;
      t[b + AMOUNT] = amount;
      t[b + ACTUAL] = 0;
      t[b + EXPIRES] = Math.min(expiresAt, MAX_EXPIRY) << CHARGE_BITS | charge;
      if (at == home(t, h1)) {
        LONGS.setRelease(t, b, word(RESERVED, 0));
      } else {
        setState(t, b, word(RESERVED, 0));
        unlock(t, h1);
      }
    }

    /**
     * Ends the open reservation at {@code at} as {@code state} at {@code now} with {@code actual},
     * and releases the id's home lock; one store when the slot is the home slot. (An open
     * reservation is never reused, so its state word is written only under this lock.)
     */
    void finishAndUnlock(long[] t, int at, long h1, int state, long now, long actual) {
      int b = base(at);
      t[b + ACTUAL] = actual;
      if (at == home(t, h1)) {
        LONGS.setRelease(t, b, word(state, now));
      } else {
        setState(t, b, word(state, now));
        unlock(t, h1);
      }
    }

    /** Sets a state word, keeping its lock bit (which another home's operation may be flipping). */
    private static void setState(long[] t, int b, long word) {
      while (true) {
        long w = (long) LONGS.getVolatile(t, b);
        if (LONGS.compareAndSet(t, b, w, w & LOCK | word)) {
          return;
        }
      }
    }

    /**
     * Under the id's home lock, ends the entry at {@code at} as {@code state} at {@code now} with
     * {@code actual}, if its state word (lock bit aside) is still {@code seen}; false if the entry
     * was forgotten and its slot reused meanwhile (possible only for a finished entry).
     */
    boolean finish(long[] t, int at, long seen, int state, long now, long actual) {
      int b = base(at);
      while (true) {
        long w = (long) LONGS.getVolatile(t, b);
        if ((w & ~LOCK) != (seen & ~LOCK)) {
          return false;
        }
        if (LONGS.compareAndSet(t, b, w, w & LOCK | word(state, now))) {
          t[b + ACTUAL] = actual; // no one reads it before the home lock is released
          return true;
        }
      }
    }

    long stateWord(long[] t, int at) {
      return (long) LONGS.getVolatile(t, base(at));
    }

    /** Whether the entry's state word (lock bit aside) is still {@code seen}: what was read of it meanwhile holds. */
    boolean unchanged(long[] t, int at, long seen) {
      return (((long) LONGS.getVolatile(t, base(at)) ^ seen) & ~LOCK) == 0;
    }

    long amount(long[] t, int at) {
      return t[base(at) + AMOUNT];
    }

    long actual(long[] t, int at) {
      return t[base(at) + ACTUAL];
    }

    long expiresAt(long[] t, int at) {
      return t[base(at) + EXPIRES] >> CHARGE_BITS;
    }

    Object charge(long[] t, int at) {
      return charges[chargeIndex(t, base(at))];
    }

    /** Whether a purge is due: the estimate of slots used passed 5/8 of them. */
    boolean crowded(long[] t) {
      return (long) LONGS.getOpaque(t, USED) * 8 > slotsIn(t) * 5L;
    }

    /** The number of purges {@code t} went through (read under a home lock, passed to {@link #purge}). */
    long purges(long[] t) {
      return t[PURGES];
    }

    /**
     * The register index of {@code charge} in this segment, registering it; -1 if the register is
     * full (a purge compacts it). Called under a home lock.
     */
    int register(Charged charge) {
      int i = charge.index[PAD + number];
      Object[] cs = charges;
      if (i >= 0 && i < cs.length && cs[i] == charge) {
        return i;
      }
      synchronized (registry) {
        Integer k = chargeIndex.get(charge);
        if (k == null) {
          if (nCharges >= chargeLimit) {
            return -1;
          }
          if (nCharges == charges.length) {
            charges = Arrays.copyOf(charges, nCharges * 2);
          }
          k = nCharges++;
          charges[k] = charge;
          chargeIndex.put(charge, k);
        }
        charge.index[PAD + number] = k;
        return k;
      }
    }

    /**
     * Purges {@code seen} unless a purge already did since {@code purges} was read of it: freezes
     * the segment, waits for every home lock to be released, drops forgotten entries, expires
     * reservations past their time to live (telling {@code expiry}), compacts the register, and
     * re-places the live entries in a table of four times their number: the same array when that is
     * its size and it has a slot that was empty before the purge, else a new one.
     */
    void purge(long[] seen, long purges, long now, Expiry expiry) {
      synchronized (this) {
        long[] t = slots;
        if (t != seen || t[PURGES] != purges) {
          return;
        }
        frozen = true;
        try {
          int cap = slotsIn(t);
          // alone once every lock taken before `frozen` is released: an operation that takes one
          // after sees `frozen` and lets go at once. One holding home h writes slots h to h + 31,
          // so slot i is final once the locks up to i are free; those of the last slots first, as
          // their writes wrap to the first ones.
          for (int i = Math.max(0, cap - MAX_PROBE); i < cap; i++) {
            awaitUnlocked(t, i);
          }
          int live = 0;
          int start = -1; // a slot empty before the purge: no probe sequence crosses it
          for (int i = 0; i < cap; i++) {
            awaitUnlocked(t, i);
            long w = t[base(i)] & ~LOCK;
            int st = state(w);
            if (st == EMPTY) {
              start = start < 0 ? i : start;
            } else if (remembers(w, now)) {
              live++;
            }
          }
          int want = Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, live) * 4 - 1) << 1);
          boolean tooMany = (long) want * STRIDE > Integer.MAX_VALUE - HEAD - TAIL;
          if (tooMany) {
            want = cap; // keep the size, purge, and say so
          }
          // what allocates (and so may fail) comes before the first write: the table leaves a purge
          // whole, whatever is thrown
          Object[] before = charges; // the indices in the slots are into this until re-placed
          int[] renumber = compactRegister(t, now);
          long[] nt = want == cap && start >= 0 ? t : newSlots(want);
          for (int i = 0; i < cap; i++) {
            int b = base(i);
            long w = t[b] & ~LOCK;
            int st = state(w);
            if (pastTtl(t, b, st, now)) {
              w = word(EXPIRED, now);
              expiry.expired(before[chargeIndex(t, b)], t[b + AMOUNT]);
            } else if (st == CLAIMED || stale(w, now)) {
              w = 0;
            }
            t[b] = w;
          }
          if (nt == t) {
            replaceInPlace(t, start, renumber);
          } else {
            copyLive(t, nt, renumber);
          }
          nt[USED] = live;
          nt[PURGES] = t[PURGES] + 1;
          slots = nt;
          if (tooMany) {
            throw new IllegalStateException("the ledger remembers too many request ids (" + live
                + " in one segment): shorten the idempotency window or the reservation TTL");
          }
        } finally {
          frozen = false;
        }
      }
    }

    private static void awaitUnlocked(long[] t, int slot) {
      int b = base(slot);
      for (int round = 0; ((long) LONGS.getVolatile(t, b) & LOCK) != 0; round++) {
        backOff(round);
      }
    }

    /**
     * Keeps in the register only the charges that the entries the purge keeps refer to; returns the
     * new index of each old one (null when nothing is dropped: the register is kept as it is while
     * under half its limit). Reads the table, writes none of it: the slots are renumbered as they
     * are re-placed.
     */
    private int[] compactRegister(long[] t, long now) {
      if (nCharges < chargeLimit / 2) {
        return null; // no registration runs during a purge: each holds a home lock
      }
      synchronized (registry) {
        Object[] old = charges;
        int[] renumber = new int[nCharges];
        Arrays.fill(renumber, -1);
        Object[] kept = new Object[Math.max(4, Math.min(nCharges, 64))];
        int n = 0;
        for (int i = 0, cap = slotsIn(t); i < cap; i++) {
          int b = base(i);
          long w = t[b] & ~LOCK;
          if (remembers(w, now)) {
            int c = chargeIndex(t, b);
            if (renumber[c] < 0) {
              if (n == kept.length) {
                kept = Arrays.copyOf(kept, n * 2);
              }
              renumber[c] = n;
              kept[n++] = old[c];
            }
          }
        }
        if (n > CHARGE_MASK) {
          throw new IllegalStateException("more than " + (CHARGE_MASK + 1)
              + " distinct lists of scopes are open in one segment of the ledger");
        }
        chargeIndex.clear();
        for (int i = 0; i < n; i++) {
          chargeIndex.put(kept[i], i);
        }
        nCharges = n;
        chargeLimit = Math.max(64, n * 2);
        charges = kept;
        return renumber;
      }
    }

    private static void renumber(long[] t, int b, int[] renumber) {
      if (renumber != null) {
        t[b + EXPIRES] = t[b + EXPIRES] & ~CHARGE_MASK | renumber[chargeIndex(t, b)];
      }
    }

    /** Copies the live entries of {@code t} (dropped ones are already EMPTY) into the empty {@code nt}. */
    private static void copyLive(long[] t, long[] nt, int[] renumber) {
      int nm = slotsIn(nt) - 1;
      for (int i = 0, cap = slotsIn(t); i < cap; i++) {
        int b = base(i);
        if ((t[b] & ~LOCK) != 0) {
          renumber(t, b, renumber);
          int j = (int) t[b + H1] & nm;
          while (nt[base(j)] != 0) {
            j = j + 1 & nm;
          }
          System.arraycopy(t, b, nt, base(j), STRIDE);
          nt[base(j)] &= ~LOCK; // a lock bit belongs to a slot, never to the entry in it
        }
      }
    }

    /**
     * Re-places the live entries of {@code t} in place (dropped ones are already EMPTY). Starting
     * after {@code start}, a slot that was empty before the purge (so every probe sequence lies
     * within one run between such slots, and each run is taken from its beginning), each live
     * entry in turn moves to the first empty slot from its home if that comes before where it is:
     * entries only move back within their run, into slots already final, so no probe sequence is
     * left broken. Allocates nothing.
     */
    private static void replaceInPlace(long[] t, int start, int[] renumber) {
      int m = slotsIn(t) - 1;
      for (int k = 1; k <= m + 1; k++) {
        int i = start + k & m;
        int b = base(i);
        if ((t[b] & ~LOCK) == 0) {
          continue;
        }
        renumber(t, b, renumber);
        int j = (int) t[b + H1] & m;
        while (j != i && (t[base(j)] & ~LOCK) != 0) {
          j = j + 1 & m;
        }
        if (j != i) {
          int d = base(j);
          for (int f = 1; f < STRIDE; f++) {
            t[d + f] = t[b + f];
          }
          t[d] = t[b] & ~LOCK; // a lock bit belongs to a slot, never to the entry in it: one taken by
          t[b] = 0;            // a caller backing off from the frozen segment is cleared by that caller
        } else {
          t[b] &= ~LOCK;
        }
      }
    }

    /**
     * Expires the reservations whose time to live ended by {@code now}, each under its home lock,
     * telling {@code expiry}; returns how many. Purges the segment if it holds 16 times fewer live
     * entries than it has slots (a burst is over: the memory goes back).
     */
    int expire(long now, Expiry expiry) {
      int n = 0;
      scan:
      while (true) {
        int live = 0;
        long[] t = slots;
        long purges = t[PURGES];
        int cap = slotsIn(t);
        for (int i = 0; i < cap; i++) {
          int b = base(i);
          long w = (long) LONGS.getVolatile(t, b);
          int st = state(w);
          if (pastTtl(t, b, st, now)) {
            long h1 = t[b + H1];
            if (!lockIn(t, home(t, h1), purges)) {
              continue scan; // purged meanwhile: start again on what the purge left
            }
            try {
              w = (long) LONGS.getVolatile(t, b);
              if (t[b + H1] == h1 && pastTtl(t, b, state(w), now)) {
                expiry.expired(charges[chargeIndex(t, b)], t[b + AMOUNT]);
                setState(t, b, word(EXPIRED, now));
                n++;
              }
            } finally {
              unlock(t, h1);
            }
          }
          if (remembers(w, now)) {
            live++;
          }
        }
        if (cap > MIN_CAPACITY && live * 16 < cap) {
          purge(t, purges, now, expiry);
        }
        return n;
      }
    }

    /** Ids remembered at {@code now}: open reservations, and ids finished within the window. Exact when nothing runs meanwhile. */
    int remembered(long now) {
      long[] t = slots;
      int n = 0;
      for (int i = 0, cap = slotsIn(t); i < cap; i++) {
        long w = (long) LONGS.getVolatile(t, base(i));
        if (remembers(w, now)) {
          n++;
        }
      }
      return n;
    }

    /** Slots in the segment now. */
    int capacity() {
      return slotsIn(slots);
    }
  }
}
