package dev.kopeck.bench;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
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
 * Counting a whole text, single-threaded: Kopeck's engines (Gemma 3; the byte-level o200k_base,
 * cl100k_base, llama3, qwen3, deepseek_v3) and, in the same run, JTokkit 1.1.0's o200k_base and
 * cl100k_base ({@code jtokkit-*}) as the baseline. {@code size} is the text's UTF-8 length in bytes,
 * so MB/s = size / time. {@code natural} is mixed prose and code, {@code worst} has no spaces at all
 * ({@link BenchText}). Both sides count the same tokens (checked in setUp). Kopeck counts on the
 * calling thread alone here ({@code count} would cut a large natural text for all cores:
 * {@link ParallelCountBenchmark} measures that).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class TokenizerBenchmark {
  @Param({"gemma3", "o200k_base", "cl100k_base", "llama3", "qwen3", "deepseek_v3", "jtokkit-o200k_base",
      "jtokkit-cl100k_base"})
  public String encoding;

  @Param({"natural", "worst"})
  public String text;

  @Param({"1024", "65536", "1048576", "8388608"})
  public int size;

  String input;
  TokenCounter counter;
  Encoding jtokkit;

  @Setup
  public void setUp() {
    input = BenchText.ofBytes(text, size);
    if (encoding.startsWith("jtokkit-")) {
      String id = encoding.substring("jtokkit-".length());
      jtokkit = Encodings.newDefaultEncodingRegistry().getEncoding(id.equals("o200k_base") ? EncodingType.O200K_BASE
          : EncodingType.CL100K_BASE);
      int theirs = jtokkit.countTokensOrdinary(input);
      int ours = Tokenizers.require(id).count(input);
      if (theirs != ours) {
        throw new IllegalStateException(encoding + " counts " + theirs + ", Kopeck " + ours + " on " + text + " " + size);
      }
    } else {
      counter = Tokenizers.require(encoding);
      counter.count("load the vocabulary");
    }
  }

  @Benchmark
  public int count() {
    return jtokkit != null ? jtokkit.countTokensOrdinary(input) : Counters.count(counter, input, 1);
  }
}
