package dev.kopeck.tokens.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link MergeTable} against a {@link HashMap}: pairs on both sides of the dense table's edge (ids
 * 0 to 127 and beyond, up to the last id a slot holds), ranks given or by position, results equal to
 * the rank (tiktoken's) or not; the first of a pair listed twice wins; anything else is MISSING.
 */
class MergeTableTest {
  private static final int LAST = (1 << MergeTable.BITS) - 1;

  @Test
  void agreesWithAHashMap() {
    SplittableRandom r = new SplittableRandom(20261207L);
    int[] edges = {0, 1, 126, 127, 128, 129, 255, 256, 70_000, 199_999, LAST};
    for (int round = 0; round < 30; round++) {
      int n = 1 + r.nextInt(3000);
      int kind = round % 3; // 0: results are the ranks; 1: ranks by position; 2: ranks given, results not
      int[] left = new int[n];
      int[] right = new int[n];
      int[] rank = kind == 1 ? null : new int[n];
      int[] result = new int[n];
      Map<Long, Long> expected = new HashMap<>();
      for (int i = 0; i < n; i++) {
        left[i] = pick(r, edges);
        right[i] = pick(r, edges);
        int rk = kind == 1 ? i : 3 * i + 1;
        if (rank != null) {
          rank[i] = rk;
        }
        result[i] = kind == 0 ? rk : 1000 + r.nextInt(LAST - 1000);
        expected.putIfAbsent(key(left[i], right[i]), (long) rk << 32 | result[i]);
      }
      MergeTable m = new MergeTable(left, right, rank, result);
      assertThat(m.size()).isEqualTo(expected.size());
      for (Map.Entry<Long, Long> e : expected.entrySet()) {
        assertThat(m.get((int) (e.getKey() >>> 32), (int) (long) e.getKey())).isEqualTo(e.getValue());
      }
      for (int i = 0; i < 5000; i++) {
        int a = pick(r, edges);
        int b = pick(r, edges);
        assertThat(m.get(a, b)).as("%d %d", a, b).isEqualTo(expected.getOrDefault(key(a, b), MergeTable.MISSING));
      }
      assertThat(m.get(-1, 5)).isEqualTo(MergeTable.MISSING);
      assertThat(m.get(5, LAST + 1)).isEqualTo(MergeTable.MISSING);
    }
  }

  @Test
  void refusesWhatASlotCannotHold() {
    assertThatThrownBy(() -> new MergeTable(new int[] {1, LAST + 1}, new int[] {2, 3}, null, new int[] {9, 10}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("merge 1 (2097152 3, rank 1): token ids and ranks must be in [0, 2097152)");
    assertThatThrownBy(() -> new MergeTable(new int[] {1, 4}, new int[] {2, 3}, new int[] {7, 7}, new int[] {9, 10}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("merge 1 (4 3): rank 7 makes token 10 here and 9 in an earlier merge");
  }

  private static int pick(SplittableRandom r, int[] edges) {
    return switch (r.nextInt(3)) {
      case 0 -> edges[r.nextInt(edges.length)];
      case 1 -> r.nextInt(128);
      default -> r.nextInt(400);
    };
  }

  private static long key(int a, int b) {
    return (long) a << 32 | b;
  }
}
