package dev.kopeck.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * Not Kopeck's code: the machine's. Two threads hand one cache line back and forth (JMH's sample
 * 18); an operation is one round trip, about twice what a core waits for a line another core
 * wrote. The multi-threaded benchmarks ({@link BudgetBenchmark} most) depend on it, and on a
 * virtual machine it moves with where the host puts the virtual CPUs: run it beside them to tell
 * a change of the code from one of the machine.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CoreToCoreBenchmark {
  final AtomicBoolean flag = new AtomicBoolean();

  @Benchmark
  @Group("roundTrip")
  public void ping(Control c) {
    while (!c.stopMeasurement && !flag.compareAndSet(false, true)) {
      Thread.onSpinWait();
    }
  }

  @Benchmark
  @Group("roundTrip")
  public void pong(Control c) {
    while (!c.stopMeasurement && !flag.compareAndSet(true, false)) {
      Thread.onSpinWait();
    }
  }
}
