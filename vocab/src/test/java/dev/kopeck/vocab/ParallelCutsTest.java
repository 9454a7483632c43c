package dev.kopeck.vocab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.tokens.TokenCounter;
import dev.kopeck.tokens.Tokenizers;
import dev.kopeck.tokens.internal.Counters;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A text cut where the engine allows (docs/design/tokenizers.md, "Cutting a text for all cores")
 * and encoded part by part gives exactly the ids of one pass: at every allowed place at once, and
 * at each alone for the short files, over the golden corpus and random texts, for all ten
 * vocabularies.
 */
class ParallelCutsTest {
  static Stream<Arguments> golden() throws IOException {
    List<Arguments> out = new ArrayList<>();
    List<String> lines = GoldenCountsTest.resource("counts.tsv").lines().toList();
    for (String enc : GoldenCountsTest.ENCODINGS) {
      for (String line : lines.subList(1, lines.size())) {
        out.add(Arguments.of(enc, line.split("\t")[0]));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("golden")
  void cutsAtEveryAllowedPlaceGiveTheIdsOfOnePass(String encoding, String file) throws IOException {
    String text = GoldenCountsTest.resource("corpus/" + file);
    check(Tokenizers.require(encoding), text, text.length() <= 4096);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gemma3", "gemma", "o200k_base", "cl100k_base", "p50k_base", "r50k_base", "o200k_harmony",
      "llama3", "qwen3", "deepseek_v3"})
  void randomTextsCutAnywhereAllowedGiveTheIdsOfOnePass(String encoding) {
    TokenCounter t = Tokenizers.require(encoding);
    String[] bits = {"a", "b", "Z", "x", "q", " ", " ", " ", "  ", "\n", "\r\n", "\t", "1", "42", "'s", "'LL", "\u017f",
        ".", ",", "!", "/", "-", "\u0301", "\u00e9", "e\u0301", "\u4e2d", "\u3042", "\u30a2", "\u2581", "\ud83d\ude00",
        "\u0663", "<|endoftext|>", "<start_of_turn>", "<|im_start|>", "word ", " Word", "it's ", "A B"};
    Random r = new Random(33);
    for (int n = 0; n < 200; n++) {
      check(t, random(r, bits, 120), true);
    }
  }

  /** Up to {@code max} of {@code bits}, drawn at random. */
  private static String random(Random r, String[] bits, int max) {
    StringBuilder sb = new StringBuilder();
    int len = 1 + r.nextInt(max);
    for (int k = 0; k < len; k++) {
      sb.append(bits[r.nextInt(bits.length)]);
    }
    return sb.toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"gemma3", "o200k_base", "cl100k_base", "r50k_base", "qwen3", "deepseek_v3"})
  void aLargeCountIsTheOnePassCount(String encoding) throws IOException {
    TokenCounter t = Tokenizers.require(encoding);
    StringBuilder sb = new StringBuilder();
    String prose = GoldenCountsTest.resource("corpus/" + firstProse());
    while (sb.length() < (3 << 20) / 2) {
      sb.append(prose).append(" and more words ");
    }
    String text = sb.toString();
    int[] cuts = Counters.cuts(t, text, 2);
    assertThat(cuts).as("a large text of prose is cut").isNotEmpty();
    int onePass = t.encode(text).length;
    assertThat(t.count(text)).isEqualTo(onePass);
    assertThat(t.countUpTo(text, onePass)).isEqualTo(onePass);
    assertThat(t.countUpTo(text, onePass - 1)).isEqualTo(onePass);
    assertThat(t.countUpTo(text, 300_000)).isEqualTo(onePass > 300_000 ? 300_001 : onePass);
    assertThat(Counters.count(t, text, 4)).isEqualTo(onePass);
    assertThat(Counters.count(t, text, 1)).isEqualTo(onePass);
  }

  /**
   * A walk reads a text longer than its buffer (64K chars) a window at a time, each window ending
   * where the text may be cut: walked in windows of any size, a text gives the ids of one window over
   * all of it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gemma3", "gemma", "o200k_base", "cl100k_base", "p50k_base", "r50k_base", "o200k_harmony",
      "llama3", "qwen3", "deepseek_v3"})
  void aTextWalkedInWindowsOfAnySizeGivesTheIdsOfOneWindow(String encoding) {
    TokenCounter t = Tokenizers.require(encoding);
    String[] bits = {"a", "Z", "x", "s", " ", "  ", "\n", "1", "42", "7", "+", "/", "'s", "\u00e9", "\u4e2d",
        "\ud83d\ude00", "<|endoftext|>", "<start_of_turn>", "\u2581", "word ", " Word", "it's ", "A1", "b2c"};
    Random r = new Random(34);
    for (int n = 0; n < 60; n++) {
      String text = random(r, bits, 600);
      int[] whole = Counters.encodeInWindows(t, text, Integer.MAX_VALUE);
      for (int w : new int[] {1, 2, 7, 16, 100}) {
        assertThat(Counters.encodeInWindows(t, text, w)).as("windows of %d over %s", w, text).containsExactly(whole);
      }
    }
  }

  /**
   * Base64 has no space to cut at, but a digit after a letter: a long one is walked in windows and
   * counted in parts by the byte-level families; Gemma's is one window.
   */
  @ParameterizedTest
  @ValueSource(strings = {"o200k_base", "cl100k_base", "deepseek_v3", "gemma3"})
  void aLongBase64TextCountsEncodesAndTruncatesAsOneWindow(String encoding) {
    TokenCounter t = Tokenizers.require(encoding);
    byte[] random = new byte[900_000];
    new Random(35).nextBytes(random);
    String text = java.util.Base64.getEncoder().encodeToString(random); // 1.2M chars
    int[] whole = Counters.encodeInWindows(t, text, Integer.MAX_VALUE);
    assertThat(t.encode(text)).isEqualTo(whole); // not containsExactly: AssertJ's is slow on 500K ids
    if (!encoding.startsWith("gemma")) { // Gemma's walk is cut only between words
      assertThat(Counters.cuts(t, text, 2)).as("base64 is cut for all cores").isNotEmpty();
    }
    assertThat(t.count(text)).isEqualTo(whole.length);
    assertThat(Counters.count(t, text, 1)).isEqualTo(whole.length);
    assertThat(t.countUpTo(text, whole.length / 2)).isEqualTo(whole.length / 2 + 1);
    assertThat(t.countUpTo(text, whole.length)).isEqualTo(whole.length);
    int half = whole.length / 2 + 12_345;
    CharSequence head = t.truncate(text, half);
    assertThat(head.toString()).isEqualTo(t.decode(java.util.Arrays.copyOf(whole, half)));
  }

  private static String firstProse() throws IOException {
    return GoldenCountsTest.resource("counts.tsv").lines().skip(1).map(l -> l.split("\t")[0])
        .filter(f -> f.contains("english") || f.contains("prose")).findFirst().orElseThrow();
  }

  private static void check(TokenCounter t, String text, boolean eachAlone) {
    int[] onePass = t.encode(text);
    int[] allowed = Counters.allowedCuts(t, text);
    assertThat(Counters.encodeParts(t, text, allowed)).as("cut at all %d allowed places", allowed.length)
        .containsExactly(onePass);
    if (eachAlone) {
      for (int at : allowed) {
        assertThat(Counters.encodeParts(t, text, new int[] {at})).as("cut at %d", at).containsExactly(onePass);
      }
    }
  }
}
