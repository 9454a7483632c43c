package dev.kopeck.media;

import dev.kopeck.base.InputException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** The media rules Kopeck ships; {@link MediaRules#find} hands them out. */
final class StandardRules {
  private StandardRules() {}

  private static void requirePositive(long w, long h) {
    if (w <= 0 || h <= 0) {
      throw new IllegalArgumentException("image dimensions must be positive: " + w + "x" + h);
    }
  }

  private static long ceil(BigDecimal v) {
    return v.setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /**
   * Gemini 2.0: an image with both sides at most 384 px is 258 tokens, a larger one 258 per
   * 768×768 tile ({@code ceil(w/768) · ceil(h/768)}); {@code media_resolution} LOW 64 and MEDIUM 256
   * per image. Audio 32 tokens a second, video 263 a second, PDF 258 a page.
   */
  static final class Gemini20 implements MediaRules {
    static final Gemini20 INSTANCE = new Gemini20();
    /** Gemini scales images down to fit 3072×3072: at most 4 × 4 tiles. */
    static final long MAX_TILES_PER_SIDE = 4;

    private Gemini20() {}

    @Override
    public String id() {
      return "gemini-2.0";
    }

    @Override
    public long imageTokens(long w, long h, Detail detail, Resolution res) {
      requirePositive(w, h);
      if (res == Resolution.LOW) {
        return 64;
      }
      if (res == Resolution.MEDIUM) {
        return 256;
      }
      if (w <= 384 && h <= 384) {
        return 258;
      }
      return Math.multiplyExact(Math.multiplyExact((w + 767) / 768, (h + 767) / 768), 258L);
    }

    @Override
    public long worstCaseImageTokens(Detail detail, Resolution res) {
      return res == Resolution.LOW ? 64 : res == Resolution.MEDIUM ? 256 : MAX_TILES_PER_SIDE * MAX_TILES_PER_SIDE * 258;
    }

    @Override
    public long audioTokens(BigDecimal seconds) {
      return ceil(seconds.multiply(BigDecimal.valueOf(32)));
    }

    @Override
    public long videoTokens(BigDecimal seconds) {
      return ceil(seconds.multiply(BigDecimal.valueOf(263)));
    }

    @Override
    public long documentTokens(long pages) {
      return Math.multiplyExact(pages, 258L);
    }
  }

  /**
   * OpenAI's tiles: detail low 85; high or auto: scale to fit 2048×2048, then the shortest side
   * down to 768, 170 tokens per 512 px tile plus 85. OpenAI's chat models take no audio, video or
   * PDF by these rules: those are refused.
   */
  static final class OpenAiTiles implements MediaRules {
    static final OpenAiTiles INSTANCE = new OpenAiTiles();

    private OpenAiTiles() {}

    @Override
    public String id() {
      return "openai-tiles";
    }

    @Override
    public long imageTokens(long w, long h, Detail detail, Resolution res) {
      requirePositive(w, h);
      if (detail == Detail.LOW) {
        return 85;
      }
      double sw = w;
      double sh = h;
      if (sw > 2048 || sh > 2048) {
        double f = 2048 / Math.max(sw, sh);
        sw = Math.floor(sw * f);
        sh = Math.floor(sh * f);
      }
      double shortest = Math.min(sw, sh);
      if (shortest > 768) {
        double f = 768 / shortest;
        sw = Math.floor(sw * f);
        sh = Math.floor(sh * f);
      }
      long tiles = (long) Math.ceil(sw / 512) * (long) Math.ceil(sh / 512);
      return 170 * tiles + 85;
    }

    @Override
    public long worstCaseImageTokens(Detail detail, Resolution res) {
      return detail == Detail.LOW ? 85 : imageTokens(2048, 768, Detail.HIGH, res); // 8 tiles: 1445
    }

    @Override
    public long audioTokens(BigDecimal seconds) {
      throw new InputException(null, null, "openai-tiles rules have no audio rule");
    }

    @Override
    public long videoTokens(BigDecimal seconds) {
      throw new InputException(null, null, "openai-tiles rules have no video rule");
    }

    @Override
    public long documentTokens(long pages) {
      throw new InputException(null, null, "openai-tiles rules have no document rule");
    }
  }
}
