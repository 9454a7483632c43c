package dev.kopeck.budget;

import dev.kopeck.budget.internal.LedgerSettings;
import dev.kopeck.budget.internal.Ledgers;
import dev.kopeck.budget.internal.PeriodIds;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A ledger for one JVM, built from the standard concurrent collections: requests in a {@link
 * ConcurrentHashMap} by id, each guarded by its own monitor; one counter per scope and period,
 * guarded by its own lock. A reservation locks the counters of its scopes in the order of their
 * names, checks every limit and charges them all, or none.
 *
 * <p>Open reservations wait in buckets of one second ordered by expiry, and finished requests in
 * buckets ordered by when they are to be forgotten: a sweep (at most once a second, run by whichever
 * call finds it due, and before a refusal) takes only the buckets that are due, so its cost follows
 * what expires, never the number of open requests. A reservation expires within a second after its
 * time to live; a finished id is remembered for at least the idempotency window. Counters of
 * periods that ended longer ago than the TTL and the window together are dropped.
 */
public final class InMemoryLedger implements BudgetLedger {
  private final Clock clock;
  private final PeriodIds periods;
  private final long ttlMillis;
  private final long windowMillis;
  private final int[] thresholds;
  private final BudgetListener listener;
  private final ConcurrentHashMap<Scope, ScopeState> scopes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Request> requests = new ConcurrentHashMap<>();
  private final Buckets open = new Buckets();
  private final Buckets finished = new Buckets();
  private final ReentrantLock sweeping = new ReentrantLock();
  /** The clock reading of the last sweep; a sweep is due when the clock has moved a second from it, either way. */
  private volatile long lastSweep;
  private volatile long lastEviction;

  private record Config(long limit, BudgetPeriod period, Currency currency) {}

  private static final Config NO_LIMIT = new Config(-1, BudgetPeriod.NONE, null);

  private enum State { RESERVED, COMMITTED, RELEASED, EXPIRED, REFUSED, FORGOTTEN }

  /** A scope: its limit, and a counter per period it has been used in. */
  private static final class ScopeState {
    final Scope scope;
    volatile Config config = NO_LIMIT;
    final ConcurrentHashMap<String, Counter> byPeriod = new ConcurrentHashMap<>();
    volatile Counter latest; // the counter used last: the current period's, nearly always

    ScopeState(Scope scope) {
      this.scope = scope;
    }
  }

  /** One scope in one period: what was spent and what is reserved. */
  private static final class Counter implements Comparable<Counter> {
    final Scope scope;
    final String periodId;
    final long until;
    final ReentrantLock lock = new ReentrantLock();
    long spent;
    long reserved;
    int fired; // bit i: thresholds[i] was told this period

    Counter(Scope scope, String periodId, long until) {
      this.scope = scope;
      this.periodId = periodId;
      this.until = until;
    }

    @Override
    public int compareTo(Counter o) {
      return scope.compareTo(o.scope);
    }
  }

  /** A request id and what became of it; every field is read and written under its monitor. */
  private static final class Request {
    final String id;
    final List<Scope> scopes;
    final List<Scope> sorted;
    final long amount;
    Counter[] counters; // sorted by scope: the order locks are taken in
    long[] limits; // each counter's limit when reserved, for the thresholds
    State state;
    long expiresAt;
    long actual;
    long finishedAt;
    Admission.Refusal refusal;
    Buckets.Bucket waiting; // the bucket of open reservations this one waits in to expire

    /** The id's hash, which the request map computed already: an identity hash is a call into the VM. */
    @Override
    public int hashCode() {
      return id.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      return this == o;
    }

    Request(String id, List<Scope> scopes, long amount) {
      this.id = id;
      this.scopes = List.copyOf(scopes);
      if (this.scopes.size() == 1) {
        this.sorted = this.scopes;
      } else {
        Scope[] a = this.scopes.toArray(new Scope[0]);
        Arrays.sort(a);
        this.sorted = List.of(a);
      }
      this.amount = amount;
    }
  }

  /**
   * Requests by a time rounded up to the second; the due ones are taken whole. A request leaves its
   * bucket early when it no longer needs to be there (a reservation committed or released), so a
   * bucket holds only what is still waiting.
   */
  private static final class Buckets {
    private final ConcurrentSkipListMap<Long, Bucket> byTime = new ConcurrentSkipListMap<>();
    /** The bucket added to last: the next add nearly always goes to it. */
    private volatile Bucket last;

