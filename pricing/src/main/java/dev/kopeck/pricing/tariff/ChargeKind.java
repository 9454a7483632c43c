package dev.kopeck.pricing.tariff;

import java.util.Locale;
import java.util.Optional;

/**
 * What a rate prices. Each kind has a JSON name used in tariff files and reports, and a fallback:
 * when a tariff has no rate for a kind, its quantity is billed at the fallback's rate (reasoning
 * at the output rate, cache reads at the input rate, ...). {@link #INPUT} and {@link #OUTPUT} have
 * no fallback and every tariff must price them; {@link #REQUEST} falls back to nothing (free).
 */
public enum ChargeKind {
  INPUT("input", null),
  OUTPUT("output", null),
  CACHE_READ("cache_read", INPUT),
  CACHE_WRITE("cache_write", INPUT),
  INPUT_IMAGE("input_image", INPUT),
  INPUT_AUDIO("input_audio", INPUT),
  INPUT_VIDEO("input_video", INPUT),
  INPUT_DOCUMENT("input_document", INPUT),
  CACHE_READ_AUDIO("cache_read_audio", CACHE_READ),
  REASONING("reasoning", OUTPUT),
  OUTPUT_AUDIO("output_audio", OUTPUT),
  OUTPUT_IMAGE("output_image", OUTPUT),
  REQUEST("request", null);

  private final String jsonName;
  private final ChargeKind fallback;

  ChargeKind(String jsonName, ChargeKind fallback) {
    this.jsonName = jsonName;
    this.fallback = fallback;
  }

  /** The name in tariff files and reports: {@code input}, {@code cache_read}, ... */
  public String jsonName() {
    return jsonName;
  }

  /** The kind whose rate applies when a tariff has none for this one. */
  public Optional<ChargeKind> fallback() {
    return Optional.ofNullable(fallback);
  }

  /** Looks a kind up by its JSON name, case-insensitively. */
  public static Optional<ChargeKind> fromJsonName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (ChargeKind k : values()) {
      if (k.jsonName.equals(n)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
