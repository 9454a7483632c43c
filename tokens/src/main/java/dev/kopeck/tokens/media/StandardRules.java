package dev.kopeck.tokens.media;

import dev.kopeck.base.InputException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/** The media rules Kopeck ships; {@link MediaRules#find} hands them out. */
final class StandardRules {
  private StandardRules() {}

  /** Every rule set, in the order of {@code Names.MEDIA_RULES} (a test holds the two together). */
  static final List<MediaRules> ALL = List.of(Gemini20.INSTANCE, OpenAiTiles.INSTANCE, OpenAiTiles.MINI,
      OpenAiTiles.O_SERIES, OpenAiPatches.MINI, OpenAiPatches.NANO, OpenAiPatches.O4_MINI, Anthropic.INSTANCE,
      Gemini20.GEMINI_25, Gemini3.INSTANCE, OpenAiTiles.GPT_5);

  private static void requirePositive(long w, long h) {
    if (w <= 0 || h <= 0) {
      throw new IllegalArgumentException("image dimensions must be positive: " + w + "x" + h);
    }
  }

  private static long ceil(BigDecimal v) {
    return v.setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /**
   * Gemini 2.0: an image with both sides at most 384 px is 258 tokens, a larger one is scaled to
   * fit 3072×3072 (keeping its shape), then 258 per 768×768 tile ({@code ceil(w/768) · ceil(h/768)}); {@code media_resolution} LOW 64 and MEDIUM 256
   * per image. Audio 32 tokens a second, PDF 258 a page. Video, each second: a frame (1 fps) of 258
   * tokens, 66 at {@code media_resolution} LOW; 5 of metadata (the tokens page's 263 a second less its
   * 258-token frame); and 32 of its sound track when it has one: 295 a second with sound (Google's
   * "about 300"), 103 at LOW ("about 100").
   */
  static final class Gemini20 implements MediaRules {
    static final Gemini20 INSTANCE = new Gemini20("gemini-2.0");
    /**
     * Gemini 2.5: the Gemini API's tokens page gives 2.0 and 2.5 the same rules (the 384 px rule, 768 px
     * tiles, 32 tokens a second of audio, 263 a second of video, 258 a page); {@code media_resolution} as
     * on 2.0.
     */
    static final Gemini20 GEMINI_25 = new Gemini20("gemini-2.5");
    /** Gemini scales images down to fit 3072×3072: at most 4 × 4 tiles. */
    static final long MAX_TILES_PER_SIDE = 4;

    private final String id;

    private Gemini20(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
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
      long[] d = fit(w, h, FIT); // scaled to fit 3072×3072 first, keeping its shape
      w = d[0];
      h = d[1];
      return Math.multiplyExact(Math.multiplyExact((w + 767) / 768, (h + 767) / 768), 258L);
    }

    /** Gemini scales an image to fit this square before it tiles it. */
    static final long FIT = 3072;

    @Override
    public long worstCaseImageTokens(Detail detail, Resolution res) {
      return res == Resolution.LOW ? 64 : res == Resolution.MEDIUM ? 256 : MAX_TILES_PER_SIDE * MAX_TILES_PER_SIDE * 258;
    }

    @Override
    public long audioTokens(BigDecimal seconds) {
      return ceil(seconds.multiply(BigDecimal.valueOf(32)));
    }

    @Override
    public long videoTokens(BigDecimal seconds, boolean withAudio, Resolution res) {
      long perSecond = (res == Resolution.LOW ? 66 : 258) + 5 + (withAudio ? 32 : 0);
      return ceil(seconds.multiply(BigDecimal.valueOf(perSecond)));
    }

    @Override
    public long documentTokens(long pages) {
      return Math.multiplyExact(pages, 258L);
    }

    private static final java.util.Set<String> IMAGES = java.util.Set.of("png", "jpeg", "webp", "heif");
    private static final java.util.Set<String> VIDEOS = java.util.Set.of("mp4", "mov", "webm", "avi", "flv", "wmv",
        "mpeg-ts", "mpeg-ps");
    private static final java.util.Set<String> AUDIO = java.util.Set.of("wav", "mp3", "aiff", "aac", "m4a",
        "ogg-vorbis", "ogg-opus", "flac");

    /** The MIME types of Gemini's image, audio, video and document understanding pages. */
    @Override
    public String notAccepted(MediaInfo m) {
      return switch (m.modality()) {
        case IMAGE -> IMAGES.contains(m.format()) ? null : "Gemini takes PNG, JPEG, WEBP, HEIC and HEIF images, not "
            + m.format().toUpperCase(java.util.Locale.ROOT);
        case AUDIO -> AUDIO.contains(m.format()) ? null : "Gemini takes WAV, MP3, AIFF, AAC, OGG and FLAC audio, not "
            + m.format();
        case VIDEO -> VIDEOS.contains(m.format()) ? null : "Gemini takes MP4, MPEG, MOV, AVI, FLV, MPG, WEBM, WMV and"
            + " 3GPP video, not " + m.format();
        default -> null;
      };
    }
  }

  /**
   * Gemini 3: a fixed budget a medium by {@code media_resolution}, whatever its size (the Gemini API's
   * "Media resolution" page, token counts): an image 280 at LOW, 560 at MEDIUM, 1,120 at HIGH and by
   * default; a PDF page 280, 560 (the default) or 1,120; a video frame (one a second) 70 at LOW, MEDIUM
   * and by default, 280 at HIGH, plus 32 a second of its sound track; audio 32 tokens a second at every
   * resolution.
   */
  static final class Gemini3 implements MediaRules {
    static final Gemini3 INSTANCE = new Gemini3();

    private Gemini3() {}

    @Override
    public String id() {
      return "gemini-3";
    }

    @Override
    public long imageTokens(long w, long h, Detail detail, Resolution res) {
      requirePositive(w, h);
      return worstCaseImageTokens(detail, res);
    }

    @Override
    public long worstCaseImageTokens(Detail detail, Resolution res) {
      return res == Resolution.LOW ? 280 : res == Resolution.MEDIUM ? 560 : 1120;
    }

    @Override
    public long audioTokens(BigDecimal seconds) {
      return ceil(seconds.multiply(BigDecimal.valueOf(32)));
    }

    @Override
    public long videoTokens(BigDecimal seconds, boolean withAudio, Resolution res) {
      long perSecond = (res == Resolution.HIGH ? 280 : 70) + (withAudio ? 32 : 0);
      return ceil(seconds.multiply(BigDecimal.valueOf(perSecond)));
    }

    @Override
    public long documentTokens(long pages) {
      return Math.multiplyExact(pages, 560L);
    }

    @Override
    public long tokens(MediaInfo m, Detail detail, Resolution resolution) {
      if (m.modality() == dev.kopeck.base.Modality.DOCUMENT) {
        long perPage = resolution == Resolution.LOW ? 280 : resolution == Resolution.HIGH ? 1120 : 560;
        return Math.multiplyExact(m.pages(), perPage);
      }
      return MediaRules.super.tokens(m, detail, resolution);
    }

    @Override
    public String notAccepted(MediaInfo m) {
      return Gemini20.INSTANCE.notAccepted(m);
    }
  }

  /** Rules of a family whose chat models take images only: audio, video and documents are refused, saying why. */
  abstract static class ImagesOnly implements MediaRules {
    private final String noAudio;
    private final String noVideo;
    private final String noDocument;

    ImagesOnly(String noAudio, String noVideo, String noDocument) {
      this.noAudio = noAudio;
      this.noVideo = noVideo;
      this.noDocument = noDocument;
    }

    @Override
    public long audioTokens(BigDecimal seconds) {
      throw new InputException(null, null, id() + " rules have no audio rule" + noAudio);
    }

    @Override
    public long videoTokens(BigDecimal seconds, boolean withAudio, Resolution res) {
      throw new InputException(null, null, id() + " rules have no video rule" + noVideo);
    }

    @Override
    public long documentTokens(long pages) {
      throw new InputException(null, null, id() + " rules have no document rule" + noDocument);
    }

    /** OpenAI's and Anthropic's vision pages: PNG, JPEG, WEBP and GIF (OpenAI: not animated). */
    @Override
    public String notAccepted(MediaInfo m) {
      return m.modality() != dev.kopeck.base.Modality.IMAGE || java.util.Set.of("png", "jpeg", "webp", "gif")
          .contains(m.format()) ? null : id() + " models take PNG, JPEG, WEBP and GIF images, not "
          + m.format().toUpperCase(java.util.Locale.ROOT);
    }
  }

  /**
   * OpenAI's tiles: detail low {@code base}; high or auto: scale to fit 2048×2048, then the
   * shortest side down to 768 (a side never below 1 px), {@code perTile} tokens per 512 px tile
   * plus {@code base}. gpt-4o, gpt-4.1, gpt-4.5: 85 and 170; gpt-4o-mini: 2,833 and 5,667; o1, o3:
   * 75 and 150. OpenAI's chat models take no audio, video or PDF by these rules: those are refused.
   */
  static final class OpenAiTiles extends ImagesOnly {
    static final OpenAiTiles INSTANCE = new OpenAiTiles("openai-tiles", 85, 170);
    static final OpenAiTiles MINI = new OpenAiTiles("openai-tiles-4o-mini", 2833, 5667);
    static final OpenAiTiles O_SERIES = new OpenAiTiles("openai-tiles-o", 75, 150);
    /** GPT-5 and GPT-5 chat: 70 base, 140 a tile (OpenAI's images and vision guide). */
    static final OpenAiTiles GPT_5 = new OpenAiTiles("openai-tiles-5", 70, 140);

    private final String id;
    private final long base;
    private final long perTile;

    private OpenAiTiles(String id, long base, long perTile) {
      super("", "", "");
      this.id = id;
      this.base = base;
      this.perTile = perTile;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public long imageTokens(long w, long h, Detail detail, Resolution res) {
      requirePositive(w, h);
      if (detail == Detail.LOW) {
        return base;
      }
      long[] d = fit(w, h, 2048);
      long sw = d[0];
      long sh = d[1];
      long shortest = Math.min(sw, sh);
      if (shortest > 768) {
        sw = Math.max(1, sw * 768 / shortest);
        sh = Math.max(1, sh * 768 / shortest);
      }
      return Math.addExact(Math.multiplyExact(perTile, ((sw + 511) / 512) * ((sh + 511) / 512)), base);
    }

    @Override
    public long worstCaseImageTokens(Detail detail, Resolution res) {
      return detail == Detail.LOW ? base : imageTokens(2048, 768, Detail.HIGH, res); // 8 tiles
    }

  }

  /** {@code w × h} scaled down to fit {@code side × side}, keeping its shape; no side below 1 px. */
  static long[] fit(long w, long h, long side) {
    long m = Math.max(w, h);
    if (m <= side) {
      return new long[] {w, h};
    }
    return new long[] {Math.max(1, BigDecimal.valueOf(w).multiply(BigDecimal.valueOf(side))
        .divideToIntegralValue(BigDecimal.valueOf(m)).longValueExact()),
        Math.max(1, BigDecimal.valueOf(h).multiply(BigDecimal.valueOf(side))
        .divideToIntegralValue(BigDecimal.valueOf(m)).longValueExact())};
  }

  /**
   * OpenAI's 32 px patches (gpt-4.1-mini and -nano, gpt-5-mini and -nano, o4-mini): the patches
   * that cover the image; past 1,536 the image is scaled down to be covered by at most 1,536 (by
   * OpenAI's published steps), capped at 1,536; then multiplied by the model's multiplier (1.62,
   * 2.46, 1.72) and rounded up. {@code detail} does not change it.
   */
  static final class OpenAiPatches extends ImagesOnly {
    static final OpenAiPatches MINI = new OpenAiPatches("openai-patches-1.62", "1.62");
    static final OpenAiPatches NANO = new OpenAiPatches("openai-patches-2.46", "2.46");
    static final OpenAiPatches O4_MINI = new OpenAiPatches("openai-patches-1.72", "1.72");
    static final long MAX_PATCHES = 1536;

    private final String id;
    private final BigDecimal multiplier;

    private OpenAiPatches(String id, String multiplier) {
      super("", "", "");
      this.id = id;
      this.multiplier = new BigDecimal(multiplier);
    }

    @Override
    public String id() {
      return id;
    }

    /** The patches before the multiplier. */
    static long patches(long w, long h) {
      long raw = Math.multiplyExact((w + 31) / 32, (h + 31) / 32);
      if (raw <= MAX_PATCHES) {
        return raw;
      }
      double r = Math.sqrt(32.0 * 32.0 * MAX_PATCHES / ((double) w * (double) h));
      double wr = w * r / 32;
      double hr = h * r / 32;
      r = r * Math.min(Math.floor(wr) / wr, Math.floor(hr) / hr);
      long pw = (long) Math.ceil(Math.floor(w * r) / 32);
      long ph = (long) Math.ceil(Math.floor(h * r) / 32);
      return Math.min(MAX_PATCHES, Math.max(1, pw) * Math.max(1, ph));
    }

    @Override
    public long imageTokens(long w, long h, Detail detail, Resolution res) {
      requirePositive(w, h);
      return ceil(multiplier.multiply(BigDecimal.valueOf(patches(w, h))));
    }

    @Override
    public long worstCaseImageTokens(Detail detail, Resolution res) {
      return ceil(multiplier.multiply(BigDecimal.valueOf(MAX_PATCHES)));
    }

  }

  /**
   * Anthropic's Claude: an image whose long edge is over 1,568 px, or that would be over about
   * 1,600 tokens (1.2 megapixels), is first scaled down keeping its shape; then {@code w · h / 750}
   * tokens, rounded up. {@code detail} does not change it.
   */
  static final class Anthropic extends ImagesOnly {
    static final Anthropic INSTANCE = new Anthropic();
    static final long LONG_EDGE = 1568;
    static final long MAX_PIXELS = 1_200_000; // 1,600 tokens × 750

    private Anthropic() {
      super(": Claude takes no audio", ": Claude takes no video", ": a PDF page costs its text and its image,"
          + " which the page count alone does not tell");
    }

    @Override
    public String id() {
      return "anthropic";
    }

    @Override
    public long imageTokens(long w, long h, Detail detail, Resolution res) {
      requirePositive(w, h);
      long[] d = fit(w, h, LONG_EDGE);
      double area = (double) d[0] * d[1];
      if (area > MAX_PIXELS) {
        double f = Math.sqrt(MAX_PIXELS / area);
        d[0] = Math.max(1, (long) Math.floor(d[0] * f));
        d[1] = Math.max(1, (long) Math.floor(d[1] * f));
      }
      return (d[0] * d[1] + 749) / 750;
    }

    @Override
    public long worstCaseImageTokens(Detail detail, Resolution res) {
      return MAX_PIXELS / 750;
    }

  }
}
