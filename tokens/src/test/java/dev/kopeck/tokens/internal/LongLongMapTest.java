package dev.kopeck.tokens.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link LongLongMap} against a {@link HashMap}: keys made of two ints around the dense table's edge
 * (0 to 127 on either side, 128 and more, negative), first put wins, absent keys are MISSING.
 */
class LongLongMapTest {
  @Test
  void agreesWithAHashMapOnBothSidesOfTheDenseTable() {
    SplittableRandom r = new SplittableRandom(20261207L);
    int[] edges = {0, 1, 126, 127, 128, 129, 255, 256, 70_000, 199_999, Integer.MAX_VALUE, -1, Integer.MIN_VALUE};
    for (int round = 0; round < 20; round++) {
      int n = 1 + r.nextInt(3000);
      LongLongMap m = new LongLongMap(n);
      Map<Long, Long> expected = new HashMap<>();
      for (int i = 0; i < n; i++) {
        long key = key(pick(r, edges), pick(r, edges));
        if (key == Long.MIN_VALUE) {
          continue; // the one key the map cannot hold
        }
        long value = r.nextLong(0, Long.MAX_VALUE);
        assertThat(m.putIfAbsent(key, value)).as("put %x", key).isEqualTo(!expected.containsKey(key));
        expected.putIfAbsent(key, value);
      }
      assertThat(m.size()).isEqualTo(expected.size());
      for (int i = 0; i < 5000; i++) {
        long key = key(pick(r, edges), pick(r, edges));
        assertThat(m.get(key)).as("get %x", key).isEqualTo(expected.getOrDefault(key, LongLongMap.MISSING));
      }
      for (Map.Entry<Long, Long> e : expected.entrySet()) {
        assertThat(m.get(e.getKey())).isEqualTo(e.getValue());
      }
    }
  }

  private static int pick(SplittableRandom r, int[] edges) {
    return switch (r.nextInt(3)) {
      case 0 -> edges[r.nextInt(edges.length)];
      case 1 -> r.nextInt(128);
      default -> r.nextInt(400);
    };
  }

  private static long key(int a, int b) {
    return ((long) a << 32) | (b & 0xFFFFFFFFL);
  }
}
