package dev.kopeck.budget;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A ledger for one JVM, lock-free: each scope and period has an atomic "used" counter (spent plus
 * reserved) and an atomic "spent" counter. A reservation adds to every scope's used counter with
 * compare-and-set, refusing if a limit would be passed, and takes back what it added when a later
 * scope refuses (so a concurrent request may be refused while it is in flight, never granted past a
 * limit). Request ids are remembered for one to two {@code idempotencyWindow}s after they finish, so
 * retries within a window count once.
 */
public final class InMemoryLedger implements BudgetLedger {
  private static final int RESERVED = 0;
  private static final int COMMITTED = 1;
  private static final int RELEASED = 2;
  private static final int EXPIRED = 3;

  private final Clock clock;
  private final PeriodIds periods;
  private final Duration ttl;
  private final long windowMillis;
  private final int[] thresholds;
  private final BudgetListener listener;
  private final ConcurrentHashMap<Scope, Config> limits = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  /** Each scope's counter in its current period, so the hot path builds no key. */
  private final ConcurrentHashMap<Scope, Counter> current = new ConcurrentHashMap<>();
  /**
   * Request ids in two generations: every window, the older one is dropped and the younger becomes
   * older; reservations still open are carried into the new young one. A finished id is thus
   * remembered for one to two windows, and no per-request queue is kept.
   */
  private volatile ConcurrentHashMap<String, Res> young = new ConcurrentHashMap<>();
  private volatile ConcurrentHashMap<String, Res> old = new ConcurrentHashMap<>();
  private volatile long rotateAt;

  private record Config(long limit, Period period) {}

  /** One scope in one period. */
  private static final class Counter {
    final Scope scope;
    final String periodId;
    final AtomicLong used = new AtomicLong();
    final AtomicLong spent = new AtomicLong();
    final Set<Integer> fired = ConcurrentHashMap.newKeySet();

    Counter(Scope scope, String periodId) {
      this.scope = scope;
      this.periodId = periodId;
    }
  }

  private static final class Res {
    final String id;
    final Counter[] counters;
    final long[] limits;
    final long amount;
    final long expiresAt;
    final AtomicInteger state = new AtomicInteger(RESERVED);
    volatile Commit commit;
    final Admission.Reservation answer;

    Res(String id, Counter[] counters, long[] limits, long amount, long expiresAt, Admission.Reservation answer) {
      this.id = id;
      this.counters = counters;
      this.limits = limits;
      this.amount = amount;
      this.expiresAt = expiresAt;
      this.answer = answer;
    }
  }

