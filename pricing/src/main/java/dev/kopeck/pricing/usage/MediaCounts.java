package dev.kopeck.pricing.usage;

import java.math.BigDecimal;

/**
 * Media facts that providers do not put in their usage but that some tariffs bill by: how many
 * images, seconds of audio or video, pages. They come from the request (its estimate) or the caller.
 * Each is null when unknown.
 */
public record MediaCounts(
    Long images, BigDecimal audioSeconds, BigDecimal videoSeconds, Long pages) {
  /** Nothing known. */
  public static final MediaCounts UNKNOWN = new MediaCounts(null, null, null, null);

  public MediaCounts {
    if (images != null && images < 0) {
      throw new IllegalArgumentException("negative image count " + images);
    }
    if (pages != null && pages < 0) {
      throw new IllegalArgumentException("negative page count " + pages);
    }
    if (audioSeconds != null) {
      requireNonNegative("audioSeconds", audioSeconds);
    }
    if (videoSeconds != null) {
      requireNonNegative("videoSeconds", videoSeconds);
    }
  }

  private static void requireNonNegative(String what, BigDecimal v) {
    if (v.signum() < 0) {
      throw new IllegalArgumentException("negative " + what + " " + v.toPlainString());
    }
  }

  public MediaCounts withImages(long n) {
    return new MediaCounts(n, audioSeconds, videoSeconds, pages);
  }

  public MediaCounts withAudioSeconds(BigDecimal s) {
    return new MediaCounts(images, s, videoSeconds, pages);
  }

  public MediaCounts withVideoSeconds(BigDecimal s) {
    return new MediaCounts(images, audioSeconds, s, pages);
  }

  public MediaCounts withPages(long n) {
    return new MediaCounts(images, audioSeconds, videoSeconds, n);
  }
}
