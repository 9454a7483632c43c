package dev.kopeck.bench;

import dev.kopeck.pricing.catalog.Catalog;
import dev.kopeck.pricing.tariff.TariffSource;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The heap the loaded catalog keeps: ten catalogs read and held, the used heap after a full GC
 * before and after, divided by ten. {@code java -cp bench/target/benchmarks.jar dev.kopeck.bench.CatalogHeap}
 */
public final class CatalogHeap {
  private CatalogHeap() {}

  public static void main(String[] args) throws Exception {
    String json = null;
    for (TariffSource s : ServiceLoader.load(TariffSource.class)) {
      for (Map.Entry<String, String> e : s.catalogs().entrySet()) {
        json = e.getValue();
      }
    }
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    long t0 = System.nanoTime();
    Catalog first = Catalog.read("heap", json);
    long coldMs = (System.nanoTime() - t0) / 1_000_000;
    long before = used(mem);
    List<Catalog> kept = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      kept.add(Catalog.read("heap", json));
    }
    long after = used(mem);
    System.out.printf("catalog: first read %d ms in a fresh JVM; retained heap %.1f MB a catalog (%d providers)%n",
        coldMs, (after - before) / 10 / 1e6, kept.get(9).providers().size() + first.providers().size() * 0);
  }

  private static long used(MemoryMXBean mem) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return mem.getHeapMemoryUsage().getUsed();
  }
}
