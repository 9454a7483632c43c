package dev.kopeck.tokens.media;

import dev.kopeck.base.Modality;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * What the header of a medium says: its modality and format, and the measured facts: width and
 * height (images, and video when known), duration in seconds (audio, video; null otherwise), pages (documents).
 * Facts that do not apply are 0 or empty. {@code withAudio}: a video that has a sound track. {@code note}, when not null, says how far a figure can be
 * trusted (a page count from a damaged file's rebuilt structure is a guess).
 */
public record MediaInfo(Modality modality, String format, long width, long height, BigDecimal seconds, long pages,
    boolean withAudio, String note) {
  /** The longest duration accepted: about three years. Anything longer is a corrupt header. */
  public static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(100_000_000);
  /** The most pages accepted in a document. */
  public static final long MAX_PAGES = 10_000_000;

  public MediaInfo {
    Objects.requireNonNull(modality, "modality");
    Objects.requireNonNull(format, "format");
    if (width < 0 || height < 0 || pages < 0 || (seconds != null && seconds.signum() < 0)) {
      throw new IllegalArgumentException("negative measure in " + format);
    }
  }

  /** Measured facts with nothing to say about them. */
  public MediaInfo(Modality modality, String format, long width, long height, BigDecimal seconds, long pages) {
    this(modality, format, width, height, seconds, pages, false, null);
  }

  static MediaInfo image(String format, long w, long h) {
    return new MediaInfo(Modality.IMAGE, format, w, h, null, 0);
  }

  static MediaInfo audio(String format, BigDecimal seconds) {
    return new MediaInfo(Modality.AUDIO, format, 0, 0, seconds, 0);
  }

  static MediaInfo video(String format, BigDecimal seconds, long w, long h, boolean withAudio) {
    return new MediaInfo(Modality.VIDEO, format, w, h, seconds, 0, withAudio, null);
  }

  static MediaInfo document(String format, long pages) {
    return new MediaInfo(Modality.DOCUMENT, format, 0, 0, null, pages);
  }

}
