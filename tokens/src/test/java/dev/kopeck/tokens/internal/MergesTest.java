package dev.kopeck.tokens.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The three ways {@link Merges} runs BPE give the same tokens: the scan (the plain definition, used
 * as the reference at every length here), the heap and the rank buckets. Merge lists are random:
 * "trained" ones create each token at its own rank, as a trained list does; "adversarial" ones let
 * a merge use a token that a later merge creates, which makes the buckets give up (they must then
 * say so, and the heap gives the answer).
 */
class MergesTest {
  /** A random merge list of {@code n} merges over {@code alphabet} letters. */
  static MergeTable mergeList(SplittableRandom r, int alphabet, int n, boolean trained) {
    int[] left = new int[n];
    int[] right = new int[n];
    int[] made = new int[n];
    for (int rank = 0; rank < n; rank++) {
      made[rank] = alphabet + rank;
      // trained: both sides exist before this merge; adversarial: either may be made by a later one
      int bound = trained ? made[rank] : alphabet + n;
      left[rank] = r.nextInt(bound);
      right[rank] = r.nextInt(bound);
    }
    return new MergeTable(left, right, null, made);
  }

  static int[] run(int strategy, Merges merges, int[] word) {
    Scratch s = new Scratch();
    int[] sym = s.symbols(word.length);
    System.arraycopy(word, 0, sym, 0, word.length);
    int n = switch (strategy) {
      case 0 -> merges.mergeSmall(s, word.length);
      case 1 -> merges.mergeLarge(s, word.length);
      default -> merges.mergeBuckets(s, word.length);
    };
    return n < 0 ? null : Arrays.copyOf(s.sym, n);
  }

  @ParameterizedTest(name = "{0} merge lists, words of {1} letters")
  @CsvSource({"trained, 80", "trained, 2100", "trained, 5000", "adversarial, 2100", "adversarial, 4000"})
  void theThreeStrategiesAgree(String kind, int length) {
    boolean trained = kind.equals("trained");
    SplittableRandom r = new SplittableRandom(20261127L + length);
    int gaveUp = 0;
    for (int round = 0; round < 40; round++) {
      // two letters and a short list make the adversarial pairs meet in the word
      int alphabet = trained ? 4 : 2;
      Merges merges = new Merges(mergeList(r, alphabet, trained ? 60 : 12, trained));
      int[] word = new int[length];
      for (int i = 0; i < length; i++) {
        // runs of one letter now and then, as in "aaaa…", where the buckets matter
        word[i] = i > 0 && r.nextInt(4) == 0 ? word[i - 1] : r.nextInt(alphabet);
      }
      int[] reference = run(0, merges, word);
      assertThat(run(1, merges, word)).as("heap, round %d", round).isEqualTo(reference);
      int[] buckets = run(2, merges, word);
      if (buckets == null) {
        gaveUp++;
      } else {
        assertThat(buckets).as("buckets, round %d", round).isEqualTo(reference);
      }
      // what the tokenizer calls: the same answer, whichever way it takes
      Scratch s = new Scratch();
      System.arraycopy(word, 0, s.symbols(length), 0, length);
      assertThat(Arrays.copyOf(s.sym, merges.merge(s, length))).isEqualTo(reference);
    }
    if (trained) {
      assertThat(gaveUp).as("the buckets never give up on a trained list").isZero();
    } else {
      assertThat(gaveUp).as("adversarial lists reach the buckets' way out").isPositive();
    }
  }
}
