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

  /** --zone, or a one-line error. */
  ZoneId zone() {
    try {
      return ZoneId.of(zone);
    } catch (java.time.DateTimeException e) {
      throw new InputException(null, "--zone", "unknown time zone \"" + zone + "\"");
    }
  }
}
