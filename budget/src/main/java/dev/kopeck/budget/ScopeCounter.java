package dev.kopeck.budget;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One scope in one period, for {@link InMemoryLedger}: an atomic {@code used} (spent + reserved +
 * leased) checked against the limit with compare-and-set, and, once two threads have collided on
 * it, a cell per thread stripe (as {@link java.util.concurrent.atomic.LongAdder} does) holding that
 * stripe's spending and a lease: money already counted in {@code used} that the stripe may reserve
 * without touching the shared counter. A lease is a fraction of what is left, so it shrinks near the
 * limit; before a refusal every lease is recalled, so a request is never refused for money that
 * sits unused in another thread's lease.
 */
final class ScopeCounter {
  /** Longs per stripe: the lease, the spending, and padding to 128 bytes against false sharing. */
  private static final int PAD = 16;

  /**
   * Where a stripe's cell starts. The first and last 128 bytes of the array are left empty: the
   * array's header (its length, read by every bounds check) and whatever object follows the array
   * must not share a cache line with a cell that one thread writes all the time. Without this, the
   * first stripe's writes slowed every other thread's reads of the length: 2 threads on shared
   * scopes did 3.5–4.4 M pairs/s with it and 6.3 M without (BudgetBenchmark, window 0).
   */
  private static int at(int stripe) {
    return (stripe + 1) * PAD;
  }
  private static final int STRIPES = stripes();
  /** Unlimited scopes lease against this bound, never refused by it. */
  private static final long UNLIMITED = Long.MAX_VALUE / 2;
  private static final AtomicInteger NEXT_STRIPE = new AtomicInteger();
  private static final ThreadLocal<int[]> STRIPE =
      ThreadLocal.withInitial(() -> new int[] {NEXT_STRIPE.getAndIncrement() & (STRIPES - 1)});

  final Scope scope;
  final String periodId;
  private final AtomicLong used = new AtomicLong();
  private final AtomicLong spent = new AtomicLong();
  private volatile AtomicLongArray cells;
  /** Bit i: thresholds[i] has fired this period. */
  private final AtomicInteger fired = new AtomicInteger();

  ScopeCounter(Scope scope, String periodId) {
    this.scope = scope;
    this.periodId = periodId;
  }

