package dev.kopeck.bench;

import dev.kopeck.budget.Admission;
import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.Scope;
import dev.kopeck.budget.redis.RedisLedger;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A reserve and its commit, as one operation: in memory with 2 threads contending for the same two
 * scopes, and with each thread on a scope of its own (ops/s = pairs per second); and on the Redis at
 * 127.0.0.1:6379 with 8 threads, each with its own pooled connection (throughput, and a sampled run
 * for latency percentiles).
 *
 * <p>The heap is fixed and touched before the run: with the default heap, the heap keeps growing
 * through a run of a few seconds and each first touch of a page is a page fault, which measures the
 * kernel, not the ledger (a service that has run for a while has touched its heap).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class BudgetBenchmark {
  static final List<Scope> SCOPES = List.of(Scope.of("tenant:acme"), Scope.of("team:ml"));
  /**
   * The Redis scopes' limit: just under a million currency units, as a large real budget is (15
   * digits of nano-units). A limit of 2^63 - 1 would measure the scripts' arithmetic for amounts
   * past 10^15, which no budget reaches.
   */
  static final long LIMIT = 999_999_999_999_999L;

  /**
   * One in-memory ledger shared by the threads, holding {@code remembered} open reservations (of a
   * scope of their own) throughout: the table each reserve looks its id up in has that many ids,
   * whatever the rate. The pairs measured are forgotten as soon as they are committed (a window of
   * 0), so the number held does not grow with the rate, as it would with a window of time.
   */
  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class Memory {
    InMemoryLedger ledger;
    /** Ids the ledger holds while the pairs run: 10,000 is a table in the caches, 1,000,000 one in memory. */
    @Param({"10000", "1000000"})
    public int remembered;

    @Setup
    public void setUp() {
      ledger = InMemoryLedger.builder().idempotencyWindow(Duration.ZERO).reservationTtl(Duration.ofHours(1)).build();
      ledger.setLimit(SCOPES.get(0), Long.MAX_VALUE / 4, BudgetPeriod.NONE);
      ledger.setLimit(SCOPES.get(1), Long.MAX_VALUE / 4, BudgetPeriod.MONTH);
      ledger.setLimit(EXHAUSTED.get(0), 0, BudgetPeriod.MONTH);
      List<Scope> held = List.of(Scope.of("held"));
      for (int i = 0; i < remembered; i++) {
        ledger.reserve("held-" + i, held, 1);
      }
    }

    @TearDown(org.openjdk.jmh.annotations.Level.Iteration)
    public void check() {
      int n = ledger.remembered();
      if (n < remembered || n > remembered + 1_000) {
        throw new IllegalStateException(n + " ids remembered, not about " + remembered);
      }
    }
  }

  /** A scope with no money left: every reserve on it is refused, with {@code remembered} ids open. */
  static final List<Scope> EXHAUSTED = List.of(Scope.of("exhausted"));

  /** Each thread's own request ids (a shared counter would itself be a contended atomic) and own scope. */
  @State(org.openjdk.jmh.annotations.Scope.Thread)
  public static class Ids {
    final String thread = UUID.randomUUID().toString().substring(0, 8) + "-";
    long next;
    List<Scope> own;

    @Setup
    public void setUp(Memory m) {
      own = List.of(Scope.of("thread:" + thread));
      m.ledger.setLimit(own.get(0), Long.MAX_VALUE / 4, BudgetPeriod.MONTH);
    }

    String id() {
      return thread + (next++);
    }
  }

  /** One Redis ledger (a connection pool) shared by the threads, under a prefix of its own. */
  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class Redis {
    RedisLedger ledger;
    final AtomicLong ids = new AtomicLong();
    String run;

    @Setup
    public void setUp() {
      run = UUID.randomUUID().toString().substring(0, 8);
      ledger = RedisLedger.builder().prefix("kbench" + run).idempotencyWindow(Duration.ofSeconds(30)).build();
      ledger.setLimit(SCOPES.get(0), LIMIT, BudgetPeriod.NONE);
      ledger.setLimit(SCOPES.get(1), LIMIT, BudgetPeriod.MONTH);
      ledger.setLimit(EXHAUSTED.get(0), 0, BudgetPeriod.MONTH);
    }

    @TearDown
    public void tearDown() {
      ledger.deleteAll();
      ledger.close();
    }
  }

  /** Two threads on the same two scopes: every counter contended. */
  @Benchmark
  @Threads(2)
  public long inMemoryReserveCommit(Memory m, Ids ids) {
    String id = ids.id();
    Admission a = m.ledger.reserve(id, SCOPES, 1_000);
    return a.granted() ? m.ledger.commit(id, 900).actualNanos() : -1;
  }

  /** Two threads, each on a scope of its own: the ledger's cost without cache-line contention. */
  @Benchmark
  @Threads(2)
  public long inMemoryReserveCommitOwnScope(Memory m, Ids ids) {
    String id = ids.id();
    Admission a = m.ledger.reserve(id, ids.own, 1_000);
    return a.granted() ? m.ledger.commit(id, 900).actualNanos() : -1;
  }

  /**
   * The state budgets exist for: the scope is exhausted and every reserve is refused, while the
   * ledger holds {@code remembered} open reservations (time per refusal).
   */
  @Benchmark
  @Threads(2)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public boolean inMemoryRefused(Memory m, Ids ids) {
    return m.ledger.reserve(ids.id(), EXHAUSTED, 1_000).granted();
  }

  /** A refused reserve on Redis (8 threads), time per refusal. */
  @Benchmark
  @Threads(8)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public boolean redisRefused(Redis r) {
    return r.ledger.reserve("x" + r.ids.incrementAndGet(), EXHAUSTED, 1_000).granted();
  }

  @Benchmark
  @Threads(8)
  public long redisReserveCommit(Redis r) {
    String id = Long.toString(r.ids.incrementAndGet());
    Admission a = r.ledger.reserve(id, SCOPES, 1_000);
    return a.granted() ? r.ledger.commit(id, 900).actualNanos() : -1;
  }

  @Benchmark
  @Threads(8)
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public long redisReserveCommitLatency(Redis r) {
    return redisReserveCommit(r);
  }
}
