package dev.kopeck.bench;

import dev.kopeck.tokens.TokenCounter;
import dev.kopeck.tokens.Tokenizers;
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
 * Counting a whole text, single-threaded: Kopeck's Gemma 3 tokenizer and, in the same run, JTokkit's
 * o200k_base and cl100k_base as the baseline. {@code size} is the text's UTF-8 length in bytes, so
 * MB/s = size / time. {@code natural} is mixed prose and code, {@code worst} has no spaces at all
 * ({@link BenchText}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class TokenizerBenchmark {
  @Param({"gemma3", "o200k_base", "cl100k_base"})
  public String encoding;

  @Param({"natural", "worst"})
  public String text;

  @Param({"1024", "65536", "1048576", "8388608"})
  public int size;

  String input;
  TokenCounter counter;

  @Setup
  public void setUp() {
    input = BenchText.ofBytes(text, size);
    counter = Tokenizers.require(encoding);
    counter.count("load the vocabulary");
  }

  @Benchmark
  public int count() {
    return counter.count(input);
  }
}
