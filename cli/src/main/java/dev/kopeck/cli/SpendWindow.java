package dev.kopeck.cli;

import dev.kopeck.base.InputException;
import java.time.Instant;
import java.time.ZoneId;
import picocli.CommandLine.Option;

/** The part of a spend log a command reads: from {@code --since} up to {@code --until}, days starting in {@code --zone}. */
final class SpendWindow {
  @Option(names = "--zone", paramLabel = "ZONE", description = "Where a day starts (Europe/Moscow); default UTC.")
  String zone = "UTC";

  @Option(names = "--since", paramLabel = "WHEN", converter = Options.DateOrInstant.class,
      description = "From this date or instant.")
  Instant since;

  @Option(names = "--until", paramLabel = "WHEN", converter = Options.DateOrInstant.class,
      description = "Up to (not including) this date or instant.")
  Instant until;

  /** The window in words: "between 2026-11-01 and 2026-12-01", "from …", "before …", or "in the log". */
  String describe() {
    if (since == null && until == null) {
      return "in the log";
    }
    if (since != null && until != null) {
      return "between " + shown(since) + " and " + shown(until);
    }
    return since != null ? "from " + shown(since) + " on" : "before " + shown(until);
  }

  /** An instant as its date when it is a day's start in UTC (as --since 2026-11-01 reads), else as itself. */
  private static String shown(Instant at) {
    java.time.ZonedDateTime z = at.atZone(java.time.ZoneOffset.UTC);
    return z.toLocalTime().equals(java.time.LocalTime.MIDNIGHT) ? z.toLocalDate().toString() : at.toString();
  }

  /** --zone, or a one-line error. */
  ZoneId zone() {
    try {
      return ZoneId.of(zone);
    } catch (java.time.DateTimeException e) {
      throw new InputException(null, "--zone", "unknown time zone \"" + zone + "\"");
    }
  }
}
