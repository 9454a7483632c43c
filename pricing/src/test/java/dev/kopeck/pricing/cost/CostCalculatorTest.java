package dev.kopeck.pricing.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kopeck.pricing.money.Money;
import dev.kopeck.pricing.tariff.ChargeKind;
import dev.kopeck.pricing.tariff.PricedModel;
import dev.kopeck.pricing.tariff.Tariff;
import dev.kopeck.pricing.tariff.TariffTables;
import dev.kopeck.pricing.tariff.TestTariffs;
import dev.kopeck.pricing.usage.MediaCounts;
import dev.kopeck.pricing.usage.Modalities;
import dev.kopeck.pricing.usage.Usage;
import dev.kopeck.pricing.usage.UsageParser;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {
  static final Tariff ROUTER = TestTariffs.router();

  private static String total(Cost c) {
    return c.total().toPlainString();
  }

  @Test
  void textImageCacheAndReasoning() {
    // 1000 prompt tokens: 258 image, 742 text of which 200 cached; 300 completion: 120 reasoning.
    Usage u = UsageParser.parse("r", """
        {"usage": {"prompt_tokens": 1000, "completion_tokens": 300,
          "prompt_tokens_details": {"cached_tokens": 200, "image_tokens": 258},
          "completion_tokens_details": {"reasoning_tokens": 120}}}
        """);
    Cost c = CostCalculator.price(u, ROUTER);
    // input 542 × 15/1M = 0.00813; image 258 × 3.91/1K = 1.00878; cache 200 × 3/1M = 0.0006;
    // output 180 × 60/1M = 0.0108; reasoning at the output rate 120 × 60/1M = 0.0072
    assertThat(c.lines()).extracting(l -> l.component() + "=" + l.tokens() + ":" + l.amount().stripTrailingZeros().toPlainString())
        .containsExactly("input=542:0.00813", "input_image=258:1.00878", "cache_read=200:0.0006",
            "output=180:0.0108", "reasoning=120:0.0072");
    assertThat(c.lines().get(4).billedAs()).isEqualTo("output");
    assertThat(total(c)).isEqualTo("1.03551");
    assertThat(c.total().currency()).isEqualTo(Currency.getInstance("RUB"));
  }

  @Test
  void theReadmeExampleCostsWhatTheDocsSay() {
    // docs/examples/openai-response.json: 1290 prompt (512 cached, 258 image), 120 completion.
    Usage u = Usage.builder().inputTokens(1290).cacheReadTokens(512).inputImageTokens(258).outputTokens(120).build();
    // 520 × 15/1M + 258 × 3.91/1K + 512 × 3/1M + 120 × 60/1M = 0.0078 + 1.00878 + 0.001536 + 0.0072
    assertThat(total(CostCalculator.price(u, ROUTER))).isEqualTo("1.025316");
  }

  @Test
  void audio() {
    // 50 s of audio = 1600 tokens (32/s) + 400 text; 100 out.
    Usage u = Usage.builder().inputTokens(2000).inputAudioTokens(1600).outputTokens(100).build();
    // 400 × 15/1M + 1600 × 70/1M + 100 × 60/1M = 0.006 + 0.112 + 0.006
    assertThat(total(CostCalculator.price(u, ROUTER))).isEqualTo("0.124");
  }

  @Test
  void cacheWrite() {
    Usage u = Usage.builder().inputTokens(10_000).cacheWriteTokens(8_000).build();
    // 2000 × 15/1M + 8000 × 23/1M = 0.03 + 0.184
    assertThat(total(CostCalculator.price(u, ROUTER))).isEqualTo("0.214");
  }

  @Test
  void geminiCachedAudioFallsBackToTheCacheReadRate() {
    Usage u = UsageParser.parse("g", """
        {"usageMetadata": {"promptTokenCount": 1000, "cachedContentTokenCount": 600, "candidatesTokenCount": 10,
          "thoughtsTokenCount": 5, "toolUsePromptTokenCount": 20,
          "promptTokensDetails": [{"modality": "AUDIO", "tokenCount": 800}, {"modality": "TEXT", "tokenCount": 200}],
          "cacheTokensDetails": [{"modality": "AUDIO", "tokenCount": 500}, {"modality": "TEXT", "tokenCount": 100}]}}
        """);
    Cost c = CostCalculator.price(u, ROUTER);
    // fresh text 200 - 100 + 20 tool use = 120 × 15/1M = 0.0018; fresh audio 300 × 70/1M = 0.021;
    // cache_read text 100 × 3/1M = 0.0003; cache_read_audio (no rate: cache_read) 500 × 3/1M = 0.0015;
    // output 10 × 60/1M = 0.0006; reasoning (thoughts) 5 × 60/1M = 0.0003
    assertThat(c.lines()).extracting(l -> l.component() + "=" + l.tokens() + "@" + l.billedAs())
        .containsExactly("input=120@input", "input_audio=300@input_audio", "cache_read=100@cache_read",
            "cache_read_audio=500@cache_read", "output=10@output", "reasoning=5@output");
    assertThat(total(c)).isEqualTo("0.0255");
  }

  @Test
  void longContextTierBillsTheWholeRequestAtTheHigherRate() {
    PricedModel pro = TestTariffs.tables().require("gemini-2.5-pro");
    Instant july = Instant.parse("2025-07-01T00:00:00Z");
    Usage over = Usage.builder().inputTokens(250_000).cacheReadTokens(50_000).outputTokens(1_000).build();
    // 200000 × 2.50/1M + 50000 × 0.625/1M + 1000 × 15/1M + 0.001 request fee
    assertThat(total(CostCalculator.price(over, pro, july))).isEqualTo("0.54725");
    Usage at = Usage.builder().inputTokens(200_000).outputTokens(1_000).build();
    // 200000 × 1.25/1M + 1000 × 10/1M + 0.001
    assertThat(total(CostCalculator.price(at, pro, july))).isEqualTo("0.261");
  }

  @Test
  void theTariffInForceAtTheCallsTimeIsUsed() {
    PricedModel pro = TestTariffs.tables().require("gemini-2.5-pro");
    Usage u = Usage.of(100_000, 0);
    // 100000 × 1.25/1M + 0.001 fee, then 100000 × 1/1M and no fee
    assertThat(total(CostCalculator.price(u, pro, Instant.parse("2025-12-31T23:59:59Z")))).isEqualTo("0.126");
    assertThat(total(CostCalculator.price(u, pro, Instant.parse("2026-01-01T00:00:00Z")))).isEqualTo("0.1");
    assertThatThrownBy(() -> CostCalculator.price(u, pro, Instant.parse("2024-01-01T00:00:00Z")))
        .isInstanceOf(PricingException.class)
        .hasMessage("no tariff of gemini-2.5-pro at google is in force at 2024-01-01T00:00:00Z;"
            + " the earliest starts 2025-06-17T00:00:00Z");
  }

  @Test
  void imagesBilledPerImageNeedTheImageCount() {
    Tariff perImage = TariffTables.builder()
        .addJson("per-image.json", TestTariffs.ROUTER.replace(
            "\"price\": \"3.91\", \"per\": \"1K\", \"unit\": \"token\"", "\"price\": \"3.91\", \"per\": \"1K\", \"unit\": \"image\""))
        .build().require("gemini-2.0-flash").latest();
    Usage u = Usage.builder().inputTokens(1000).inputImageTokens(516).build();
    assertThatThrownBy(() -> CostCalculator.price(u, perImage))
        .isInstanceOf(PricingException.class)
        .hasMessageContaining("bills input_image per image, but the usage gives 516 input_image tokens and no image count");
    Cost c = CostCalculator.price(u.withMedia(MediaCounts.UNKNOWN.withImages(2)), perImage);
    // 484 × 15/1M + 2 images × 3.91/1K = 0.00726 + 0.00782
    assertThat(total(c)).isEqualTo("0.01508");
  }

  @Test
  void nothingUsedCostsNothing() {
    Cost c = CostCalculator.price(Usage.of(0, 0), ROUTER);
    assertThat(c.lines()).isEmpty();
    assertThat(c.total()).isEqualTo(Money.zero(Currency.getInstance("RUB")));
  }

  /**
   * A million random usages priced one by one and summed equal, to the last digit, a reference
   * that sums the token counts per kind first and multiplies once, in BigDecimal.
   */
  @Test
  void aMillionUsagesSumExactly() {
    SplittableRandom rnd = new SplittableRandom(20261125);
    Money sum = Money.zero(Currency.getInstance("RUB"));
    long text = 0;
    long image = 0;
    long audio = 0;
    long read = 0;
    long write = 0;
    long out = 0;
    for (int i = 0; i < 1_000_000; i++) {
      long prompt = rnd.nextLong(1_048_577);
      long img = rnd.nextInt(4) == 0 ? rnd.nextLong(prompt / 2 + 1) : 0;
      long aud = rnd.nextInt(4) == 0 ? rnd.nextLong(prompt - img + 1) : 0;
      long cached = rnd.nextInt(3) == 0 ? rnd.nextLong(prompt + 1) : 0;
      long cwrite = rnd.nextInt(5) == 0 ? rnd.nextLong(prompt - cached + 1) : 0;
      long completion = rnd.nextLong(8_193);
      long reasoning = rnd.nextBoolean() ? rnd.nextLong(completion + 1) : 0;
      Usage u = Usage.builder().inputTokens(prompt).inputImageTokens(img).inputAudioTokens(aud)
          .cacheReadTokens(cached).cacheWriteTokens(cwrite).outputTokens(completion).reasoningTokens(reasoning).build();
      sum = sum.plus(CostCalculator.price(u, ROUTER).total());
      // the reference: cached and written tokens come out of text first, then audio, then image
      long[] parts = {prompt - img - aud, aud, img};
      long[] cr = take(parts, cached);
      long[] cw = take(parts, cwrite);
      text += parts[0];
      audio += parts[1];
      image += parts[2];
      read += cr[0] + cr[1] + cr[2];
      write += cw[0] + cw[1] + cw[2];
      out += completion;
    }
    BigDecimal perMillion = BigDecimal.valueOf(text).multiply(BigDecimal.valueOf(15))
        .add(BigDecimal.valueOf(audio).multiply(BigDecimal.valueOf(70)))
        .add(BigDecimal.valueOf(read).multiply(BigDecimal.valueOf(3)))
        .add(BigDecimal.valueOf(write).multiply(BigDecimal.valueOf(23)))
        .add(BigDecimal.valueOf(out).multiply(BigDecimal.valueOf(60)));
    BigDecimal reference = perMillion.movePointLeft(6)
        .add(BigDecimal.valueOf(image).multiply(new BigDecimal("3.91")).movePointLeft(3));
    assertThat(sum.toPlainString()).isEqualTo(reference.stripTrailingZeros().toPlainString());
  }

  private static long[] take(long[] from, long n) {
    long[] taken = new long[from.length];
    for (int i = 0; i < from.length && n > 0; i++) {
      taken[i] = Math.min(n, from[i]);
      from[i] -= taken[i];
      n -= taken[i];
    }
    return taken;
  }

  @Test
  void modalitiesSumToTheInput() {
    assertThat(new Modalities(1, 2, 3, 4, 5).total()).isEqualTo(15);
  }
}
