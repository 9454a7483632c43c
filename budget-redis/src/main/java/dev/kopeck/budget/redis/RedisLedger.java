package dev.kopeck.budget.redis;

import dev.kopeck.budget.Admission;
import dev.kopeck.budget.BudgetLedger;
import dev.kopeck.budget.BudgetListener;
import dev.kopeck.budget.BudgetUnavailableException;
import dev.kopeck.budget.Commit;
import dev.kopeck.budget.LedgerBuilder;
import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.internal.LedgerSettings;
import dev.kopeck.budget.internal.Ledgers;
import dev.kopeck.budget.internal.PeriodIds;
import dev.kopeck.budget.Scope;
import dev.kopeck.budget.ScopeStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A {@link BudgetLedger} shared by any number of processes through one Redis server. Every
 * operation is one Lua script, so it is atomic: a reservation checks and charges all its scopes in
 * one step (a reserve about to be refused sweeps expired reservations with a second script, then
 * runs once more). Request ids and reservation expiry live in Redis too; expired reservations are
 * swept inside {@code reserve} (once a second per process, and before any refusal), so no timer is
 * needed. Time comes from the injected {@link Clock} of each process. docs/budgets.md documents
 * the key layout.
 *
 * <p>Amounts are nano-units; Redis keeps them as 64-bit integers, but its Lua compares in doubles,
 * so a limit may be at most 2^53 nano-units (about 9 million roubles) per scope and period.
 *
 * <p>When Redis cannot be reached every operation throws {@link BudgetUnavailableException}; since
 * every operation is keyed by the request id, retrying after Redis returns counts once.
 */
public final class RedisLedger implements BudgetLedger, AutoCloseable {
  /** The largest limit the Lua scripts compare exactly: 2^53 nano-units. */
  public static final long MAX_LIMIT = 1L << 53;

