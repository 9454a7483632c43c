package dev.kopeck.bench;

import dev.kopeck.tokens.TokenCounter;
import dev.kopeck.tokens.Tokenizers;
import dev.kopeck.tokens.internal.Counters;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Counting the 8 MiB natural text cut for all cores ({@code threads} = 1: one pass on the calling
 * thread; 2, 4: about four parts a thread, on a fork-join pool of that many threads). {@code count}
 * uses the common pool and the caller, so on an N-core machine it is the {@code threads} = N row.
 * Checked in setUp to give the one-pass count.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class ParallelCountBenchmark {
  @Param({"o200k_base", "gemma3"})
  public String encoding;

  @Param({"1", "2", "4"})
  public int threads;

  String input;
  TokenCounter counter;

  @Setup
  public void setUp() {
    input = BenchText.ofBytes("natural", 8 << 20);
    counter = Tokenizers.require(encoding);
    int one = Counters.count(counter, input, 1);
    int cut = Counters.count(counter, input, threads);
    if (one != cut) {
      throw new IllegalStateException(encoding + ": " + cut + " tokens on " + threads + " threads, " + one + " on one");
    }
  }

  @Benchmark
  public int count() {
    return Counters.count(counter, input, threads);
  }
}