    static final class Bucket {
      final Set<Request> requests = ConcurrentHashMap.newKeySet();
      final long key;
      final long created;
      boolean closed; // taken by a sweep, or dropped empty: adds go to a new bucket

      Bucket(long key, long created) {
        this.key = key;
        this.created = created;
      }
    }

    /** Adds {@code r} to the bucket of time {@code at}, and returns the bucket. */
    Bucket add(long at, Request r, long now) {
      long key = Math.floorDiv(at, 1000) * 1000 + (Math.floorMod(at, 1000) == 0 ? 0 : 1000);
      while (true) {
        Bucket b = last;
        if (b == null || b.key != key) {
          b = byTime.computeIfAbsent(key, k -> new Bucket(k, now));
          last = b;
        }
        synchronized (b) {
          if (!b.closed) {
            b.requests.add(r);
            return b;
          }
        }
        last = null;
      }
    }

    /** Takes every bucket due by {@code now}. */
    List<Request> due(long now) {
      List<Request> out = new ArrayList<>();
      for (Map.Entry<Long, Bucket> e = byTime.firstEntry(); e != null && e.getKey() <= now; e = byTime.firstEntry()) {
        Bucket b = e.getValue();
        synchronized (b) {
          b.closed = true;
        }
        byTime.remove(e.getKey(), b);
        out.addAll(b.requests);
      }
      return out;
    }

    /**
     * Drops the buckets that emptied (their requests all finished) and take no more adds (made over
     * two seconds ago): a set that held a second's requests keeps its table, which would otherwise
     * stay until the bucket is due.
     */
    void dropEmpty(long now) {
      for (Bucket b : byTime.values()) {
        if (Math.abs(now - b.created) > 2000 && b.requests.isEmpty()) {
          synchronized (b) {
            if (!b.closed && b.requests.isEmpty()) {
              b.closed = true;
              byTime.remove(b.key, b);
            }
          }
        }
      }
    }

    boolean anyDue(long now) {
      Map.Entry<Long, Bucket> e = byTime.firstEntry();
      return e != null && e.getKey() <= now;
    }
  }

