package dev.kopeck.tokens.media;

import dev.kopeck.base.InputException;

/**
 * Media bytes that cannot be measured: truncated, a size pointing past the end, absurd dimensions,
 * a box loop, an unknown format. Names the format and the byte offset.
 */
public class MediaException extends InputException {
  private static final long serialVersionUID = 1L;

  private final String format;
  private final long offset;

  public MediaException(String source, String format, long offset, String problem) {
    super(source, offset >= 0 ? "byte " + offset : null, format + ": " + problem);
    this.format = format;
    this.offset = offset;
  }

  /** The format being read ({@code png}, {@code mp3}, ...), or {@code media} before it was known. */
  public String format() {
    return format;
  }

  /** The byte offset of the problem, or -1. */
  public long offset() {
    return offset;
  }
}