  private final JedisPooled redis;
  private final String where;
  private final String prefix;
  private final Clock clock;
  private final PeriodIds periods;
  private final Duration ttl;
  private final Duration retention;
  private final String[] thresholds;
  private final BudgetListener listener;
  private final Script reserve = new Script("reserve.lua");
  private final Script commit = new Script("commit.lua");
  private final Script release = new Script("release.lua");
  private final Script expire = new Script("expire.lua");
  private final Script status = new Script("status.lua");
  private final Script reset = new Script("reset.lua");
  /** When (ms) this process's next reserve sweeps expired reservations; see {@link #SWEEP_EVERY_MS}. */
  private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);

  /**
   * A reserve sweeps up to {@link #SWEEP_MAX} expired reservations at most this often per process,
   * so the other reserves skip the sweep's look into the expiry set. A reserve about to be refused
   * sweeps with {@link #expire()} (up to 1,000) and, if it found any, tries once more.
   */
  static final long SWEEP_EVERY_MS = 1_000;
  static final int SWEEP_MAX = 100;

  private RedisLedger(Builder b, LedgerSettings st) {
    this.where = b.host + ":" + b.port;
    this.redis = new JedisPooled(new HostAndPort(b.host, b.port), DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis((int) b.timeout.toMillis()).socketTimeoutMillis((int) b.timeout.toMillis()).build());
    this.prefix = b.prefix;
    this.clock = st.clock();
    this.periods = new PeriodIds(st.zone());
    this.ttl = st.ttl();
    this.retention = st.window();
    this.thresholds = Arrays.stream(st.thresholds()).mapToObj(Integer::toString).toArray(String[]::new);
    this.listener = st.listener();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Configuration: where Redis is, the key prefix and the timeout; the rest is {@link LedgerBuilder}'s.
   * The idempotency window must be positive here: it is the expiry of each request's key.
   */
  public static final class Builder extends LedgerBuilder<Builder> {
    private String host = "127.0.0.1";
    private int port = 6379;
    private String prefix = "kopeck";
    private Duration timeout = Duration.ofSeconds(2);

    private Builder() {}

    public Builder host(String h) {
      host = Objects.requireNonNull(h, "host");
      return this;
    }

    public Builder port(int p) {
      if (p <= 0 || p > 65535) {
        throw new IllegalArgumentException("not a port: " + p);
      }
      port = p;
      return this;
    }

    /** {@code redis://host:port} */
    public Builder url(String url) {
      java.net.URI u = java.net.URI.create(url);
      if (!"redis".equals(u.getScheme()) || u.getHost() == null) {
        throw new IllegalArgumentException("expected redis://host:port, found " + url);
      }
      host = u.getHost();
      port = u.getPort() < 0 ? 6379 : u.getPort();
      return this;
    }

    /** The prefix of every key (default {@code kopeck}): several ledgers can share a server. */
    public Builder prefix(String p) {
      if (p.isBlank() || p.contains(":")) {
        throw new IllegalArgumentException("a key prefix must be non-blank, without ':': \"" + p + "\"");
      }
      prefix = p;
      return this;
    }

    /** Connect and read timeout (default 2 s): how long a caller waits before BudgetUnavailableException. */
    public Builder timeout(Duration d) {
      timeout = Objects.requireNonNull(d, "timeout");
      return this;
    }

    public RedisLedger build() {
      LedgerSettings st = settings();
      if (st.window().isZero()) {
        throw new IllegalArgumentException("the idempotency window of a Redis ledger must be positive");
      }
      return new RedisLedger(this, st);
    }
  }

  /** A Lua script (lib.lua, then its own): EVALSHA, loading it again if the server lost it (a restart). */
  private final class Script {
    final String source;
    volatile String sha;

    Script(String name) {
      source = resource("lib.lua") + resource(name);
    }

    Object run(List<String> keys, List<String> args) {
      return call(() -> {
        String s = sha;
        if (s == null) {
          s = redis.scriptLoad(source);
          sha = s;
        }
        try {
          return redis.evalsha(s, keys, args);
        } catch (JedisDataException e) {
          if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
            sha = redis.scriptLoad(source);
            return redis.evalsha(sha, keys, args);
          }
          throw e;
        }
      });
    }
  }

  /**
   * Runs one exchange with Redis, with the one mapping of its failures: unreachable or failing
   * servers become {@link BudgetUnavailableException}, a command Redis refused an {@link IllegalStateException}.
   */
  private <T> T call(java.util.function.Supplier<T> exchange) {
    try {
      return exchange.get();
    } catch (JedisConnectionException e) {
      throw new BudgetUnavailableException("Redis at " + where + " cannot be reached: " + e.getMessage(), e);
    } catch (JedisDataException e) {
      throw new IllegalStateException("Redis at " + where + " refused a command: " + e.getMessage(), e);
    } catch (JedisException e) {
      throw new BudgetUnavailableException("Redis at " + where + " failed: " + e.getMessage(), e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = RedisLedger.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing script " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The prefix of this ledger's keys. */
  public String prefix() {
    return prefix;
  }

  private String reqKey(String id) {
    return prefix + ":req:" + id;
  }

  private String expiryKey() {
    return prefix + ":expiry";
  }

  private void periodArgs(List<String> args, Scope s, Instant now) {
    long ms = now.toEpochMilli();
    args.add(s.name());
    args.add(periods.id(BudgetPeriod.DAY, ms));
    args.add(periods.id(BudgetPeriod.WEEK, ms));
    args.add(periods.id(BudgetPeriod.MONTH, ms));
  }


  @Override
  public Admission reserve(String requestId, List<Scope> scopes, long maxCostNanos) {
    Ledgers.requireValid(requestId, scopes, maxCostNanos);
    return Ledgers.reserve(() -> tryReserve(requestId, scopes, maxCostNanos), this::expire);
  }

  private Admission tryReserve(String requestId, List<Scope> scopes, long maxCostNanos) {
    Instant now = clock.instant();
    long ms = now.toEpochMilli();
    long due = nextSweep.get();
    boolean sweep = ms >= due && nextSweep.compareAndSet(due, ms + SWEEP_EVERY_MS);
    Instant expires = now.plus(ttl);
    List<String> args = new ArrayList<>(8 + 4 * scopes.size());
    args.add(requestId);
    args.add(Long.toString(maxCostNanos));
    args.add(Long.toString(now.toEpochMilli()));
    args.add(Long.toString(expires.toEpochMilli()));
    args.add(Long.toString(retention.toMillis()));
    args.add(prefix);
    args.add(sweep ? Integer.toString(SWEEP_MAX) : "0");
    args.add(Integer.toString(scopes.size()));
    for (Scope s : scopes) {
      periodArgs(args, s, now);
    }
    List<?> r = (List<?>) reserve.run(List.of(reqKey(requestId), expiryKey()), args);
    String kind = (String) r.get(0);
    switch (kind) {
      case "ok":
        return new Admission.Reservation(requestId, scopes, maxCostNanos, expires, false);
      case "replay":
        return new Admission.Reservation(requestId, scopes, Long.parseLong((String) r.get(1)),
            Instant.ofEpochMilli(Long.parseLong((String) r.get(2))), true);
      default:
        Scope s = scopes.get(Integer.parseInt((String) r.get(1)) - 1);
        return new Admission.Refusal(requestId, s, (String) r.get(4), Long.parseLong((String) r.get(2)),
            Long.parseLong((String) r.get(3)), maxCostNanos);
    }
  }

  @Override
  public Commit commit(String requestId, long actualNanos) {
    if (actualNanos < 0) {
      throw new IllegalArgumentException("an actual cost must not be negative: " + actualNanos);
    }
    List<String> args = new ArrayList<>();
    args.add(requestId);
    args.add(Long.toString(actualNanos));
    args.add(Long.toString(retention.toMillis()));
    args.add(prefix);
    args.addAll(Arrays.asList(thresholds));
    List<?> r = (List<?>) commit.run(List.of(reqKey(requestId), expiryKey()), args);
    String kind = (String) r.get(0);
    if (kind.equals("unknown")) {
      throw new IllegalStateException("no reservation for request " + requestId
          + " (never reserved, or finished longer ago than the idempotency window)");
    }
    if (kind.equals("replay")) {
      long actual = Long.parseLong((String) r.get(1));
      long amount = Long.parseLong((String) r.get(2));
      return new Commit(requestId, actual, amount, Math.max(0, actual - amount), true);
    }
    long amount = Long.parseLong((String) r.get(1));
    for (int i = 2; i + 4 < r.size(); i += 5) { // crossed thresholds: scope, period, percent, spent, limit
      listener.thresholdCrossed(Scope.of((String) r.get(i)), (String) r.get(i + 1), Integer.parseInt((String) r.get(i + 2)),
          Long.parseLong((String) r.get(i + 3)), Long.parseLong((String) r.get(i + 4)));
    }
    return new Commit(requestId, actualNanos, amount, Math.max(0, actualNanos - amount), false);
  }

  @Override
  public boolean release(String requestId) {
    Object r = release.run(List.of(reqKey(requestId), expiryKey()),
        List.of(requestId, Long.toString(retention.toMillis()), prefix));
    return ((Long) r) == 1L;
  }

  @Override
  public int expire() {
    Object r = expire.run(List.of(expiryKey()), List.of(Long.toString(clock.millis()), prefix, "1000"));
    return ((Long) r).intValue();
  }

  private List<ScopeStatus> statuses(List<Scope> scopes) {
    Instant now = clock.instant();
    List<String> args = new ArrayList<>();
    args.add(prefix);
    args.add(Integer.toString(scopes.size()));
    for (Scope s : scopes) {
      periodArgs(args, s, now);
    }
    List<?> r = (List<?>) status.run(List.of(), args);
    List<ScopeStatus> out = new ArrayList<>(scopes.size());
    for (int i = 0; i < scopes.size(); i++) {
      int b = i * 5;
      long spent = Long.parseLong((String) r.get(b + 3));
      out.add(new ScopeStatus(scopes.get(i), BudgetPeriod.parse((String) r.get(b + 1)), (String) r.get(b + 2),
          Long.parseLong((String) r.get(b)), spent, Long.parseLong((String) r.get(b + 4))));
    }
    return out;
  }

  @Override
  public Admission probe(List<Scope> scopes, long amountNanos) {
    Ledgers.requireValid("probe", scopes, amountNanos);
    for (ScopeStatus s : statuses(scopes)) {
      if (s.limitNanos() >= 0 && s.spentNanos() + s.reservedNanos() + amountNanos > s.limitNanos()) {
        return new Admission.Refusal("probe", s.scope(), s.periodId(), s.limitNanos(), s.remainingNanos(), amountNanos);
      }
    }
    return new Admission.Reservation("probe", scopes, amountNanos, clock.instant(), false);
  }

  @Override
  public ScopeStatus status(Scope scope) {
    ScopeStatus s = statuses(List.of(scope)).get(0);
    String cur = call(() -> redis.hget(prefix + ":scope:" + scope.name(), "currency"));
    return cur == null ? s : new ScopeStatus(s.scope(), s.period(), s.periodId(), s.limitNanos(), s.spentNanos(),
        s.reservedNanos(), java.util.Currency.getInstance(cur));
  }

  @Override
  public void setLimit(Scope scope, long limitNanos, BudgetPeriod period, java.util.Currency currency) {
    Objects.requireNonNull(period, "period");
    if (limitNanos < -1 || limitNanos > MAX_LIMIT) {
      throw new IllegalArgumentException("a limit must be -1 (none) to 2^53 nano-units: " + limitNanos);
    }
    String key = prefix + ":scope:" + scope.name();
    call(() -> {
      if (limitNanos == -1 && period == BudgetPeriod.NONE) {
        redis.hdel(key, "limit", "period");
      } else {
        redis.hset(key, java.util.Map.of("limit", Long.toString(limitNanos), "period", period.jsonName()));
      }
      return currency == null ? redis.hdel(key, "currency") : redis.hset(key, "currency", currency.getCurrencyCode());
    });
  }

  @Override
  public void reset(Scope scope) {
    List<String> args = new ArrayList<>(5);
    args.add(prefix);
    periodArgs(args, scope, clock.instant());
    reset.run(List.of(), args);
  }

  /**
   * Deletes every key of this ledger's prefix ({@code prefix:*}), for operators and tests. Walks the
   * keys with SCAN, a thousand at a time, so the server keeps answering others meanwhile (KEYS
   * would hold it for the whole keyspace: 294 ms for the keys a benchmark run leaves).
   */
  public long deleteAll() {
    return call(() -> {
      long n = 0;
      ScanParams match = new ScanParams().match(prefix + ":*").count(1_000);
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> page = redis.scan(cursor, match);
        if (!page.getResult().isEmpty()) {
          n += redis.del(page.getResult().toArray(String[]::new));
        }
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      return n;
    });
  }

  @Override
  public void close() {
    redis.close();
  }
}
