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
import javax.net.ssl.SSLSocketFactory;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A {@link BudgetLedger} shared by any number of processes through one Redis (a server, or the
 * primary that Sentinel names). Every operation is one Lua script, so it is atomic: a reservation
 * checks and charges all its scopes in one step (a reserve about to be refused sweeps expired
 * reservations in the same script, then looks once more). Request ids and reservation expiry live
 * in Redis too; expired reservations are swept inside {@code reserve} (once a second per process,
 * and before any refusal), so no timer is needed. docs/budgets.md documents the key layout, the
 * semantics of each case and the Redis set-up that keeps budgets durable.
 *
 * <p>Amounts are nano-units up to {@code Long.MAX_VALUE}, exact: the scripts never do arithmetic
 * on an amount in Lua's doubles.
 *
 * <p>Every failure of Redis (down, not answering within the timeout, no connection free within the
 * borrow timeout, loading, out of memory, a read-only replica, refused credentials, a store wiped
 * since limits were set) throws {@link BudgetUnavailableException} saying which; since every
 * operation is keyed by the request id, retrying after Redis returns counts once. Messages never
 * hold a password.
 */
public final class RedisLedger implements BudgetLedger, AutoCloseable {
  /** The largest limit: any {@code long}; the scripts compare amounts exactly. */
  public static final long MAX_LIMIT = Long.MAX_VALUE;