  private static int stripes() {
    int n = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 2 - 1) * 2;
    return Math.max(2, Math.min(64, n));
  }

  /** This thread's stripe: distinct for the first threads that ask, shared round-robin after. */
  static int stripe() {
    return STRIPE.get()[0];
  }

  /**
   * Reserves {@code amount} against {@code limit} (-1: none); false if the limit would be passed,
   * counting every lease as returned.
   */
  boolean take(long amount, long limit, int stripe) {
    AtomicLongArray cs = cells;
    if (cs != null) {
      int i = at(stripe);
      long l = cs.get(i);
      if (l >= amount && cs.compareAndSet(i, l, l - amount)) {
        return true;
      }
    }
    long bound = limit < 0 ? UNLIMITED : limit;
    boolean recalled = false;
    while (true) {
      long u = used.get();
      long left = bound - u;
      if (left < amount) {
        if (limit < 0) { // unlimited: never refused, and exact up to Long.MAX_VALUE
          Math.addExact(u, amount);
          used.addAndGet(amount);
          return true;
        }
        if (cs == null || recalled) {
          return false;
        }
        recall(cs);
        recalled = true;
        continue;
      }
      // with cells, take a share of what is left as this stripe's lease (none once a recall was needed)
      long lease = cs == null || recalled ? 0 : (left - amount) / (STRIPES * 8L);
      if (used.compareAndSet(u, u + amount + lease)) {
        if (lease > 0) {
          cs.getAndAdd(at(stripe), lease);
        }
        return true;
      }
      if (cs == null) {
        cs = inflate();
      }
    }
  }

  /** Money held for this counter and no longer needed: back to the stripe's lease, or to the pool. */
  void giveBack(long amount, int stripe) {
    if (amount == 0) {
      return;
    }
    AtomicLongArray cs = cells;
    if (cs != null) {
      cs.getAndAdd(at(stripe), amount);
    } else {
      used.addAndGet(-amount);
    }
  }

  /** Money held and no longer needed, back to the shared pool (an expired reservation). */
  void returnToPool(long amount) {
    used.addAndGet(-amount);
  }

  /** Records {@code actual} spent in place of {@code held} reserved; never refused. */
  void spend(long actual, long held, int stripe) {
    AtomicLongArray cs = cells;
    if (cs == null) {
      spent.addAndGet(actual);
      if (actual != held) {
        used.addAndGet(actual - held);
      }
      return;
    }
    int i = at(stripe);
    cs.getAndAdd(i + 1, actual);
    long more = actual - held;
    if (more <= 0) {
      if (more < 0) {
        cs.getAndAdd(i, -more);
      }
      return;
    }
    long l = cs.get(i); // overspend: from the lease while it lasts, then from the pool
    while (l > 0) {
      long t = Math.min(l, more);
      if (cs.compareAndSet(i, l, l - t)) {
        more -= t;
        break;
      }
      l = cs.get(i);
    }
    if (more > 0) {
      used.addAndGet(more);
    }
  }

  /** Spent this period, exactly (a sum over the stripes). */
  long spent() {
    long s = spent.get();
    AtomicLongArray cs = cells;
    if (cs != null) {
      for (int i = 0; i < STRIPES; i++) {
        s += cs.get(at(i) + 1);
      }
    }
    return s;
  }

  /** Spent plus reserved (leases not counted). */
  long used() {
    AtomicLongArray cs = cells;
    long leased = 0;
    if (cs != null) {
      for (int i = 0; i < STRIPES; i++) {
        leased += cs.get(at(i));
      }
    }
    return used.get() - leased;
  }

  /** What is left under {@code limit} now, leases counted as returned. */
  long left(long limit) {
    return limit - used();
  }

  /** Returns every stripe's lease to the shared pool (before a refusal, or when a limit changes). */
  void recall() {
    AtomicLongArray cs = cells;
    if (cs != null) {
      recall(cs);
    }
  }

  private void recall(AtomicLongArray cs) {
    for (int i = 0; i < STRIPES; i++) {
      if (cs.get(at(i)) != 0) {
        long l = cs.getAndSet(at(i), 0);
        used.addAndGet(-l);
      }
    }
  }

  AtomicLongArray inflate() { // package-private: tests force what contention would
    synchronized (this) {
      if (cells == null) {
        cells = new AtomicLongArray((STRIPES + 2) * PAD);
      }
      return cells;
    }
  }

  /**
   * Tells {@code listener} of each threshold (ascending percentages of {@code limit}) this
   * counter's spending has crossed for the first time this period, each once. Cheap while none can
   * be near: spending is never more than {@code used}.
   */
  void fireCrossed(int[] thresholds, long limit, BudgetListener listener) {
    if (limit <= 0) {
      return;
    }
    int mask = fired.get();
    int k = Integer.numberOfTrailingZeros(~mask);
    if (k >= thresholds.length || !atLeast(used.get(), thresholds[k], limit)) {
      return;
    }
    long s = spent();
    for (int t = k; t < thresholds.length; t++) {
      if (atLeast(s, thresholds[t], limit) && setFired(t)) {
        listener.thresholdCrossed(scope, periodId, thresholds[t], s, limit);
      }
    }
  }

  private boolean setFired(int t) {
    while (true) {
      int m = fired.get();
      if ((m & 1 << t) != 0) {
        return false;
      }
      if (fired.compareAndSet(m, m | 1 << t)) {
        return true;
      }
    }
  }

  /** {@code amount * 100 >= percent * limit}, exactly (128-bit products). */
  static boolean atLeast(long amount, int percent, long limit) {
    long ah = Math.multiplyHigh(amount, 100);
    long al = amount * 100;
    long bh = Math.multiplyHigh((long) percent, limit);
    long bl = percent * limit;
    return ah != bh ? ah > bh : Long.compareUnsigned(al, bl) >= 0;
  }
}
