package dev.kopeck.tokens.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kopeck.base.InputException;
import dev.kopeck.tokens.media.MediaRules.Detail;
import dev.kopeck.tokens.media.MediaRules.Resolution;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each model family's image rule, with figures worked by hand from the providers' published steps (docs/media.md). */
class MediaRulesTest {
  static long tokens(String rules, long w, long h) {
    return MediaRules.require(rules).imageTokens(w, h, Detail.AUTO, Resolution.UNSPECIFIED);
  }

  /** Issue 18: Gemini fits an image into 3072×3072 before tiling; 5000×5000 was 7 × 7 tiles (12,642 tokens). */
  @ParameterizedTest
  @CsvSource({
      "384, 384, 258", // both sides at most 384: 258
      "385, 100, 258", // 1 × 1 tile
      "1536, 769, 1032", // 2 × 2 tiles
      "5000, 5000, 4128", // 3072 × 3072: 4 × 4 tiles
      "6144, 1000, 1032", // 3072 × 500: 4 × 1 tiles
      "100000, 1, 1032", // 3072 × 1 (never below 1 px): 4 × 1 tiles
      "3072, 3072, 4128"})
  void geminiFitsThenTiles(long w, long h, long expected) {
    assertThat(tokens("gemini-2.0", w, h)).isEqualTo(expected);
  }

  /** Issue 18: openai-tiles gave 85 (no tile) where scaling made a side 0 px. */
  @ParameterizedTest
  @CsvSource({
      "1, 2049, 765", // 1 × 2048 after the fit, not 0 × 2048: 1 × 4 tiles
      "2, 4097, 765", // 1 × 2048
      "5000, 2, 765", // 2048 × 1
      "1024, 1024, 765", // 768 × 768: 2 × 2 tiles
      "2048, 4096, 1105", // 1024 × 2048, then 768 × 1536: 2 × 3 tiles
      "512, 512, 255"})
  void openAiTilesNeverLoseASide(long w, long h, long expected) {
    assertThat(tokens("openai-tiles", w, h)).isEqualTo(expected);
  }

  @Test
  void gpt4oMiniAndTheOSeriesHaveTheirOwnTileRates() {
    // 1024 × 1024 is 768 × 768: 4 tiles
    assertThat(tokens("openai-tiles-4o-mini", 1024, 1024)).isEqualTo(2833 + 4 * 5667);
    assertThat(tokens("openai-tiles-o", 1024, 1024)).isEqualTo(75 + 4 * 150);
    assertThat(MediaRules.require("openai-tiles-4o-mini").imageTokens(4000, 4000, Detail.LOW, Resolution.UNSPECIFIED))
        .isEqualTo(2833);
  }

  /** OpenAI's patch rule, its documented examples: 1024 × 1024 is 1,024 patches; 1800 × 2400 is scaled to 1,452. */
  @Test
  void patchesAreCountedThenMultiplied() {
    assertThat(StandardRules.OpenAiPatches.patches(1024, 1024)).isEqualTo(1024);
    assertThat(StandardRules.OpenAiPatches.patches(1800, 2400)).isEqualTo(1452);
    assertThat(StandardRules.OpenAiPatches.patches(1, 1)).isEqualTo(1);
    assertThat(StandardRules.OpenAiPatches.patches(100_000, 1)).isLessThanOrEqualTo(1536);
    assertThat(tokens("openai-patches-1.62", 1024, 1024)).isEqualTo(1659); // 1,658.88 rounded up
    assertThat(tokens("openai-patches-2.46", 1024, 1024)).isEqualTo(2520); // 2,519.04
    assertThat(tokens("openai-patches-1.72", 1800, 2400)).isEqualTo(2498); // 2,497.44
    assertThat(MediaRules.require("openai-patches-1.62").worstCaseImageTokens(Detail.AUTO, Resolution.UNSPECIFIED))
        .isEqualTo(2489); // 1,536 × 1.62 = 2,488.32
  }

  /** Anthropic: w × h / 750 after fitting a 1,568 px long edge and about 1,600 tokens. */
  @Test
  void claudeCountsPixels() {
    assertThat(tokens("anthropic", 1000, 1000)).isEqualTo(1334); // 1,333.3
    assertThat(tokens("anthropic", 200, 200)).isEqualTo(54); // 53.3
    assertThat(tokens("anthropic", 1092, 1092)).isEqualTo(1590); // Anthropic's largest 1:1 size not resized
    assertThat(tokens("anthropic", 8000, 8000)).isLessThanOrEqualTo(1600);
    assertThat(tokens("anthropic", 3136, 100)).isEqualTo(105); // 1568 × 50
    assertThatThrownBy(() -> MediaRules.require("anthropic").audioTokens(BigDecimal.ONE))
        .isInstanceOf(InputException.class).hasMessageContaining("no audio");
  }

  @Test
  void everyRuleSetIsFoundByItsId() {
    for (String id : MediaRules.ids()) {
      assertThat(MediaRules.require(id).id()).isEqualTo(id);
    }
    assertThat(StandardRules.ALL.stream().map(MediaRules::id).toList()).isEqualTo(MediaRules.ids());
  }
}