  private final UnifiedJedis redis;
  private final String where;
  private final String prefix;
  private final Clock clock;
  private final PeriodIds periods;
  private final Duration ttl;
  private final Duration retention;
  private final Duration timeout;
  private final Duration borrowTimeout;
  private final int poolSize;
  private final String[] thresholdArgs;
  private final BudgetListener listener;
  private final Script reserve = new Script("reserve.lua");
  private final Script commit = new Script("commit.lua");
  private final Script release = new Script("release.lua");
  private final Script expire = new Script("expire.lua");
  private final Script status = new Script("status.lua");
  private final Script reset = new Script("reset.lua");
  private final Script restore = new Script("restore.lua");
  /**
   * Reserves whose outcome this process could not learn (Redis did not answer in time, or the
   * connection broke after the script was sent): the script may have run, or may yet run when a
   * paused Redis goes on, holding money for a caller that was told "unavailable". Each is released
   * by its id once Redis answers again, twice, a second apart (a reserve still in a socket's buffer
   * may run after the first release). The id and the number of releases left; bounded.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, Integer> uncertain =
      new java.util.concurrent.ConcurrentHashMap<>();
  static final int MAX_UNCERTAIN = 100_000;
  private final java.util.concurrent.atomic.AtomicBoolean releasing = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile long lastRelease;
  /** The clock reading (ms) of this process's last sweep; see {@link #SWEEP_EVERY_MS}. */
  private final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE / 2);

  /**
   * A reserve sweeps up to {@link #SWEEP_MAX} expired reservations at most this often per process
   * (once the clock has moved this far from the last sweep, either way: a clock set back does not
   * stop it), so the other reserves skip the sweep's look into the expiry set. A reserve about to be
   * refused sweeps up to 1,000 in its script and, if it found any, looks once more.
   */
  static final long SWEEP_EVERY_MS = 1_000;
  static final int SWEEP_MAX = 100;

  private RedisLedger(Builder b, LedgerSettings st) {
    this.timeout = b.timeout;
    this.borrowTimeout = b.borrowTimeout == null ? b.timeout : b.borrowTimeout;
    this.poolSize = b.poolSize;
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(b.poolSize);
    pool.setMaxIdle(b.poolSize);
    pool.setMinIdle(0);
    pool.setBlockWhenExhausted(true);
    pool.setMaxWait(borrowTimeout);
    pool.setJmxEnabled(false);
    DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis((int) b.timeout.toMillis()).socketTimeoutMillis((int) b.timeout.toMillis())
        .user(b.user).password(b.password).database(b.database).ssl(b.tls)
        .clientSetInfoConfig(ClientSetInfoConfig.DISABLED); // no CLIENT SETINFO round trips on a new connection
    if (b.sslSocketFactory != null) {
      client.sslSocketFactory(b.sslSocketFactory);
    }
    if (!b.clusterNodes.isEmpty()) {
      if (!hashTagged(b.prefix)) {
        throw new IllegalArgumentException("on a Redis Cluster a ledger's keys must share one hash slot: give a prefix"
            + " with a hash tag, like \"kopeck-{acme}\" (a ledger per tenant), not \"" + b.prefix + "\"");
      }
      if (b.database != 0) {
        throw new IllegalArgumentException("a Redis Cluster has only database 0");
      }
      this.where = "the Redis Cluster at " + b.clusterNodes;
      try {
        this.redis = new JedisCluster(new java.util.HashSet<>(b.clusterNodes), client.build(), 5, pool);
      } catch (JedisException e) {
        throw unavailable("Redis (" + where + ")", e);
      }
    } else if (b.sentinelMaster != null) {
      this.where = "the primary of Sentinel master " + b.sentinelMaster;
      DefaultJedisClientConfig.Builder sentinel = DefaultJedisClientConfig.builder()
          .connectionTimeoutMillis((int) b.timeout.toMillis()).socketTimeoutMillis((int) b.timeout.toMillis())
          .ssl(b.tls);
      if (b.sslSocketFactory != null) {
        sentinel.sslSocketFactory(b.sslSocketFactory);
      }
      if (b.sentinelPassword != null) {
        sentinel.password(b.sentinelPassword);
      }
      try {
        this.redis = new JedisSentineled(b.sentinelMaster, client.build(), pool, new java.util.HashSet<>(b.sentinels),
            sentinel.build());
      } catch (JedisException e) {
        throw unavailable("Redis (" + where + ")", e);
      }
    } else {
      this.where = "Redis at " + b.host + ":" + b.port + (b.database == 0 ? "" : " (database " + b.database + ")");
      this.redis = new JedisPooled(pool, new HostAndPort(b.host, b.port), client.build());
    }
    this.prefix = b.prefix;
    this.clock = st.clock();
    this.periods = new PeriodIds(st.zone());
    this.ttl = st.ttl();
    this.retention = st.window();
    this.thresholdArgs = Arrays.stream(st.thresholds()).mapToObj(Integer::toString).toArray(String[]::new);
    this.listener = st.listener();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Configuration: where Redis is (host and port, a URL, or Sentinel), credentials, TLS, the key
   * prefix, and the bounds of every wait; the rest is {@link LedgerBuilder}'s. The idempotency
   * window must be positive here: it is how long a finished request's key is kept.
   */
  public static final class Builder extends LedgerBuilder<Builder> {
    private String host = "127.0.0.1";
    private int port = 6379;
    private String user;
    private String password;
    private int database;
    private boolean tls;
    private SSLSocketFactory sslSocketFactory;
    private String sentinelMaster;
    private List<HostAndPort> sentinels = List.of();
    private List<HostAndPort> clusterNodes = List.of();
    private String sentinelPassword;
    private String prefix = "kopeck";
    private Duration timeout = Duration.ofSeconds(2);
    private Duration borrowTimeout;
    private int poolSize = 8;

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

    /**
     * {@code redis://[user:password@]host[:port][/database]}, or {@code rediss://...} for TLS. A
     * malformed URL is refused with a message that never holds its password.
     */
    public Builder url(String url) {
      RedisUrl u = RedisUrl.parse(url);
      host = u.host();
      port = u.port();
      user = u.user();
      password = u.password();
      database = u.database();
      tls = u.tls();
      return this;
    }

    /** An ACL user (Redis 6+); with {@link #password} only, the default user. */
    public Builder user(String u) {
      user = u;
      return this;
    }

    public Builder password(String p) {
      password = p;
      return this;
    }

    /** The database index (default 0). */
    public Builder database(int db) {
      if (db < 0) {
        throw new IllegalArgumentException("a database index must not be negative: " + db);
      }
      database = db;
      return this;
    }

    /** TLS to Redis (and to Sentinel), trusting the JVM's default trust store. */
    public Builder tls(boolean on) {
      tls = on;
      return this;
    }

    /** TLS with this socket factory: a trust store of your own (a private CA, a self-signed server). */
    public Builder tls(SSLSocketFactory factory) {
      tls = true;
      sslSocketFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Finds the primary through Sentinel ({@code host:port} of each sentinel) and follows it on
     * failover; host and port are then not used.
     */
    public Builder sentinel(String masterName, List<String> sentinelAddresses) {
      if (sentinelAddresses.isEmpty()) {
        throw new IllegalArgumentException("Sentinel needs at least one sentinel address");
      }
      sentinelMaster = Objects.requireNonNull(masterName, "masterName");
      List<HostAndPort> hs = new ArrayList<>();
      for (String a : sentinelAddresses) {
        int colon = a.lastIndexOf(':');
        if (colon <= 0) {
          throw new IllegalArgumentException("a sentinel address is host:port, not \"" + a + "\"");
        }
        try {
          hs.add(new HostAndPort(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1))));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("a sentinel address is host:port, not \"" + a + "\"");
        }
      }
      sentinels = List.copyOf(hs);
      return this;
    }

    /**
     * Uses a Redis Cluster, reached through any of {@code nodes} ({@code host:port}); host and port
     * are then not used. All of a ledger's keys must live in one hash slot, so its prefix must hold
     * a hash tag ({@code kopeck-{acme}}): a ledger per tenant spreads tenants over the masters, and
     * a request's scopes are in its ledger's slot by construction.
     */
    public Builder cluster(List<String> nodes) {
      if (nodes.isEmpty()) {
        throw new IllegalArgumentException("a Redis Cluster needs at least one node address");
      }
      List<HostAndPort> hs = new ArrayList<>();
      for (String a : nodes) {
        int colon = a.lastIndexOf(':');
        try {
          hs.add(new HostAndPort(a.substring(0, colon), Integer.parseInt(a.substring(colon + 1))));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("a cluster node's address is host:port, not \"" + a + "\"");
        }
      }
      clusterNodes = List.copyOf(hs);
      return this;
    }

    /** The password the sentinels themselves ask for, if any. */
    public Builder sentinelPassword(String p) {
      sentinelPassword = p;
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

    /**
     * Connect and command timeout (default 2 s): how long one exchange with Redis may take before
     * {@link BudgetUnavailableException}.
     */
    public Builder timeout(Duration d) {
      requirePositive(d, "timeout");
      timeout = d;
      return this;
    }

    /** How long a call waits for a free connection when all are in use (default: the timeout). */
    public Builder borrowTimeout(Duration d) {
      requirePositive(d, "borrow timeout");
      borrowTimeout = d;
      return this;
    }

    /** Connections to Redis at most (default 8): calls beyond wait up to the borrow timeout. */
    public Builder poolSize(int n) {
      if (n < 1 || n > 1024) {
        throw new IllegalArgumentException("a pool size must be 1 to 1024: " + n);
      }
      poolSize = n;
      return this;
    }

    private static void requirePositive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("a " + what + " must be positive and under 24 days: " + d);
      }
    }

    public RedisLedger build() {
      LedgerSettings st = settings();
      if (st.window().isZero()) {
        throw new IllegalArgumentException("the idempotency window of a Redis ledger must be positive");
      }
      return new RedisLedger(this, st);
    }
  }

  /** Whether {@code prefix} holds a Redis hash tag: a {@code {…}} with something inside, the first one. */
  static boolean hashTagged(String prefix) {
    int open = prefix.indexOf('{');
    int close = open < 0 ? -1 : prefix.indexOf('}', open + 1);
    return close > open + 1;
  }

  /** A Lua script (lib.lua, then its own): EVALSHA, loading it again if the server lost it (a restart). */
  private final class Script {
    final String source;
    volatile String sha;

    Script(String name) {
      source = resource("lib.lua") + resource(name);
    }

    Object run(List<String> keys, List<String> args) {
      // a cluster routes a script by its first key: one that needs none names the marker, in the same slot
      List<String> routed = keys.isEmpty() ? List.of(markerKey()) : keys;
      return call(() -> {
        String s = sha;
        if (s == null) {
          s = redis.scriptLoad(source, routed.get(0));
          sha = s;
        }
        try {
          return redis.evalsha(s, routed, args);
        } catch (JedisDataException e) {
          if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) { // a restarted or new primary
            sha = redis.scriptLoad(source, routed.get(0));
            return redis.evalsha(sha, routed, args);
          }
          throw e;
        }
      });
    }
  }

  /** Runs one exchange with Redis; every failure of it becomes a {@link BudgetUnavailableException}. */
  private <T> T call(java.util.function.Supplier<T> exchange) {
    T answer;
    try {
      try {
        answer = exchange.get();
      } catch (JedisConnectionException e) {
        if (!brokenConnection(e)) {
          throw e;
        }
        // a pooled connection that Redis closed (a restart, an idle timeout): once more on a new
        // one. Safe: every operation is keyed by its request id, so a repeat counts once.
        answer = exchange.get();
      }
    } catch (JedisException e) {
      throw unavailable(where, e);
    }
    releaseUncertain(); // Redis answers: what it may hold for callers told otherwise goes back
    return answer;
  }

  /** A connection that broke (not a timeout, not a wait for a free one): worth one more try. */
  private static boolean brokenConnection(JedisConnectionException e) {
    Throwable c = rootCause(e);
    return !(c instanceof java.net.SocketTimeoutException) && !(c instanceof java.util.NoSuchElementException)
        && !(c instanceof java.net.ConnectException);
  }

  /** What went wrong, in words, for every way a Redis exchange fails. */
  BudgetUnavailableException unavailable(String where, JedisException e) {
    String m = String.valueOf(e.getMessage());
    String what;
    if (e instanceof JedisAccessControlException || m.contains("NOAUTH") || m.contains("WRONGPASS")
        || m.contains("NOPERM")) {
      what = "refused the credentials (" + firstLine(m) + ")";
    } else if (m.contains("LOADING")) {
      what = "is loading its data set into memory and answers nothing until it is done";
    } else if (m.contains("OOM ")) {
      what = "is out of memory (maxmemory reached) and refuses writes";
    } else if (m.contains("READONLY")) {
      what = "is a read-only replica, not the primary";
    } else if (m.contains("MASTERDOWN")) {
      what = "is a replica that lost its primary";
    } else if (m.contains("MISCONF")) {
      what = "cannot write its snapshot and refuses writes (MISCONF)";
    } else if (m.contains("BUSY")) {
      what = "is busy running a script";
    } else if (rootCause(e) instanceof java.util.NoSuchElementException || m.contains("Could not get a resource")) {
      // the pool, whichever exception type this Jedis wraps its exhaustion in
      what = "had no connection free within " + borrowTimeout.toMillis() + " ms (all " + poolSize + " in use):"
          + " more callers at once than the pool holds (RedisLedger.Builder.poolSize, borrowTimeout)";
    } else if (e instanceof JedisConnectionException) {
      Throwable c = rootCause(e);
      if (c instanceof java.net.SocketTimeoutException) {
        what = "did not answer within " + timeout.toMillis() + " ms";
      } else {
        what = "cannot be reached (" + firstLine(String.valueOf(c.getMessage())) + ")";
      }
    } else {
      what = "failed (" + firstLine(m) + ")";
    }
    return new BudgetUnavailableException(where + " " + what, e);
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  private static String firstLine(String m) {
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
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

  /** The key whose presence says this prefix holds a ledger: gone, the store was wiped. */
  private String markerKey() {
    return prefix + ":ledger";
  }

  private void periodArgs(List<String> args, Scope s, Instant now) {
    long ms = now.toEpochMilli();
    args.add(s.name());
    args.add(periods.id(BudgetPeriod.DAY, ms));
    args.add(periods.id(BudgetPeriod.WEEK, ms));
    args.add(periods.id(BudgetPeriod.MONTH, ms));
  }

  /**
   * The scopes' names, sorted and joined by U+0001 (a scope name holds no control character): a
   * retry is recognised in whatever order it lists them, and nothing is hashed.
   */
  static String fingerprint(List<Scope> scopes) {
    if (scopes.size() == 1) {
      return scopes.get(0).name();
    }
    String[] names = new String[scopes.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = scopes.get(i).name();
    }
    Arrays.sort(names);
    return String.join("\u0001", names);
  }

  /**
   * Marks this prefix as holding a ledger. {@link #setLimit} does it too; a ledger whose scopes have
   * no limits calls it once when it is set up. Until then, and after the store is wiped (a restart
   * without persistence, a FLUSHALL), every reserve and commit fails closed with {@link
   * BudgetUnavailableException}: limits that vanished must not read as no limits.
   */
  public void initialize() {
    call(() -> redis.set(markerKey(), "kopeck ledger", SetParams.setParams().nx()));
  }

  private BudgetUnavailableException wiped() {
    return new BudgetUnavailableException(where + " holds no ledger under the prefix \"" + prefix
        + "\": its data was lost (a restart without persistence, a flush) or it was never set up. Budgets fail"
        + " closed: restore the data, or set the limits again (kopeck budget set-limit; in code, setLimit, or"
        + " initialize() for a ledger without limits)", null);
  }

  @Override
  public Admission reserve(String requestId, List<Scope> scopes, long maxCostNanos) {
    Ledgers.requireValid(requestId, scopes, maxCostNanos);
    uncertain.remove(requestId); // tried again: this answer is the one that counts
    try {
      return tryReserve(requestId, scopes, maxCostNanos); // the script sweeps before it refuses
    } catch (BudgetUnavailableException e) {
      if (outcomeUnknown(e) && uncertain.size() < MAX_UNCERTAIN) {
        uncertain.put(requestId, 2);
      }
      throw e;
    }
  }

  /** Whether the script may have run: the request was (or may have been) sent, and no answer came. */
  private static boolean outcomeUnknown(BudgetUnavailableException e) {
    if (!(e.getCause() instanceof JedisConnectionException c)) {
      return false;
    }
    Throwable root = rootCause(c);
    return !(root instanceof java.util.NoSuchElementException) && !(root instanceof java.net.ConnectException);
  }

  /** How many reserves wait to be released because their outcome was not learnt (see {@link #reserve}). */
  public int uncertainReserves() {
    return uncertain.size();
  }

  /**
   * Releases the reserves whose outcome was not learnt, now that Redis answers: on a thread of its
   * own, so the call that found Redis back is not held up. Stops at the first failure (Redis gone
   * again); what is left waits for the next answer.
   */
  private void releaseUncertain() {
    if (uncertain.isEmpty() || System.currentTimeMillis() - lastRelease < 1000 || !releasing.compareAndSet(false, true)) {
      return;
    }
    Thread t = new Thread(() -> {
      try {
        for (String id : List.copyOf(uncertain.keySet())) {
          // released under the entry's lock: a reserve of the same id tried again meanwhile (which removes the
          // entry first) waits for this release, or finds the entry gone and is never released by it
          uncertain.computeIfPresent(id, (k, left) -> {
            release(k);
            return left > 1 ? left - 1 : null;
          });
        }
      } catch (RuntimeException redisGoneAgain) {
        // the rest waits for the next answer
      } finally {
        lastRelease = System.currentTimeMillis();
        releasing.set(false);
      }
    }, "kopeck-redis-release-uncertain");
    t.setDaemon(true);
    t.start();
  }

  private Admission tryReserve(String requestId, List<Scope> scopes, long maxCostNanos) {
    Instant now = clock.instant();
    long ms = now.toEpochMilli();
    long last = lastSweep.get();
    boolean sweep = Math.abs(ms - last) >= SWEEP_EVERY_MS && lastSweep.compareAndSet(last, ms);
    Instant expires = now.plus(ttl);
    List<String> args = new ArrayList<>(10 + 4 * scopes.size());
    args.add(requestId);
    args.add(Long.toString(maxCostNanos));
    args.add(Long.toString(ms));
    args.add(Long.toString(expires.toEpochMilli()));
    args.add(Long.toString(retention.toMillis()));
    args.add(prefix);
    args.add(sweep ? Integer.toString(SWEEP_MAX) : "0");
    args.add(Integer.toString(scopes.size()));
    args.add(fingerprint(scopes));
    args.add(periods.zone().getId());
    for (Scope s : scopes) {
      periodArgs(args, s, now);
    }
    List<?> r = (List<?>) reserve.run(List.of(reqKey(requestId), expiryKey(), markerKey()), args);
    switch ((String) r.get(0)) {
      case "ok":
        return new Admission.Reservation(requestId, scopes, maxCostNanos, expires, false);
      case "replay":
        return new Admission.Reservation(requestId, scopes, Long.parseLong((String) r.get(1)),
            Instant.ofEpochMilli(Long.parseLong((String) r.get(2))), true);
      case "refused": {
        Scope s = scopes.get(Integer.parseInt((String) r.get(1)) - 1);
        long limit = Long.parseLong((String) r.get(2));
        long used = Long.parseLong((String) r.get(3));
        return new Admission.Refusal(requestId, s, (String) r.get(4), limit, limit - used, maxCostNanos);
      }
      case "conflict":
        throw Ledgers.conflict(requestId, "reserve with other scopes or another amount");
      case "wiped":
        throw wiped();
      case "zone": {
        Scope s = scopes.get(Integer.parseInt((String) r.get(1)) - 1);
        throw new IllegalStateException("scope " + s.name() + " counts its periods in " + r.get(2)
            + " (set with its limit), but this ledger is in " + periods.zone().getId()
            + ": every process sharing a scope must use its zone (LedgerBuilder.zone), or one would split a"
            + " month another counts whole");
      }
      case "overflow": {
        Scope s = scopes.get(Integer.parseInt((String) r.get(1)) - 1);
        throw Ledgers.tooLarge("an amount of " + maxCostNanos, s.name());
      }
      default:
        throw new IllegalStateException("unexpected answer from reserve.lua: " + r);
    }
  }

  @Override
  public Commit commit(String requestId, long actualNanos) {
    Objects.requireNonNull(requestId, "requestId");
    if (actualNanos < 0) {
      throw new IllegalArgumentException("an actual cost must not be negative: " + actualNanos);
    }
    List<String> args = new ArrayList<>();
    args.add(requestId);
    args.add(Long.toString(actualNanos));
    args.add(Long.toString(retention.toMillis()));
    args.add(prefix);
    args.addAll(Arrays.asList(thresholdArgs));
    List<?> r = (List<?>) commit.run(List.of(reqKey(requestId), expiryKey(), markerKey()), args);
    switch ((String) r.get(0)) {
      case "unknown":
        throw Ledgers.unknown(requestId);
      case "conflict":
        throw Ledgers.conflict(requestId, "commit of another actual cost");
      case "wiped":
        throw wiped();
      case "overflow":
        throw Ledgers.tooLarge("an actual cost of " + actualNanos, (String) r.get(1));
      case "replay": {
        long actual = Long.parseLong((String) r.get(1));
        long amount = Long.parseLong((String) r.get(2));
        return new Commit(requestId, actual, amount, Math.max(0, actual - amount), true);
      }
      default:
        break;
    }
    boolean late = "1".equals(r.get(1));
    long held = Long.parseLong((String) r.get(2));
    long amount = Long.parseLong((String) r.get(3));
    for (int i = 4; i + 4 < r.size(); i += 5) { // crossed thresholds: scope, period, percent, spent, limit
      listener.thresholdCrossed(Scope.of((String) r.get(i)), (String) r.get(i + 1), Integer.parseInt((String) r.get(i + 2)),
          Long.parseLong((String) r.get(i + 3)), Long.parseLong((String) r.get(i + 4)));
    }
    return new Commit(requestId, actualNanos, amount, Math.max(0, actualNanos - held), false, late);
  }

  @Override
  public boolean release(String requestId) {
    Objects.requireNonNull(requestId, "requestId");
    Object r = release.run(List.of(reqKey(requestId), expiryKey()),
        List.of(requestId, Long.toString(retention.toMillis()), prefix));
    return ((Long) r) == 1L;
  }

  @Override
  public int expire() {
    Object r = expire.run(List.of(expiryKey()),
        List.of(Long.toString(clock.millis()), prefix, "1000", Long.toString(retention.toMillis())));
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
    List<?> r = (List<?>) status.run(List.of(markerKey()), args);
    if ("wiped".equals(r.get(0))) {
      throw wiped();
    }
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
      if (s.limitNanos() >= 0 && s.spentNanos() + s.reservedNanos() > s.limitNanos() - amountNanos) {
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

  /**
   * Sets a scope's limit, and records with it the currency and this ledger's time zone: a ledger in
   * another zone is then refused on this scope rather than count its months apart.
   */
  @Override
  public void setLimit(Scope scope, long limitNanos, BudgetPeriod period, java.util.Currency currency) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(period, "period");
    if (limitNanos < -1) {
      throw new IllegalArgumentException("a limit must be -1 (none) or more: " + limitNanos);
    }
    String key = prefix + ":scope:" + scope.name();
    initialize();
    call(() -> {
      if (limitNanos == -1 && period == BudgetPeriod.NONE) {
        redis.hdel(key, "limit", "period", "zone");
      } else {
        redis.hset(key, java.util.Map.of("limit", Long.toString(limitNanos), "period", period.jsonName(),
            "zone", periods.zone().getId()));
      }
      return currency == null ? redis.hdel(key, "currency") : redis.hset(key, "currency", currency.getCurrencyCode());
    });
  }

  /** The time zone recorded with the scope's limit (the zone of the ledger that set it), if any. */
  public java.util.Optional<java.time.ZoneId> recordedZone(Scope scope) {
    String z = call(() -> redis.hget(prefix + ":scope:" + scope.name(), "zone"));
    return z == null ? java.util.Optional.empty() : java.util.Optional.of(java.time.ZoneId.of(z));
  }

  @Override
  public void reset(Scope scope) {
    List<String> args = new ArrayList<>(5);
    args.add(prefix);
    periodArgs(args, scope, clock.instant());
    reset.run(List.of(), args);
  }

  @Override
  public void restoreSpent(Scope scope, long spentNanos) {
    if (spentNanos < 0) {
      throw new IllegalArgumentException("spentNanos must not be negative: " + spentNanos);
    }
    List<String> args = new ArrayList<>(6);
    args.add(prefix);
    periodArgs(args, scope, clock.instant());
    args.add(Long.toString(spentNanos));
    restore.run(List.of(), args);
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
