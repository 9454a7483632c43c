package dev.kopeck.bench;

import com.sun.management.ThreadMXBean;
import dev.kopeck.tokens.TokenCounter;
import dev.kopeck.tokens.Tokenizers;
import java.lang.management.ManagementFactory;

/**
 * Where the worst-case text's time and allocation go: counts each third of the 8 MiB worst text
 * ({@link BenchText}: one run of a letter, base64 of random bytes, digits) and the whole, three warm
 * rounds then a measured one; beside the wall-clock time, the thread's CPU time, which moves less
 * when other processes share the cores:
 * {@code java -Xms2g -Xmx2g -cp bench/target/benchmarks.jar dev.kopeck.bench.WorstParts o200k_base}.
 */
public final class WorstParts {
  private WorstParts() {}

  public static void main(String[] args) {
    String id = args.length > 0 ? args[0] : "o200k_base";
    String w = BenchText.ofBytes("worst", 8 << 20);
    int third = w.length() / 3;
    String[] parts = {w.substring(0, third), w.substring(third, 2 * third), w.substring(2 * third), w};
    String[] names = {"letter run", "base64", "digits", "all"};
    TokenCounter t = Tokenizers.require(id);
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 4; round++) {
      for (int k = 0; k < parts.length; k++) {
        long bytes = threads.getCurrentThreadAllocatedBytes();
        long cpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        int n = t.count(parts[k]);
        long ns = System.nanoTime() - start;
        cpu = threads.getCurrentThreadCpuTime() - cpu;
        long allocated = threads.getCurrentThreadAllocatedBytes() - bytes;
        if (round == 3) {
          System.out.printf("%s %s: %d tokens, %.1f ms (%.1f ms CPU), %.1f MB allocated%n", id, names[k], n, ns / 1e6,
              cpu / 1e6, allocated / 1e6);
        }
      }
    }
  }
}
