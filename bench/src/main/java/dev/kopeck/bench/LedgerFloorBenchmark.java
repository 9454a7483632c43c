package dev.kopeck.bench;

import dev.kopeck.budget.internal.SipHash;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What no exact in-memory ledger can skip for a reserve and its commit, measured like {@link
 * BudgetBenchmark#inMemoryReserveCommit} (2 threads, the same ids, the same heap): the clock read
 * twice, a keyed 128-bit hash of the id, one atomic update of the id's randomly placed line in a
 * table as large as the ledger's for the same number of ids (64 bytes and 4 slots an id), the
 * commit's update of the same line, two counters reserved from and committed to per thread, and
 * the two answers allocated. It keeps nothing a ledger must keep (no probing, no second check of
 * the id, no state): an upper bound on the ledger's pairs per second on the same machine, not a
 * ledger.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class LedgerFloorBenchmark {
  /** The answers a ledger allocates: a reservation with its expiry, and a commit. */
  record Reserved(String id, long amount, Instant expires) {}

  record Committed(String id, long actual, long reserved) {}

  @State(Scope.Benchmark)
  public static class Table {
    @Param({"10000", "1000000"})
    public int remembered;

    AtomicLongArray lines;
    int mask;
    final Clock clock = Clock.systemUTC();
    /** The ledger's own hash, SipHash-1-3-128. */
    final SipHash sip = new SipHash(0x0706050403020100L, 0x0f0e0d0c0b0a0908L, 1, 3);

    @Setup
    public void setUp() {
      int slots = Integer.highestOneBit(Math.max(16, remembered) * 4 - 1) << 1;
      lines = new AtomicLongArray(slots * 8);
      mask = slots - 1;
    }
  }

  @State(Scope.Thread)
  public static class Ids {
    final String thread = UUID.randomUUID().toString().substring(0, 8) + "-";
    long next;
    final long[] h = new long[24];
    final AtomicLongArray cells = new AtomicLongArray(48); // two counters' lease and spending, padded

    String id() {
      return thread + (next++);
    }
  }

  @Benchmark
  @Threads(2)
  public long reserveCommitFloor(Table t, Ids ids) {
    String id = ids.id();
    long now = t.clock.millis();
    t.sip.hash128(id, ids.h, 8);
    int at = (int) (ids.h[8] & t.mask) * 8;
    long w = t.lines.get(at);
    t.lines.compareAndSet(at, w, w + 1);
    t.lines.set(at + 1, ids.h[9]);
    ids.cells.getAndAdd(16, -1_000);
    ids.cells.getAndAdd(32, -1_000);
    Reserved r = new Reserved(id, 1_000, Instant.ofEpochMilli(now + 600_000));
    long later = t.clock.millis();
    w = t.lines.get(at);
    t.lines.compareAndSet(at, w, w + 1 + later);
    for (int c = 16; c <= 32; c += 16) {
      ids.cells.getAndAdd(c, 100);
      ids.cells.getAndAdd(c + 1, 900);
    }
    return new Committed(r.id(), 900, r.amount()).actual();
  }
}
