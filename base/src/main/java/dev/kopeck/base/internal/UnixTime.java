package dev.kopeck.base.internal;

import java.time.Instant;

/**
 * A Unix time as logs and responses write it: in seconds (OpenAI's {@code created}), or in
 * milliseconds, microseconds or nanoseconds (JavaScript's {@code Date.now()}, tracing tools). The
 * unit is told by the size: a count of seconds past 10^11 would be after the year 5000, so a number
 * that large is a finer unit, and each finer unit is read the same way. Used wherever Kopeck reads
 * a number as an instant, so every command reads one the same.
 */
public final class UnixTime {
  private UnixTime() {}

  /** The instant {@code n} means, or null when it is negative (the caller says where). */
  public static Instant parse(long n) {
    if (n < 0) {
      return null;
    }
    if (n < 100_000_000_000L) {
      return Instant.ofEpochSecond(n);
    }
    if (n < 100_000_000_000_000L) {
      return Instant.ofEpochMilli(n);
    }
    if (n < 100_000_000_000_000_000L) {
      return Instant.ofEpochSecond(n / 1_000_000, n % 1_000_000 * 1_000);
    }
    return Instant.ofEpochSecond(n / 1_000_000_000, n % 1_000_000_000);
  }

  /** What a caller says of a number it could not read as a time. */
  public static final String EXPECTED = "a Unix time (seconds, or milliseconds, microseconds, nanoseconds)"
      + " not before 1970";
}
