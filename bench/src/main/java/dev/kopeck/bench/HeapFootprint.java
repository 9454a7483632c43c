package dev.kopeck.bench;

import dev.kopeck.tokens.TokenCounter;
import dev.kopeck.tokens.Tokenizers;
import java.lang.management.ManagementFactory;

/**
 * Retained heap of a tokenizer: heap in use after a full GC, before loading it and after loading it
 * and counting an 8 MB natural text (which fills the shared word cache):
 * {@code java -cp bench/target/benchmarks.jar dev.kopeck.bench.HeapFootprint [gemma3]}.
 */
public final class HeapFootprint {
  private HeapFootprint() {}

  static long used() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  public static void main(String[] args) throws Exception {
    String id = args.length > 0 ? args[0] : "gemma3";
    String text = BenchText.ofBytes("natural", 8 << 20);
    long before = used();
    TokenCounter t = Tokenizers.require(id);
    int n = t.count("x");
    long loaded = used();
    n += t.count(text);
    long filled = used();
    System.out.printf("%s: retained after load %.1f MB, after counting 8 MB of text (word cache full) %.1f MB (%d)%n",
        id, (loaded - before) / 1e6, (filled - before) / 1e6, n);
  }
}
