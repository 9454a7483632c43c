package dev.kopeck.bench;

import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.estimate.ChatRequestParser;
import dev.kopeck.core.estimate.Estimator;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.core.reconcile.Reconciler;
import dev.kopeck.spend.PostgresSpendSink;
import dev.kopeck.spend.SpendLog;
import dev.kopeck.spend.SpendRecord;
import dev.kopeck.pricing.usage.Usage;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The spend log's cost: a guard's reserve and commit (in memory) with the log attached and without
 * (the log shipping to the PostgreSQL at 127.0.0.1:5432, database test), 2 threads; and the
 * PostgreSQL sink alone, records a second in batches of 1,000.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class SpendBenchmark {
  static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

  @State(Scope.Benchmark)
  public static class Guarded {
    @Param({"none", "postgresql"})
    public String log;

    BudgetGuard guard;
    SpendLog spend;
    ChatRequest request;
    final AtomicLong next = new AtomicLong();
    final List<dev.kopeck.budget.Scope> scopes = List.of(dev.kopeck.budget.Scope.of("bench:team"));

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      InMemoryLedger ledger = InMemoryLedger.builder().idempotencyWindow(Duration.ZERO).build();
      ledger.setLimit(scopes.get(0), -1, BudgetPeriod.NONE);
      Estimator est = Estimator.standard();
      guard = new BudgetGuard(est, Reconciler.builder().estimator(est).build(), ledger, Clock.systemUTC());
      if (log.equals("postgresql")) {
        PostgresSpendSink sink = new PostgresSpendSink(URL, "postgres", null);
        sink.migrate();
        spend = SpendLog.builder(Files.createTempDirectory("kopeck-spend-bench"), sink).build();
        guard = guard.withListener(spend);
      }
      request = ChatRequestParser.parse("r", "{\"model\":\"google/gemini-2.0-flash-001\",\"max_tokens\":100,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in three words.\"}]}");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      if (spend != null) {
        System.out.println("spend log backlog at the end: " + spend.backlogBytes() + " bytes");
        spend.close(Duration.ofSeconds(120));
      }
    }
  }

  /** A reserve and its commit through the guard: what a call costs the service. */
  @Benchmark
  @Threads(2)
  public Object reserveCommit(Guarded g) {
    String id = "bench-" + System.nanoTime() + "-" + g.next.incrementAndGet();
    g.guard.admit(id, g.request, g.scopes);
    return g.guard.charge(id, g.request, Usage.of(1000, 200), false);
  }

  @State(Scope.Thread)
  public static class Sink {
    PostgresSpendSink sink;
    long next;
    final String run = "bench-sink-" + System.nanoTime() + "-";

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      sink = new PostgresSpendSink(URL, "postgres", null);
      sink.migrate();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      sink.close();
    }

    List<SpendRecord> batch() {
      List<SpendRecord> b = new ArrayList<>(1000);
      Instant now = Instant.now();
      for (int i = 0; i < 1000; i++) {
        b.add(new SpendRecord(run + next++, SpendRecord.Event.COMMIT, now, List.of("bench:team"),
            "google/gemini-2.0-flash-001", "routerai", "RUB", new BigDecimal("0.027"), 75_000_000L, 27_000_000L, 0,
            false, false, 1000, 0, 0, 200, 0, null));
      }
      return b;
    }
  }

  /** The PostgreSQL sink alone: a batch of 1,000 records a transaction. */
  @Benchmark
  @OperationsPerInvocation(1000)
  public void postgresSink(Sink s) throws Exception {
    s.sink.write(s.batch());
  }
}
