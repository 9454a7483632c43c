package dev.kopeck.bench;

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
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The first use of a tokenizer in a fresh JVM: reading the bundled vocabulary from the jar and
 * building its tables, cold (one shot per fork, no warm-up).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(5)
public class VocabularyLoadBenchmark {
  @Param({"gemma3", "gemma", "o200k_base", "cl100k_base", "o200k_harmony", "llama3", "qwen3", "deepseek_v3"})
  public String encoding;

  @Benchmark
  public int firstUse() {
    return Tokenizers.require(encoding).count("the first count loads the vocabulary");
  }
}
