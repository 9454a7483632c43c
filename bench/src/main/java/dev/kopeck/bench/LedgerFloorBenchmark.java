package dev.kopeck.bench;

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
    final Sip sip = new Sip(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);

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
    t.sip.hash128(id, ids.h);
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

  /** SipHash-1-3-128 over UTF-16 chars, as the ledger hashes ids (a copy: the ledger's is not exported). */
  static final class Sip {
    private final long k0;
    private final long k1;

    Sip(long k0, long k1) {
      this.k0 = k0;
      this.k1 = k1;
    }

    void hash128(String s, long[] out) {
      long v0 = k0 ^ 0x736f6d6570736575L;
      long v1 = k1 ^ 0x646f72616e646f6dL ^ 0xee;
      long v2 = k0 ^ 0x6c7967656e657261L;
      long v3 = k1 ^ 0x7465646279746573L;
      int n = s.length();
      int end = n & ~3;
      for (int i = 0; i <= end; i += 4) {
        long m;
        if (i < end) {
          m = s.charAt(i) | (long) s.charAt(i + 1) << 16 | (long) s.charAt(i + 2) << 32 | (long) s.charAt(i + 3) << 48;
        } else {
          m = (long) (2 * n & 0xff) << 56;
          for (int j = i, shift = 0; j < n; j++, shift += 16) {
            m |= (long) s.charAt(j) << shift;
          }
        }
        v3 ^= m;
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        v0 ^= m;
      }
      v2 ^= 0xee;
      for (int half = 0; half < 2; half++) {
        for (int r = 0; r < 3; r++) {
          v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
          v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
          v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
          v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        out[8 + half] = v0 ^ v1 ^ v2 ^ v3;
        v1 ^= 0xdd;
      }
    }
  }
}