  private InMemoryLedger(LedgerSettings st) {
    this.clock = st.clock();
    this.periods = new PeriodIds(st.zone());
    this.ttlMillis = st.ttl().toMillis();
    this.windowMillis = st.window().toMillis();
    this.thresholds = st.thresholds();
    this.listener = st.listener();
    this.lastSweep = clock.millis();
    this.lastEviction = lastSweep;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Configuration: the settings of {@link LedgerBuilder}; nothing of its own. */
  public static final class Builder extends LedgerBuilder<Builder> {
    private Builder() {}

    public InMemoryLedger build() {
      return new InMemoryLedger(settings());
    }
  }

  private ScopeState state(Scope s) {
    return scopes.computeIfAbsent(s, ScopeState::new);
  }

  private Config config(Scope s) {
    ScopeState st = scopes.get(s);
    return st == null ? NO_LIMIT : st.config;
  }

  /** The scope's counter for the period holding {@code now}. */
  private Counter counter(ScopeState st, BudgetPeriod p, long now) {
    PeriodIds.Window w = periods.window(p, now);
    Counter k = st.latest;
    if (k != null && k.periodId.equals(w.id())) {
      return k;
    }
    k = st.byPeriod.computeIfAbsent(w.id(), id -> new Counter(st.scope, id, w.until()));
    st.latest = k;
    return k;
  }

  /** The scope's counter for the period holding {@code now}, or null if it has none. */
  private Counter existing(Scope s, Config c, long now) {
    ScopeState st = scopes.get(s);
    return st == null ? null : st.byPeriod.get(periods.id(c.period, now));
  }

  private static void lockAll(Counter[] cs) {
    for (Counter c : cs) {
      c.lock.lock();
    }
  }

  private static void unlockAll(Counter[] cs) {
    for (int i = cs.length - 1; i >= 0; i--) {
      cs[i].lock.unlock();
    }
  }

  @Override
  public Admission reserve(String requestId, List<Scope> scopes, long maxCostNanos) {
    Ledgers.requireValid(requestId, scopes, maxCostNanos);
    long now = clock.millis();
    maintain(now);
    Request fresh = new Request(requestId, scopes, maxCostNanos);
    while (true) {
      Request r;
      synchronized (fresh) {
        r = requests.putIfAbsent(requestId, fresh);
        if (r == null) {
          return take(fresh, now);
        }
      }
      synchronized (r) {
        if (r.state == State.FORGOTTEN) {
          continue; // forgotten while we looked: the id is free again
        }
        if (r.amount != maxCostNanos || !r.sorted.equals(fresh.sorted)) {
          throw Ledgers.conflict(requestId, "reserve with other scopes or another amount");
        }
        if (r.state == State.RESERVED && r.expiresAt <= now) { // past its TTL, not yet swept
          expire(r, now);
        }
        switch (r.state) {
          case RESERVED:
          case COMMITTED:
            return new Admission.Reservation(requestId, scopes, r.amount, Instant.ofEpochMilli(r.expiresAt), true);
          case REFUSED:
            return r.refusal;
          default: // released or expired: it holds nothing, so its retry reserves again
            return take(r, now);
        }
      }
    }
  }

  /** Charges every scope of {@code r} or none; the caller holds r's monitor. */
  private Admission take(Request r, long now) {
    Admission.Refusal refused = tryTake(r, now);
    if (refused != null && sweepExpired(now) > 0) {
      refused = tryTake(r, now); // abandoned reservations were holding the money
    }
    if (refused != null) {
      if (r.state == null) {
        r.state = State.REFUSED; // remembered: a retry gets the same answer
        r.refusal = refused;
        finish(r, now);
      }
      return refused;
    }
    r.state = State.RESERVED;
    r.expiresAt = now + ttlMillis;
    r.waiting = open.add(r.expiresAt, r, now);
    return new Admission.Reservation(r.id, r.scopes, r.amount, Instant.ofEpochMilli(r.expiresAt), false);
  }

  private Admission.Refusal tryTake(Request r, long now) {
    int n = r.sorted.size();
    Counter[] cs = new Counter[n];
    long[] lims = new long[n];
    for (int i = 0; i < n; i++) {
      ScopeState st = state(r.sorted.get(i));
      Config c = st.config;
      cs[i] = counter(st, c.period, now);
      lims[i] = c.limit;
    }
    lockAll(cs);
    try {
      for (int i = 0; i < n; i++) {
        long used = cs[i].spent + cs[i].reserved;
        if (used > Long.MAX_VALUE - r.amount) {
          throw tooLarge(cs[i], r.amount);
        }
        if (lims[i] >= 0 && used + r.amount > lims[i]) {
          // the refusal names the caller's first scope that refused, as the caller listed them
          return refusal(r, cs, lims, now);
        }
      }
      for (Counter c : cs) {
        c.reserved += r.amount;
      }
    } finally {
      unlockAll(cs);
    }
    r.counters = cs;
    r.limits = lims;
    return null;
  }

  /** The refusal by the first scope, in the caller's order, that cannot afford the amount; counters locked. */
  private static Admission.Refusal refusal(Request r, Counter[] cs, long[] lims, long now) {
    for (Scope s : r.scopes) {
      int i = r.sorted.indexOf(s);
      long used = cs[i].spent + cs[i].reserved;
      if (lims[i] >= 0 && used + r.amount > lims[i]) {
        return new Admission.Refusal(r.id, s, cs[i].periodId, lims[i], lims[i] - used, r.amount);
      }
    }
    throw new AssertionError("no scope refused");
  }

  private static IllegalArgumentException tooLarge(Counter c, long amount) {
    return Ledgers.tooLarge("an amount of " + amount, c.scope.name() + " (" + c.periodId + ")");
  }

  @Override
  public Commit commit(String requestId, long actualNanos) {
    Objects.requireNonNull(requestId, "requestId");
    if (actualNanos < 0) {
      throw new IllegalArgumentException("an actual cost must not be negative: " + actualNanos);
    }
    long now = clock.millis();
    maintain(now);
    Request r = requests.get(requestId);
    List<int[]> crossed = new ArrayList<>();
    Commit done;
    Counter[] cs;
    if (r == null) {
      throw Ledgers.unknown(requestId);
    }
    synchronized (r) {
      switch (r.state) {
        case FORGOTTEN:
        case REFUSED:
          throw Ledgers.unknown(requestId);
        case COMMITTED:
          if (r.actual != actualNanos) {
            throw Ledgers.conflict(requestId, "commit of another actual cost");
          }
          return new Commit(requestId, r.actual, r.amount, overspend(r.actual, r.amount), true);
        default:
          break;
      }
      long held = r.state == State.RESERVED ? r.amount : 0;
      cs = r.counters;
      lockAll(cs);
      try {
        for (Counter c : cs) { // all or nothing: check every counter before changing one
          if (c.spent > Long.MAX_VALUE - actualNanos || c.spent + c.reserved - held > Long.MAX_VALUE - actualNanos) {
            throw tooLarge(c, actualNanos);
          }
        }
        for (int i = 0; i < cs.length; i++) {
          Counter c = cs[i];
          c.reserved -= held;
          c.spent += actualNanos;
          for (int t = 0; t < thresholds.length; t++) {
            if ((c.fired & 1 << t) == 0 && r.limits[i] > 0 && atLeast(c.spent, thresholds[t], r.limits[i])) {
              c.fired |= 1 << t;
              crossed.add(new int[] {i, t});
            }
          }
        }
      } finally {
        unlockAll(cs);
      }
      boolean late = r.state == State.EXPIRED;
      done = new Commit(requestId, actualNanos, r.amount, overspend(actualNanos, held), false, late);
      r.state = State.COMMITTED;
      r.actual = actualNanos;
      finish(r, now);
    }
    for (int[] x : crossed) {
      Counter c = cs[x[0]];
      long limit = r.limits[x[0]];
      long spent;
      c.lock.lock();
      try {
        spent = c.spent;
      } finally {
        c.lock.unlock();
      }
      listener.thresholdCrossed(c.scope, c.periodId, thresholds[x[1]], spent, limit);
    }
    return done;
  }

  private static long overspend(long actual, long held) {
    return Math.max(0, actual - held);
  }

  @Override
  public boolean release(String requestId) {
    Objects.requireNonNull(requestId, "requestId");
    long now = clock.millis();
    maintain(now);
    Request r = requests.get(requestId);
    if (r == null) {
      return false;
    }
    synchronized (r) {
      if (r.state != State.RESERVED) {
        return false;
      }
      giveBack(r);
      r.state = State.RELEASED;
      finish(r, now);
      return true;
    }
  }

  /** An open reservation past its TTL: its money back, and it is finished. The caller holds r's monitor. */
  private void expire(Request r, long now) {
    giveBack(r);
    r.state = State.EXPIRED;
    finish(r, now);
  }

  /** An open reservation's money back to its counters; the caller holds r's monitor. */
  private static void giveBack(Request r) {
    lockAll(r.counters);
    try {
      for (Counter c : r.counters) {
        c.reserved -= r.amount;
      }
    } finally {
      unlockAll(r.counters);
    }
  }

  /** A request finished at {@code now}: forgotten after the window. The caller holds r's monitor. */
  private void finish(Request r, long now) {
    r.finishedAt = now;
    if (r.waiting != null) {
      r.waiting.requests.remove(r); // no longer waits to expire
      r.waiting = null;
    }
    if (windowMillis == 0) {
      forget(r);
    } else {
      finished.add(now + windowMillis, r, now);
    }
  }

  private void forget(Request r) {
    r.state = State.FORGOTTEN;
    requests.remove(r.id, r);
  }

  @Override
  public int expire() {
    return sweepExpired(clock.millis());
  }

  /** Expires the due reservations (none are looked at that are not due); returns how many. */
  private int sweepExpired(long now) {
    if (!open.anyDue(now) || !sweeping.tryLock()) {
      return 0;
    }
    int n = 0;
    try {
      for (Request r : open.due(now)) {
        synchronized (r) {
          if (r.state != State.RESERVED) {
            continue;
          }
          if (r.expiresAt > now) { // re-reserved after it expired once: its new expiry has its own bucket
            continue;
          }
          expire(r, now);
          n++;
        }
      }
    } finally {
      sweeping.unlock();
    }
    return n;
  }

  /** Once a second (by the clock, whichever way it moved): expire, forget, drop ended periods. */
  private void maintain(long now) {
    long last = lastSweep;
    if (Math.abs(now - last) < 1000) {
      return;
    }
    lastSweep = now;
    sweepExpired(now);
    if (!sweeping.tryLock()) {
      return;
    }
    try {
      for (Request r : finished.due(now)) {
        synchronized (r) {
          if (r.state == State.FORGOTTEN || r.state == State.RESERVED) {
            continue; // reserved again after it was released or expired
          }
          if (r.finishedAt + windowMillis > now) {
            continue; // finished again later (an expired reservation committed): a later bucket holds it
          }
          forget(r);
        }
      }
      open.dropEmpty(now);
      if (Math.abs(now - lastEviction) >= 60_000) {
        lastEviction = now;
        long keep = ttlMillis + windowMillis + 60_000;
        for (ScopeState st : scopes.values()) {
          st.byPeriod.values().removeIf(c -> c.until != Long.MAX_VALUE && c.until < now - keep);
        }
      }
    } finally {
      sweeping.unlock();
    }
  }

  @Override
  public Admission probe(List<Scope> scopes, long amountNanos) {
    Ledgers.requireValid("probe", scopes, amountNanos);
    long now = clock.millis();
    for (Scope s : scopes) {
      Config c = config(s);
      long[] u = usage(s, c, now);
      long used = u[0] + u[1];
      if (c.limit >= 0 && used + amountNanos > c.limit) {
        return new Admission.Refusal("probe", s, periods.id(c.period, now), c.limit, c.limit - used, amountNanos);
      }
    }
    return new Admission.Reservation("probe", scopes, amountNanos, Instant.ofEpochMilli(now), false);
  }

  /** Spent and reserved in the scope's current period. */
  private long[] usage(Scope s, Config c, long now) {
    Counter k = existing(s, c, now);
    if (k == null) {
      return new long[2];
    }
    k.lock.lock();
    try {
      return new long[] {k.spent, k.reserved};
    } finally {
      k.lock.unlock();
    }
  }

  @Override
  public ScopeStatus status(Scope scope) {
    Config c = config(scope);
    long now = clock.millis();
    long[] u = usage(scope, c, now);
    return new ScopeStatus(scope, c.period, periods.id(c.period, now), c.limit, u[0], u[1], c.currency);
  }

  @Override
  public void setLimit(Scope scope, long limitNanos, BudgetPeriod period, Currency currency) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(period, "period");
    if (limitNanos < -1) {
      throw new IllegalArgumentException("a limit must be -1 (none) or more: " + limitNanos);
    }
    state(scope).config = limitNanos == -1 && period == BudgetPeriod.NONE && currency == null ? NO_LIMIT
        : new Config(limitNanos, period, currency);
  }

