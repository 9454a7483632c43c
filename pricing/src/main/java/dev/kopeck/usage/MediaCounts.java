package dev.kopeck.usage;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Media facts that providers do not put in their usage but that some tariffs bill by: how many
 * images, seconds of audio or video, pages. They come from the request (its estimate) or the caller.
 */
public record MediaCounts(
    OptionalLong images, Optional<BigDecimal> audioSeconds, Optional<BigDecimal> videoSeconds, OptionalLong pages) {
  public static final MediaCounts UNKNOWN =
      new MediaCounts(OptionalLong.empty(), Optional.empty(), Optional.empty(), OptionalLong.empty());

  public MediaCounts {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(audioSeconds, "audioSeconds");
    Objects.requireNonNull(videoSeconds, "videoSeconds");
    Objects.requireNonNull(pages, "pages");
    if (images.isPresent() && images.getAsLong() < 0) {
      throw new IllegalArgumentException("negative image count " + images.getAsLong());
    }
    if (pages.isPresent() && pages.getAsLong() < 0) {
      throw new IllegalArgumentException("negative page count " + pages.getAsLong());
    }
    audioSeconds.ifPresent(s -> requireNonNegative("audioSeconds", s));
    videoSeconds.ifPresent(s -> requireNonNegative("videoSeconds", s));
  }

  private static void requireNonNegative(String what, BigDecimal v) {
    if (v.signum() < 0) {
      throw new IllegalArgumentException("negative " + what + " " + v.toPlainString());
    }
  }

  public MediaCounts withImages(long n) {
    return new MediaCounts(OptionalLong.of(n), audioSeconds, videoSeconds, pages);
  }

  public MediaCounts withAudioSeconds(BigDecimal s) {
    return new MediaCounts(images, Optional.of(s), videoSeconds, pages);
  }

  public MediaCounts withVideoSeconds(BigDecimal s) {
    return new MediaCounts(images, audioSeconds, Optional.of(s), pages);
  }

  public MediaCounts withPages(long n) {
    return new MediaCounts(images, audioSeconds, videoSeconds, OptionalLong.of(n));
  }
}