  private InMemoryLedger(Builder b) {
    LedgerBuilder.Settings st = b.settings();
    this.clock = st.clock();
    this.periods = new PeriodIds(st.zone());
    this.ttl = st.ttl();
    this.windowMillis = st.window().toMillis();
    this.thresholds = st.thresholds();
    this.listener = st.listener();
    this.rotateAt = clock.millis() + windowMillis;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Configuration: the settings of {@link LedgerBuilder}; nothing of its own. */
  public static final class Builder extends LedgerBuilder<Builder> {
    private Builder() {}

    public InMemoryLedger build() {
      return new InMemoryLedger(this);
    }
  }

  private Config config(Scope s) {
    Config c = limits.get(s);
    return c != null ? c : new Config(-1, Period.NONE);
  }

  private Counter counter(Scope s, Period p, long now) {
    String pid = periods.id(p, now);
    Counter c = current.get(s);
    if (c != null && c.periodId.equals(pid)) {
      return c;
    }
    c = counters.computeIfAbsent(s.name() + '\u0000' + pid, k -> new Counter(s, pid));
    current.put(s, c);
    return c;
  }

  private Res find(String requestId) {
    Res r = young.get(requestId);
    return r != null ? r : old.get(requestId);
  }

  /** Drops the older generation of request ids once a window has passed; carries open reservations. */
  private void rotate(long now) {
    if (now < rotateAt) {
      return;
    }
    synchronized (this) {
      if (now < rotateAt) {
        return;
      }
      // sized for a window like the last one, so the hot path does not pay for resizing
      ConcurrentHashMap<String, Res> next = new ConcurrentHashMap<>(Math.max(16, young.size() * 2));
      for (Res r : old.values()) {
        if (r.state.get() == RESERVED) {
          next.putIfAbsent(r.id, r);
        }
      }
      for (Res r : young.values()) {
        if (r.state.get() == RESERVED) {
          next.putIfAbsent(r.id, r);
        }
      }
      // the young generation stays readable as the old one; open reservations live on in both
      old = young;
      young = next;
      rotateAt = now + Math.max(1, windowMillis);
    }
  }


  @Override
  public Admission reserve(String requestId, List<Scope> scopes, long maxCostNanos) {
    BudgetLedger.requireValid(requestId, scopes, maxCostNanos);
    Res known = find(requestId);
    if (known != null) {
      return replay(known);
    }
    Admission a = tryReserve(requestId, scopes, maxCostNanos);
    if (!a.granted() && expire() > 0) {
      a = tryReserve(requestId, scopes, maxCostNanos); // abandoned reservations were holding money
    }
    return a;
  }

  private Admission replay(Res r) {
    Admission.Reservation a = r.answer;
    return new Admission.Reservation(a.requestId(), a.scopes(), a.amountNanos(), a.expiresAt(), true);
  }

  private Admission tryReserve(String requestId, List<Scope> scopes, long amount) {
    long now = clock.millis();
    int n = scopes.size();
    Counter[] cs = new Counter[n];
    long[] lims = new long[n];
    for (int i = 0; i < n; i++) {
      Config c = config(scopes.get(i));
      cs[i] = counter(scopes.get(i), c.period, now);
      lims[i] = c.limit;
    }
    for (int i = 0; i < n; i++) {
      AtomicLong used = cs[i].used;
      while (true) {
        long u = used.get();
        long next = Math.addExact(u, amount);
        if (lims[i] >= 0 && next > lims[i]) {
          for (int k = 0; k < i; k++) {
            cs[k].used.addAndGet(-amount);
          }
          return new Admission.Refusal(requestId, cs[i].scope, cs[i].periodId, lims[i], lims[i] - u, amount);
        }
        if (used.compareAndSet(u, next)) {
          break;
        }
      }
    }
    long expires = now + ttl.toMillis();
    Admission.Reservation answer = new Admission.Reservation(requestId, scopes, amount, Instant.ofEpochMilli(expires),
        false);
    Res r = new Res(requestId, cs, lims, amount, expires, answer);
    rotate(now);
    Res raced = young.putIfAbsent(requestId, r);
    if (raced != null) { // the same request reserved twice at once: keep the first
      for (Counter c : cs) {
        c.used.addAndGet(-amount);
      }
      return replay(raced);
    }
    return answer;
  }

  @Override
  public Commit commit(String requestId, long actualNanos) {
    if (actualNanos < 0) {
      throw new IllegalArgumentException("an actual cost must not be negative: " + actualNanos);
    }
    Res r = find(requestId);
    if (r == null) {
      throw new IllegalStateException("no reservation for request " + requestId
          + " (never reserved, or finished longer ago than the idempotency window)");
    }
    while (true) {
      int st = r.state.get();
      if (st == COMMITTED) {
        Commit c = r.commit;
        while (c == null) {
          Thread.onSpinWait(); // the first commit is writing its answer
          c = r.commit;
        }
        return new Commit(c.requestId(), c.actualNanos(), c.reservedNanos(), c.overspendNanos(), true);
      }
      if (r.state.compareAndSet(st, COMMITTED)) {
        long held = st == RESERVED ? r.amount : 0; // released or expired reservations no longer hold money
        for (int i = 0; i < r.counters.length; i++) {
          Counter c = r.counters[i];
          c.used.addAndGet(actualNanos - held);
          long spent = c.spent.addAndGet(actualNanos);
          fire(c, r.limits[i], spent);
        }
        Commit c = new Commit(requestId, actualNanos, r.amount, Math.max(0, actualNanos - r.amount), false);
        r.commit = c;
        return c;
      }
    }
  }

  /** Tells the listener of each threshold the scope's spending crossed, once per period (limit as reserved). */
  private void fire(Counter c, long limit, long spent) {
    if (limit <= 0 || thresholds.length == 0) {
      return;
    }
    for (int t : thresholds) {
      if (spent * 100 >= (long) t * limit && c.fired.add(t)) {
        listener.thresholdCrossed(c.scope, c.periodId, t, spent, limit);
      }
    }
  }

  @Override
  public boolean release(String requestId) {
    Res r = find(requestId);
    if (r == null || !r.state.compareAndSet(RESERVED, RELEASED)) {
      return false;
    }
    for (Counter c : r.counters) {
      c.used.addAndGet(-r.amount);
    }
    return true;
  }

  @Override
  public int expire() {
    long now = clock.millis();
    rotate(now);
    int n = 0;
    for (ConcurrentHashMap<String, Res> gen : List.of(young, old)) {
      for (Res r : gen.values()) {
        if (r.expiresAt <= now && r.state.compareAndSet(RESERVED, EXPIRED)) {
          for (Counter c : r.counters) {
            c.used.addAndGet(-r.amount);
          }
          n++;
        }
      }
    }
    return n;
  }

  @Override
  public Admission probe(List<Scope> scopes, long amountNanos) {
    BudgetLedger.requireValid("probe", scopes, amountNanos);
    long now = clock.millis();
    for (Scope s : scopes) {
      Config c = config(s);
      String pid = periods.id(c.period, now);
      Counter k = counters.get(s.name() + '\u0000' + pid);
      long used = k == null ? 0 : k.used.get();
      if (c.limit >= 0 && used + amountNanos > c.limit) {
        return new Admission.Refusal("probe", s, pid, c.limit, c.limit - used, amountNanos);
      }
    }
    return new Admission.Reservation("probe", scopes, amountNanos, Instant.ofEpochMilli(now), false);
  }

  @Override
  public ScopeStatus status(Scope scope) {
    Config c = config(scope);
    String pid = periods.id(c.period, clock.millis());
    Counter k = counters.get(scope.name() + '\u0000' + pid);
    long used = k == null ? 0 : k.used.get();
    long spent = k == null ? 0 : k.spent.get();
    return new ScopeStatus(scope, c.period, pid, c.limit, spent, used - spent);
  }

  @Override
  public void setLimit(Scope scope, long limitNanos, Period period) {
    Objects.requireNonNull(period, "period");
    if (limitNanos < -1) {
      throw new IllegalArgumentException("a limit must be -1 (none) or more: " + limitNanos);
    }
    if (limitNanos == -1 && period == Period.NONE) {
      limits.remove(scope);
    } else {
      limits.put(scope, new Config(limitNanos, period));
    }
  }

  @Override
  public void reset(Scope scope) {
    Config c = config(scope);
    counters.remove(scope.name() + '\u0000' + periods.id(c.period, clock.millis()));
    current.remove(scope);
  }

  /** Request ids remembered now (open reservations, and ids finished within the last one or two windows). */
  public int remembered() {
    java.util.Set<String> ids = new java.util.HashSet<>(young.keySet());
    ids.addAll(old.keySet());
    return ids.size();
  }
}