  /**
   * Forgets what the scope spent this period and the thresholds told; reservations still open stay
   * reserved (they hold money until committed, released or expired).
   */
  @Override
  public void reset(Scope scope) {
    Config c = config(scope);
    Counter k = existing(scope, c, clock.millis());
    if (k == null) {
      return;
    }
    k.lock.lock();
    try {
      k.spent = 0;
      k.fired = 0;
    } finally {
      k.lock.unlock();
    }
  }

  @Override
  public void restoreSpent(Scope scope, long spentNanos) {
    if (spentNanos < 0) {
      throw new IllegalArgumentException("spentNanos must not be negative: " + spentNanos);
    }
    ScopeState st = scopes.computeIfAbsent(scope, ScopeState::new);
    Counter k = counter(st, st.config.period, clock.millis());
    k.lock.lock();
    try {
      k.spent = spentNanos;
    } finally {
      k.lock.unlock();
    }
  }

  /** Request ids remembered now: open reservations, and ids finished within the idempotency window. */
  public int remembered() {
    return requests.size();
  }

  /** Counters held, over every scope and period (for tests: past periods are dropped). */
  int countersHeld() {
    return scopes.values().stream().mapToInt(st -> st.byPeriod.size()).sum();
  }

  /** {@code amount * 100 >= percent * limit}, exactly (128-bit products). */
  static boolean atLeast(long amount, int percent, long limit) {
    long ah = Math.multiplyHigh(amount, 100);
    long al = amount * 100;
    long bh = Math.multiplyHigh((long) percent, limit);
    long bl = percent * limit;
    return ah != bh ? ah > bh : Long.compareUnsigned(al, bl) >= 0;
  }

  @Override
  public String toString() {
    return "InMemoryLedger[" + requests.size() + " request ids, " + scopes.size() + " scopes]";
  }
}
