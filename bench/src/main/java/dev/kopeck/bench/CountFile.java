package dev.kopeck.bench;

import dev.kopeck.tokens.TokenCounter;
import dev.kopeck.tokens.Tokenizers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Times one tokenizer on one file, the way {@code node ../shared/oracle/count.js} does (vocabulary
 * loaded first, then the encode of the whole text timed):
 * {@code java -cp bench/target/benchmarks.jar dev.kopeck.bench.CountFile gemma3 FILE [RUNS]}.
 * Prints the vocabulary load time, the first (cold JIT) count, and the best of the following runs.
 * A file of a million chars or more is counted on all cores, as {@code TokenCounter.count} does.
 */
public final class CountFile {
  private CountFile() {}

  public static void main(String[] args) throws Exception {
    String text = Files.readString(Path.of(args[1]), StandardCharsets.UTF_8);
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    long bytes = text.getBytes(StandardCharsets.UTF_8).length;
    long t0 = System.nanoTime();
    TokenCounter t = Tokenizers.require(args[0]);
    t.count("warm the vocabulary");
    long t1 = System.nanoTime();
    int n = t.count(text);
    long t2 = System.nanoTime();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < runs; i++) {
      long s = System.nanoTime();
      int m = t.count(text);
      best = Math.min(best, System.nanoTime() - s);
      if (m != n) {
        throw new IllegalStateException("count changed: " + n + " then " + m);
      }
    }
    System.out.printf("%s %s: %d tokens, %d bytes; load %.0f ms; first count %.1f ms (%.1f MB/s); best of %d %.1f ms (%.1f MB/s)%n",
        args[0], args[1], n, bytes, (t1 - t0) / 1e6, (t2 - t1) / 1e6, bytes / ((t2 - t1) / 1e3), runs, best / 1e6,
        bytes / (best / 1e3));
  }
}
