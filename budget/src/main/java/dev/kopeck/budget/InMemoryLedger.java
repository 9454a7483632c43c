package dev.kopeck.budget;

import dev.kopeck.budget.internal.LedgerSettings;
import dev.kopeck.budget.internal.Ledgers;
import dev.kopeck.budget.internal.PeriodIds;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A ledger for one JVM. Money is counted lock-free: each scope and period has a {@link
 * ScopeCounter} whose atomic total is checked against the limit with compare-and-set, and which,
 * once threads collide on it, lets each thread stripe reserve from a lease of its own (a share of
 * what is left, recalled before any refusal), so racing threads do not queue on one cache line. A
 * reservation charges every scope or none: when a later scope refuses, the earlier ones get their
 * money back (so a concurrent request may be refused while it is in flight, never granted past a
 * limit).
 *
 * <p>Request ids live in a {@link RequestTable}: primitive arrays, no object per request, each id
 * as a 128-bit keyed fingerprint, each call locking only its id's home slot. A finished id is
 * remembered for the idempotency window after it finished, so a retry within the window counts
 * once; reservations past their time to live are expired by {@link #expire()}, by a refused
 * reserve, and by the table's purges.
 */
public final class InMemoryLedger implements BudgetLedger {
  private final Clock clock;
  private final PeriodIds periods;
  private final long ttlMillis;
  private final int[] thresholds;
  private final BudgetListener listener;
  private final RequestTable table;
  private final ConcurrentHashMap<Scope, Config> limits = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ScopeCounter> counters = new ConcurrentHashMap<>();
  /** The counters and limits a list of scopes charges, until a period ends or a limit changes. */
  private final ConcurrentHashMap<List<Scope>, Charge> charges = new ConcurrentHashMap<>();
  /**
   * The latest charges by the identity of their (immutable) list of scopes: a service that keeps its
   * lists skips hashing them. Racy on purpose: a charge is immutable, and a stale one is re-checked.
   */
  private final Charge[] recent = new Charge[64];
  /** Bumped by every limit change and reset, so cached charges are rebuilt. */
  private final AtomicInteger version = new AtomicInteger();
  /** A purge's expired reservations give their money back to the shared pool. */
  private final RequestTable.Expiry expiry = (charge, amount) -> {
    for (ScopeCounter k : ((Charge) charge).counters) {
      k.returnToPool(amount);
    }
  };

  private record Config(long limit, BudgetPeriod period, java.util.Currency currency) {}

  private static final Config NO_LIMIT = new Config(-1, BudgetPeriod.NONE, null);

  /** What one list of scopes charges: a counter and a limit per scope, valid in {@code [from, until)}. */
  private static final class Charge extends RequestTable.Charged {
    final List<Scope> scopes;
    final ScopeCounter[] counters;
    final long[] limits;
    final long from;
    final long until;
    final int version;

    Charge(List<Scope> scopes, ScopeCounter[] counters, long[] limits, long from, long until, int version) {
      this.scopes = scopes;
      this.counters = counters;
      this.limits = limits;
      this.from = from;
      this.until = until;
      this.version = version;
    }
  }

  private InMemoryLedger(LedgerSettings st) {
    this.clock = st.clock();
    this.periods = new PeriodIds(st.zone());
    this.ttlMillis = st.ttl().toMillis();
    this.thresholds = st.thresholds();
    this.listener = st.listener();
    this.table = new RequestTable(st.window().toMillis());
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

  private Config config(Scope s) {
    return limits.getOrDefault(s, NO_LIMIT);
  }

  private static String key(Scope s, String periodId) {
    return s.name() + '\u0000' + periodId;
  }

  private ScopeCounter counter(Scope s, String periodId) {
    return counters.computeIfAbsent(key(s, periodId), k -> new ScopeCounter(s, periodId));
  }

  private Charge charge(List<Scope> scopes, long now) {
    int slot = System.identityHashCode(scopes) & (recent.length - 1);
    Charge c = recent[slot];
    if (c == null || c.scopes != scopes) {
      c = charges.get(scopes);
    }
    if (c != null && c.version == version.get() && now >= c.from && now < c.until) {
      if (c.scopes == scopes && recent[slot] != c) { // written only when it changes: the line stays shared
        recent[slot] = c;
      }
      return c;
    }
    int v = version.get();
    List<Scope> key = List.copyOf(scopes);
    int n = key.size();
    ScopeCounter[] cs = new ScopeCounter[n];
    long[] lims = new long[n];
    long from = Long.MIN_VALUE;
    long until = Long.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      Config cfg = config(key.get(i));
      PeriodIds.Window w = periods.window(cfg.period, now);
      cs[i] = counter(key.get(i), w.id());
      lims[i] = cfg.limit;
      from = Math.max(from, w.from());
      until = Math.min(until, w.until());
    }
    c = new Charge(key, cs, lims, from, until, v);
    if (charges.size() >= 4096) {
      charges.clear(); // lists of scopes come and go (a user each): keep the recent ones
    }
    charges.put(key, c);
    if (key == scopes) {
      recent[slot] = c;
    }
    return c;
  }

  /**
   * What a thread last hashed, and its counter stripe: a commit that follows its reserve on the
   * same thread with the same id hashes nothing again.
   */
  private static final class Context extends ContextFields {
    long q00, q01, q02, q03, q04, q05, q06, q07;
  }

  /** Padding before a context's fields: they are written on every call, by one thread. */
  private abstract static class ContextPadding {
    long p00, p01, p02, p03, p04, p05, p06, p07;
  }

  private abstract static class ContextFields extends ContextPadding {
    final int stripe = ScopeCounter.stripe();
    /** The fingerprint at [H] and [H + 1], a cache line from either end of the array. */
    final long[] h = new long[H + 2 + 8];
    long ledger; // a serial number, not a reference: a thread must not keep a dropped ledger alive
    String id;
  }

  private static final int H = 8;

  private static final AtomicLong SERIALS = new AtomicLong();
  private final long serial = SERIALS.incrementAndGet();
  private static final ThreadLocal<Context> CONTEXT = ThreadLocal.withInitial(Context::new);

  private Context context(String requestId) {
    Context x = CONTEXT.get();
    if (x.id != requestId || x.ledger != serial) {
      table.hash(requestId, x.h, H);
      x.ledger = serial;
      x.id = requestId;
    }
    return x;
  }

  @Override
  public Admission reserve(String requestId, List<Scope> scopes, long maxCostNanos) {
    Ledgers.requireValid(requestId, scopes, maxCostNanos);
    return Ledgers.reserve(() -> tryReserve(requestId, scopes, maxCostNanos), this::expire);
  }

  private Admission tryReserve(String requestId, List<Scope> scopes, long amount) {
    long now = clock.millis();
    Context x = context(requestId);
    long h1 = x.h[H];
    long h2 = x.h[H + 1];
    RequestTable.Segment seg = table.segment(h1);
    while (true) {
      long[] t = seg.lock(h1);
      boolean locked = true;
      Admission granted = null;
      long purges = -1; // set when the segment is to be purged once its lock is released
      try {
        int at = seg.find(t, h1, h2, now);
        if (at >= 0) {
          Admission r = replay(seg, t, at, requestId);
          if (r != null) {
            return r;
          }
          continue; // forgotten and reused while read: look again
        }
        Charge c = charge(scopes, now);
        int ci = at == RequestTable.FULL ? -1 : seg.register(c);
        if (ci >= 0) {
          int stripe = x.stripe;
          ScopeCounter[] cs = c.counters;
          for (int i = 0; i < cs.length; i++) {
            if (!cs[i].take(amount, c.limits[i], stripe)) {
              for (int k = 0; k < i; k++) {
                cs[k].giveBack(amount, stripe);
              }
              long limit = c.limits[i];
              return new Admission.Refusal(requestId, cs[i].scope, cs[i].periodId, limit, cs[i].left(limit), amount);
            }
          }
          while (at != RequestTable.FULL && !seg.claim(t, -1 - at, h2, now)) {
            at = seg.find(t, h1, h2, now); // another id took the slot: the next free one
          }
          if (at != RequestTable.FULL) {
            long expires = now + ttlMillis;
            if (seg.crowded(t)) {
              purges = seg.purges(t);
            }
            locked = false;
            seg.fillAndUnlock(t, -1 - at, h1, h2, amount, expires, ci);
            granted = new Admission.Reservation(requestId, c.scopes, amount, Instant.ofEpochMilli(expires), false);
          } else {
            for (ScopeCounter k : cs) {
              k.giveBack(amount, stripe);
            }
          }
        }
        if (granted == null) { // no room near the home slot, or the register is full
          purges = seg.purges(t);
        }
      } finally {
        if (locked) {
          seg.unlock(t, h1);
        }
      }
      if (purges >= 0) {
        seg.purge(t, purges, now, expiry);
      }
      if (granted != null) {
        return granted;
      }
    }
  }

  /** A retried reserve's answer, or null if the entry was forgotten and its slot reused while it was read. */
  private static Admission replay(RequestTable.Segment seg, long[] t, int at, String requestId) {
    long w = seg.stateWord(t, at);
    Charge c = (Charge) seg.charge(t, at);
    long amount = seg.amount(t, at);
    long expires = seg.expiresAt(t, at);
    if (!seg.unchanged(t, at, w)) {
      return null;
    }
    return new Admission.Reservation(requestId, c.scopes, amount, Instant.ofEpochMilli(expires), true);
  }

  @Override
  public Commit commit(String requestId, long actualNanos) {
    Objects.requireNonNull(requestId, "requestId");
    if (actualNanos < 0) {
      throw new IllegalArgumentException("an actual cost must not be negative: " + actualNanos);
    }
    long now = clock.millis();
    Context x = context(requestId);
    long h1 = x.h[H];
    long h2 = x.h[H + 1];
    RequestTable.Segment seg = table.segment(h1);
    Charge c;
    long amount;
    int before;
    while (true) {
      long[] t = seg.lock(h1);
      boolean locked = true;
      try {
        int at = seg.find(t, h1, h2, now);
        if (at < 0) {
          throw new IllegalStateException("no reservation for request " + requestId
              + " (never reserved, or finished longer ago than the idempotency window)");
        }
        long w = seg.stateWord(t, at);
        before = RequestTable.state(w);
        amount = seg.amount(t, at);
        if (before == RequestTable.COMMITTED) {
          long actual = seg.actual(t, at);
          if (!seg.unchanged(t, at, w)) {
            continue;
          }
          return new Commit(requestId, actual, amount, Math.max(0, actual - amount), true);
        }
        c = (Charge) seg.charge(t, at);
        if (before == RequestTable.RESERVED) {
          locked = false;
          seg.finishAndUnlock(t, at, h1, RequestTable.COMMITTED, now, actualNanos);
          break;
        }
        if (seg.finish(t, at, w, RequestTable.COMMITTED, now, actualNanos)) { // released or expired: may be reused
          break;
        }
      } finally {
        if (locked) {
          seg.unlock(t, h1);
        }
      }
    }
    long held = before == RequestTable.RESERVED ? amount : 0; // released or expired: no longer held
    int stripe = x.stripe;
    for (int i = 0; i < c.counters.length; i++) {
      ScopeCounter k = c.counters[i];
      k.spend(actualNanos, held, stripe);
      if (thresholds.length > 0) {
        k.fireCrossed(thresholds, c.limits[i], listener);
      }
    }
    return new Commit(requestId, actualNanos, amount, Math.max(0, actualNanos - amount), false);
  }

  @Override
  public boolean release(String requestId) {
    Objects.requireNonNull(requestId, "requestId");
    long now = clock.millis();
    Context x = context(requestId);
    long h1 = x.h[H];
    long h2 = x.h[H + 1];
    RequestTable.Segment seg = table.segment(h1);
    Charge c;
    long amount;
    long[] t = seg.lock(h1);
    boolean locked = true;
    try {
      int at = seg.find(t, h1, h2, now);
      if (at < 0) {
        return false;
      }
      long w = seg.stateWord(t, at);
      if (RequestTable.state(w) != RequestTable.RESERVED) {
        return false;
      }
      c = (Charge) seg.charge(t, at);
      amount = seg.amount(t, at);
      locked = false;
      seg.finishAndUnlock(t, at, h1, RequestTable.RELEASED, now, 0);
    } finally {
      if (locked) {
        seg.unlock(t, h1);
      }
    }
    int stripe = x.stripe;
    for (ScopeCounter k : c.counters) {
      k.giveBack(amount, stripe);
    }
    return true;
  }

  @Override
  public int expire() {
    long now = clock.millis();
    int n = 0;
    for (RequestTable.Segment seg : table.segments()) {
      n += seg.expire(now, expiry);
    }
    return n;
  }

  @Override
  public Admission probe(List<Scope> scopes, long amountNanos) {
    Ledgers.requireValid("probe", scopes, amountNanos);
    long now = clock.millis();
    for (Scope s : scopes) {
      Config c = config(s);
      String pid = periods.id(c.period, now);
      ScopeCounter k = counters.get(key(s, pid));
      long used = k == null ? 0 : k.used();
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
    ScopeCounter k = counters.get(key(scope, pid));
    if (k == null) {
      return new ScopeStatus(scope, c.period, pid, c.limit, 0, 0, c.currency);
    }
    long spent = k.spent();
    long used = Math.max(k.used(), spent); // read apart: a commit in between may show a moment's difference
    return new ScopeStatus(scope, c.period, pid, c.limit, spent, used - spent, c.currency);
  }

  @Override
  public void setLimit(Scope scope, long limitNanos, BudgetPeriod period, java.util.Currency currency) {
    Objects.requireNonNull(period, "period");
    if (limitNanos < -1) {
      throw new IllegalArgumentException("a limit must be -1 (none) or more: " + limitNanos);
    }
    if (limitNanos == -1 && period == BudgetPeriod.NONE && currency == null) {
      limits.remove(scope);
    } else {
      limits.put(scope, new Config(limitNanos, period, currency));
    }
    version.incrementAndGet();
    // leases were taken under the old limit: back to the pool, so the new one is checked
    ScopeCounter k = counters.get(key(scope, periods.id(period, clock.millis())));
    if (k != null) {
      k.recall();
    }
  }

  @Override
  public void reset(Scope scope) {
    Config c = config(scope);
    counters.remove(key(scope, periods.id(c.period, clock.millis())));
    version.incrementAndGet();
  }

  /**
   * Request ids remembered now (open reservations, and ids finished within the idempotency
   * window): exact when no call runs meanwhile.
   */
  public int remembered() {
    long now = clock.millis();
    int n = 0;
    for (RequestTable.Segment seg : table.segments()) {
      n += seg.remembered(now);
    }
    return n;
  }
}
